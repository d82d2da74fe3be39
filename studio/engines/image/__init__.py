"""Image engines: the offline placeholder painter and diffusion models."""
