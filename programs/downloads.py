"""How a plan PDF goes out as a download, for the specialist's pages and the portal alike."""

from __future__ import annotations

import io

from django.http import FileResponse

from . import sharing
from .models import ProgramVersion


def pdf_response(version: ProgramVersion, pdf: bytes) -> FileResponse:
    """A plan as a download: named for the client, never cached, never sniffed or referred."""
    response = FileResponse(
        io.BytesIO(pdf),
        as_attachment=True,
        filename=sharing.download_name(version),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Content-Type-Options"] = "nosniff"
    return response
