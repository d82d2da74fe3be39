"""Export: the bundle (MP4, report, checksums) and Content Credentials signing."""
