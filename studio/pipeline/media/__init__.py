"""Media I/O: the bundled ffmpeg, audio decoding and loudness, and probing files for facts."""
