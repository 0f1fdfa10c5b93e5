"""Reading invitation exports (CSV as people really have them) into rows for the brain."""
