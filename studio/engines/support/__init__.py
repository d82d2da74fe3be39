"""Support shared by engines and pipeline: Indonesian text (numbers, cleaning), media length, memory."""
