"""Subtitles: the step, word alignment, cue rules, editing and SRT/VTT files."""
