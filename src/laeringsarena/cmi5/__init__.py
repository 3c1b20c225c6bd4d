"""cmi5 course packages: import, launch and completion."""
