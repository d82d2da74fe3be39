"""The jury's table: check a whole folder of contest entries (issue 19).

``entries`` finds the entries under a folder (bare MP4s and export bundles) and checks
each one (preset rules measured from the file, declared AI tools, SHA256SUMS integrity);
``table`` writes the rows as CSV or JSON. A bad entry is a row with its reason, never a crash.
"""
