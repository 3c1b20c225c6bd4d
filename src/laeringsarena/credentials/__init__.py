"""Verifiable competence certificates: Open Badges 3.0 / W3C VC 2.0."""
