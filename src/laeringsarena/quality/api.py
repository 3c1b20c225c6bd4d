"""API of the quality app, mounted under /api/v1/quality/."""

from ninja import Router

router = Router(tags=["quality"])
