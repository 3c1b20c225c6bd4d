"""API of the cmi5 app (mounted at /api/v1/; use full paths)."""

from ninja import Router

router = Router(tags=["cmi5"])
