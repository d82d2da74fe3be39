"""The AI-usage report: building it, the creator's edits, its PDF and its JSON schema."""
