"""Microsoft Teams adapter (Microsoft 365 Agents SDK): activities into Questions, Replies into Adaptive Cards."""
