"""Models of the guidance app."""
