"""API of the competence app, mounted under /api/v1/competence/."""

from ninja import Router

router = Router(tags=["competence"])
