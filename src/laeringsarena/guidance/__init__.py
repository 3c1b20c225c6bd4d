"""Explainable, personal recommendations (veiledning)."""
