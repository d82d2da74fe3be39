"""The offline kit for a workshop room without internet (``studio kit build`` / ``studio kit check``).

``closure`` lists the installed distributions studio needs, with their exact versions;
``wheels`` turns each into a wheel file with pip; ``build`` writes the kit (wheelhouse,
model folders, install scripts from ``scripts``, ``kit.json``); ``check`` verifies a
laptop against a kit's ``kit.json``.
"""
