"""Thin adapters between messaging platforms and the dialogue."""
