"""Models of the cmi5 app."""
