"""API of the learning_account app (mounted at /api/v1/; use full paths)."""

from ninja import Router

router = Router(tags=["learning_account"])
