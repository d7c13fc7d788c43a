"""Sharing for the mutation tests: one parse and one OWL RL closure per distinct mutant.

A mutant is validated once with every rule, then again with each of its declared rules knocked out;
its files are the same bytes every time (written once, see ``mutant_folder``), so its closure is the
same. Until natograph caches the closure of ``--alone`` inputs by content itself, the session keeps
the last few parses and closures here, keyed by the files' bytes (the parse) and by the parsed
triples (the closure): a knockout run costs the SHACL and check runs, not a second closure. The
wrappers change nothing else: the same function computes the same graph the first time.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from pathlib import Path

import pytest
from rdflib import Graph

_KEEP = 3  # the mutant being judged and its knockouts are adjacent tests; a few entries suffice


def _lru(store: OrderedDict, key, compute):
    if key in store:
        store.move_to_end(key)
        return store[key]
    value = compute()
    store[key] = value
    while len(store) > _KEEP:
        store.popitem(last=False)
    return value


@pytest.fixture(scope="session", autouse=True)
def _one_closure_per_mutant():
    from natograph import graph as graphs
    from natograph.namespaces import bind_all

    if not (hasattr(graphs, "parse_files") and hasattr(graphs, "inferred_triples")):
        yield  # natograph computes closures some other way now: nothing to share here
        return
    parses: OrderedDict = OrderedDict()
    closures: OrderedDict = OrderedDict()
    parse_files, inferred_triples = graphs.parse_files, graphs.inferred_triples

    def shared_parse(paths, *, into=None):
        paths = [Path(p) for p in paths]
        if into is not None:
            return parse_files(paths, into=into)
        key = tuple((p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in paths)
        triples = _lru(parses, key, lambda: tuple(parse_files(paths)))
        graph = Graph()
        graph.addN((s, p, o, graph) for s, p, o in triples)  # same blank nodes: the closure below stays valid
        bind_all(graph)
        return graph

    def shared_closure(asserted):
        key = frozenset(asserted)
        triples = _lru(closures, key, lambda: tuple(inferred_triples(asserted)))
        added = Graph()
        added.addN((s, p, o, added) for s, p, o in triples)
        bind_all(added)
        return added

    mp = pytest.MonkeyPatch()
    mp.setattr(graphs, "parse_files", shared_parse)
    mp.setattr(graphs, "inferred_triples", shared_closure)
    yield
    mp.undo()


@pytest.fixture(scope="session")
def mutant_folder(tmp_path_factory):
    """``mutant_folder(fault)``: a folder for the fault's mutant, the same one for all its runs in the session."""
    root = tmp_path_factory.mktemp("mutants")

    def folder(fault) -> Path:
        return root / fault.name / "data"

    return folder
