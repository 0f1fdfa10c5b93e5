"""invitation-bot: explains review-invitation statuses, live and from its knowledge base."""

__version__ = "0.1.0"
