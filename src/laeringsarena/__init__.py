"""Læringsarena: the workplace as a learning arena for Nordic municipalities."""

__version__ = "0.1.0"
