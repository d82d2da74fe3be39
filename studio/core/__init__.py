"""The document, its storage and the house rules. Qt-free and torch-free.

Only the standard library, pydantic and platformdirs may be imported from here.
"""
