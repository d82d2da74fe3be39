"""The main window and what it owns: routing, indicators, menus, answers to bad input."""
