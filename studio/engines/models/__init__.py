"""Model files: the catalogue of known models, the bundled Whisper base, download, folders and the manager."""
