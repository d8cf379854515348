"""How a plan PDF or a specialist's document goes out as a download, for the specialist's
pages, the portal and the API alike."""

from __future__ import annotations

import io
from datetime import date

from django.conf import settings
from django.http import FileResponse
from django.utils.http import content_disposition_header

from . import sharing
from .documents import build_specialist_report
from .models import ProgramVersion
from .pdf.report import render_report


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


def document_response(version: ProgramVersion, pdf: bytes, kind: str) -> FileResponse:
    """A specialist's document as a download, with the plan download's headers (no-store),
    named for what it is: "realign-report-…" or "realign-referral-…"."""
    response = pdf_response(version, pdf)
    name = sharing.download_name(version).replace("realign-plan-", f"realign-{kind}-", 1)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def report_response(version: ProgramVersion, *, today: date) -> FileResponse:
    """The specialist's report of a version (findings, citations, referral, rules), drawn
    now from the version's record: for the file and the clinician a client is referred to."""
    document = build_specialist_report(version, today=today)
    return document_response(
        version, render_report(document, pagesize=settings.PLAN_PAGE_SIZE), "report"
    )
