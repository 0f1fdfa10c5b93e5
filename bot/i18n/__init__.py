"""Languages: gettext catalogs (Babel), locale negotiation, number and date formats."""
