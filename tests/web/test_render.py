"""The renderers a static release reuses: ``resource_html`` pages link to each other by relative
paths that resolve, as files, to other resources' pages; ``resource_rdf`` is None for unknown IRIs."""

from __future__ import annotations

import posixpath
import re

import pytest
from rdflib import Graph

from natograph.graph.store.opening import open_engine
from natograph.pages.layout import RELEASE, SERVER
from natograph.pages.render import BASE, describe_exists, resource_html, resource_rdf


@pytest.mark.parametrize("mode", [SERVER, RELEASE])
@pytest.mark.parametrize("iri", [BASE + "id/country/FR", BASE + "id/framework/PfP", BASE + "ontology"])
def test_relative_links_resolve_to_other_resources(iri, mode):
    """The links of the page's content (the frame's links to the site's own pages are the release
    test's) lead to other resources' pages; on the server a French page's keep the language."""
    engine = open_engine()
    html = resource_html(engine, iri, lang="fr", mode=mode)
    content = html[html.index("<main"):html.index("</main>")]
    here = posixpath.dirname(iri[len(BASE):])
    links = [h for h in re.findall(r'href="([^"]+)"', content) if not h.startswith(("http://", "https://", "#"))]
    resources = [h for h in links if not h.endswith((".ttl", ".nt", ".jsonld", ".html", ".json", ".json?lang=fr"))
                 and not h.endswith("/")]
    assert len(resources) > 5
    for href in resources:
        page, _, query = href.split("#")[0].partition("?")
        assert query == ("lang=fr" if mode == SERVER else ""), href
        target = posixpath.normpath(posixpath.join(here, page))
        assert describe_exists(engine, BASE + target), f"{href} from {iri} resolves to nothing"


def test_absolute_links_with_a_base():
    html = resource_html(open_engine(), BASE + "id/country/FR", base="https://example.org/ng/")
    assert 'href="https://example.org/ng/ontology#Country"' in html
    assert 'href="../' not in html


def test_rdf_of_a_resource_and_of_an_unknown_one():
    engine = open_engine()
    for fmt, parser in (("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")):
        graph = Graph().parse(data=resource_rdf(engine, BASE + "id/framework/MD", fmt), format=parser)
        assert len(graph) > 10
    assert resource_rdf(engine, BASE + "id/country/XX", "turtle") is None
    assert resource_html(engine, BASE + "id/country/XX") is None
