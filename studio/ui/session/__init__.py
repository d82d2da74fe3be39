"""The open project as the window sees it: state and edits, autosave, jobs, recovery from bad input."""
