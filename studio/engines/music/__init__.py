"""Music engines: the generated gamelan bed."""
