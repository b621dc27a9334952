"""Use cases. Each owns its transaction and speaks in domain objects; the UI and the CLI call these."""
