"""Where natograph's pages are drawn from: the Jinja2 templates (``templates/``) and the static files
(``static/``: the stylesheets every page links, the pages' scripts), and the two environments that
render them: ``environment()`` for the pages ``natograph serve`` answers and the release copies
(resource pages, the map, search; all in the frame of ``templates/base.html``),
``release_environment()`` for the release's own pages (its landing page, the ontology's
documentation).

jinja2 is imported on first use.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .links import safe_href

_HERE = Path(__file__).resolve().parent
TEMPLATES = _HERE / "templates"
STATIC = _HERE / "static"


@cache
def environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(("html",)),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_href"] = safe_href
    return env


def release_environment():
    """The Jinja2 environment of the release's own pages (landing page, ontology documentation)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html"]),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["safe_href"] = safe_href
    return env
