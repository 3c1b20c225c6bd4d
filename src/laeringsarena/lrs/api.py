"""API of the lrs app (mounted at /api/v1/; use full paths)."""

from ninja import Router

router = Router(tags=["lrs"])
