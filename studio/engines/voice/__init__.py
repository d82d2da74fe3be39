"""Voice engines: espeak-ng, VITS (MMS-TTS) and Piper."""
