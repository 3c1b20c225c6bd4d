"""Models of the learning_account app."""
