"""Parameters reach SPARQL as RDF terms, never as pasted text: shown by results, through the public API.

1. Values that pass the type check but differ from the data's spelling (``pfp``, ``xa``) are bound as the
   data's own term: pasted as text they would match nothing, bound they give the same rows as ``PfP``/``XA``.
2. Codes that hold quotes, braces or ``#`` and that a graph really uses: refused by the type check today;
   if a type check ever lets one through, it must still be data (exactly the rows of the organisation
   that carries it, the same rows as its plain second code), never query text.
3. A hostile value leaves the graph as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

import natograph
from natograph.graph import loading, resources
from natograph.graph.namespaces import NG

WORLD = Path(__file__).resolve().parent / "fixtures" / "queries" / "world.ttl"
EXO = URIRef("https://w3id.org/natograph/id/organisation/EXO")
HOSTILE = [
    'EXO" } UNION { ?participation ?relation ?target } #',
    "EXO' } #",
    "EXO> <x",
    'EXO"@en',
    "EXO\\",
    "EXO\n} LIMIT 0 #",
]


@pytest.fixture(scope="module")
def world() -> Graph:
    asserted = loading.parse_files([resources.ontology_file(), WORLD])
    return loading.graph_of(asserted, loading.inferred_triples(asserted))


def rows(result) -> list[tuple[str, ...]]:
    return [tuple("" if v is None else str(v) for v in row) for row in result.rows]


def test_a_choice_is_bound_as_the_datas_term(world):
    canonical = rows(natograph.query("partners", {"framework": "PfP", "as_of": "2020"}, graph=world))
    assert canonical, "the fixture has PfP partners in 2020"
    assert rows(natograph.query("partners", {"framework": "pfp", "as_of": "2020"}, graph=world)) == canonical
    assert rows(natograph.query("partners", {"framework": "MD", "as_of": "2020"}, graph=world)) != canonical


def test_a_code_is_bound_as_the_datas_term(world):
    upper = rows(natograph.query("country", {"code": "XC"}, graph=world))
    assert upper, "the fixture's XC has a profile"
    assert rows(natograph.query("country", {"code": "xc"}, graph=world)) == upper
    assert rows(natograph.query("country", {"code": "XB"}, graph=world)) != upper


@pytest.mark.parametrize("hostile", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_code_the_graph_uses_is_refused_or_stays_data(world, hostile):
    graph = Graph()
    for triple in world:
        graph.add(triple)
    graph.add((EXO, NG.code, Literal(hostile)))  # EXO now has two codes: "EXO" and the hostile one
    before = len(graph)
    expected = rows(natograph.query("country", {"code": "EXO"}, graph=graph))
    assert expected, "the fixture's organisation EXO has a profile"
    try:
        got = rows(natograph.query("country", {"code": hostile}, graph=graph))
    except natograph.ParameterError:
        got = None  # refused before it reached the query: safe
    if got is not None:
        assert got == expected, f"the value {hostile!r} changed the query"
    assert len(graph) == before


def test_a_hostile_value_on_every_parameter_is_refused_and_changes_nothing(world):
    before = len(world)
    for name, param in [("partners", "framework"), ("partners", "as_of"), ("members", "as_of"),
                        ("initiative-participants", "initiative"), ("timeline", "from"), ("country", "code")]:
        with pytest.raises(natograph.ParameterError):
            natograph.query(name, {param: HOSTILE[0]}, graph=world)
    assert len(world) == before
