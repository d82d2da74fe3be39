"""Reusable widgets: indicators, the job bar, the preview, scene cards, sound playback."""
