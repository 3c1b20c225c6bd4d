"""API of the plans app, mounted under /api/v1/."""

from ninja import Router

router = Router(tags=["plans"])
