"""Images: the step and the prompts it writes for each scene."""
