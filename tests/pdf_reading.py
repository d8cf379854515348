"""Reading a PDF back in tests, as a client's PDF reader would (pypdf): text, fonts, images."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader


def pdf_reader(pdf) -> PdfReader:
    """A reader over PDF bytes, a file path, a (streamed) HTTP response, or a reader itself."""
    if isinstance(pdf, PdfReader):
        return pdf
    if isinstance(pdf, (str, Path)):
        return PdfReader(pdf)
    if hasattr(pdf, "streaming_content"):
        pdf = b"".join(pdf.streaming_content)
    elif hasattr(pdf, "content"):
        pdf = pdf.content
    return PdfReader(io.BytesIO(bytes(pdf)))


def pdf_text(pdf) -> str:
    """Every page's text, one page after another, line breaks kept."""
    return "\n".join(page.extract_text() for page in pdf_reader(pdf).pages)


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces joined, for words a line may wrap."""
    return " ".join(text.split())


def flat_pdf_text(pdf) -> str:
    """The pages' text on one line: words wrapped across lines read as they print."""
    return flat(pdf_text(pdf))


def fonts_of(pdf) -> dict[str, bool]:
    """Every font the pages and their forms use: base name -> whether its file is embedded."""
    fonts: dict[str, bool] = {}

    def visit(resources) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descriptors = [font.get("/FontDescriptor")]
            descriptors += [
                d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts", [])
            ]
            embedded = any(
                d is not None
                and any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                for d in descriptors
            )
            fonts[str(font.get("/BaseFont"))] = embedded
        for xobject in resources.get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in pdf_reader(pdf).pages:
        visit(page.get("/Resources"))
    return fonts


def image_count(pdf) -> int:
    """Image XObjects the pages use (a logo's transparency mask is not counted twice)."""
    images = set()
    for page in pdf_reader(pdf).pages:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for name, reference in xobjects.items():
            if reference.get_object().get("/Subtype") == "/Image":
                images.add(getattr(reference, "idnum", name))
    return len(images)


def qpdf_problems(pdf: bytes, folder: Path) -> str:
    """What `qpdf --check` finds wrong with ``pdf`` ("" when nothing); the test is skipped,
    saying so, where Debian's qpdf is not installed (`.ci/run` installs it)."""
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed (apt-get install qpdf)")
    path = folder / "checked.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    return "" if result.returncode == 0 else result.stdout + result.stderr
