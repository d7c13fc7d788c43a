"""The one rule by which an IRI from the data becomes a link, for every page natograph draws (the
server's, the release's) and for the pages' scripts (``static/links.js``: ``natographLinks.safeHref``, the same
rule): only ``http`` and ``https`` IRIs are links; ``mailto:`` and ``urn:`` IRIs, and every other
scheme (``javascript:``, ``data:``, ``vbscript:``, ``file:`` ...), are shown as text, never as an
``href``. A relative link natograph makes itself (to its own pages) is not an IRI from the data and
does not pass through here.
"""

from __future__ import annotations

import re

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
LINK_SCHEMES = ("http", "https")
"""The schemes whose IRIs become links."""


def scheme(iri: str) -> str | None:
    """The IRI's scheme in lower case, or None when it has none."""
    match = _SCHEME.match(iri)
    return match.group(1).lower() if match else None


def safe_href(iri: str) -> str | None:
    """*iri* when it may be an ``href`` (an absolute ``http``/``https`` IRI without control characters
    or spaces), else None: the caller shows it as text."""
    if scheme(iri) not in LINK_SCHEMES or any(ord(ch) < 0x21 or ord(ch) == 0x7F for ch in iri):
        return None
    return iri
