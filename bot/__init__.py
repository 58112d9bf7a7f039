"""familybot: the conversation layer (channels, dialogue, per-family state)."""

__version__ = "0.1.0"
