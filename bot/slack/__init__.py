"""Slack adapter: turns Slack events, commands and clicks into Questions, and Replies into messages."""
