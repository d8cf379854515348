"""Reading back the charts a page embeds as SVG data URIs."""

import base64
import re


def chart_svg(response, title: str) -> str:
    """The SVG document of the page's chart with that title, decoded from its data URI."""
    match = re.search(
        r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="' + re.escape(title),
        response.text,
    )
    assert match, f"no chart titled {title!r}"
    return base64.b64decode(match.group(1)).decode()
