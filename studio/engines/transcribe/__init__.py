"""Transcription engines: Whisper through CTranslate2 (faster-whisper) and through PyTorch (openai-whisper)."""
