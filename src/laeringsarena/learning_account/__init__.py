"""The person's own learning account (læringskonto): everything, export, sharing."""
