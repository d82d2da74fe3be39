"""Script engines: the template, a local chat model, an OpenAI-compatible server, and their shared prompt and JSON parsing."""
