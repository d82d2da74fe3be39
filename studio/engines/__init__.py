"""Engines: one module per backend. Heavy libraries are imported inside methods only."""
