"""Rendering: frames (motion, text, cards), YUV conversion, the soundtrack mix and the encoder."""
