"""What every chat adapter (Slack, Teams) shares: de-duplication of redeliveries, expiring caches, channel marks,
and file handling (which hosts a file may come from, a streamed download, the reading note)."""
