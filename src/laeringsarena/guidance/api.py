"""API of the guidance app (mounted at /api/v1/; use full paths)."""

from ninja import Router

router = Router(tags=["guidance"])
