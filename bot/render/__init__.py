"""Replies rendered for a surface: plain text (console, fallbacks) and Slack Block Kit."""
