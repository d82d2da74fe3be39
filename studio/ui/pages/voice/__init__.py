"""The Suara page: the page itself, its scene rows, the engine choice and own recordings."""
