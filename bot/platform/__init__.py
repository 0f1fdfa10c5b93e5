"""What every chat adapter (Slack, Teams) shares: de-duplication of redeliveries, expiring caches."""
