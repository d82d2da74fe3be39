"""The creator's steps as plain functions over inputs → results. No Qt here.

A step never mutates the live Project: it writes its files (atomically) into the
project folder, appends AI-log records, and returns a result the caller applies
on its own thread (the GUI in a job's success slot, the CLI directly).
"""
