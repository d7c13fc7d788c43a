"""The one rule by which an IRI from the data becomes a link (natograph/pages/links.py), in Python and
in the page's script: only http and https; everything else is text."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from natograph.pages import links, templating

CASES = {
    "https://www.nato.int/cps/en/natohq/topics_84336.htm": True,
    "http://example.org/a?b=c#d": True,
    "HTTPS://EXAMPLE.ORG/": True,
    "javascript:alert(1)": False,
    "JavaScript:alert(1)": False,
    " javascript:alert(1)": False,
    "data:text/html,<script>alert(1)</script>": False,
    "vbscript:msgbox(1)": False,
    "mailto:someone@example.org": False,
    "urn:isbn:0451450523": False,
    "file:///etc/passwd": False,
    "//evil.example/": False,
    "http://example.org/a b": False,
    "http://example.org/\u0007": False,
    "": False,
}


@pytest.mark.parametrize("iri", CASES)
def test_only_http_and_https_iris_become_links(iri):
    assert (links.safe_href(iri) == iri) is CASES[iri]
    assert links.safe_href(iri) in (iri, None)


def test_the_jinja_filter_is_the_same_rule():
    env = templating.environment()
    for iri, linked in CASES.items():
        out = env.from_string("{% if iri | safe_href %}link{% else %}text{% endif %}").render(iri=iri)
        assert out == ("link" if linked else "text")


@pytest.mark.skipif(shutil.which("node") is None, reason="node is needed to run the page's script's rule")
def test_the_page_script_has_the_same_rule():
    """static/links.js is the scripts' one rule: run as a page runs it, it agrees with safe_href; the
    other scripts that make links from the data use it and define no rule of their own."""
    script = (templating.STATIC / "links.js").read_text(encoding="utf-8")
    program = ("globalThis.window = {};\n" + script
               + f"\nconsole.log(JSON.stringify({json.dumps(list(CASES))}.map(window.natographLinks.safeHref)));")
    out = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [iri if linked else None for iri, linked in CASES.items()]
    for name in ("natograph.js", "search.js"):
        other = (templating.STATIC / name).read_text(encoding="utf-8")
        assert "natographLinks.safeHref" in other and not re.search(r"function safeHref|https\?", other), name
