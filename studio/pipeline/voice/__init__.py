"""Voice: the step and importing the creator's own recordings."""
