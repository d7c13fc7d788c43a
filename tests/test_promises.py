"""The documentation's promises (README.md and docs/), one test each, through the public API and the CLI.

Each test was checked once against a broken promise (see the closing note of issue 14): it fails then.
Dated cases run on a small fictitious graph: the ontology, the query fixtures' ``world.ttl`` and the
few participations below, with its OWL RL closure, passed to ``natograph.query(..., graph=...)``.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

import natograph
from natograph.cli import main
from natograph.graph import loading, resources
from natograph.graph.parsing import parse_file

HERE = Path(__file__).resolve().parent
WORLD = HERE / "fixtures" / "queries" / "world.ttl"

# Memberships and a suspension at the edges of the date rules of docs/using.md (codes XA..XE are fictitious).
EDGES = """
@prefix ng: <https://w3id.org/natograph/ontology#> .
@prefix cty: <https://w3id.org/natograph/id/country/> .
@prefix iorg: <https://w3id.org/natograph/id/organisation/> .
@prefix ptn: <https://w3id.org/natograph/id/participation/> .
@prefix susp: <https://w3id.org/natograph/id/suspension/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

# Joins on the last day of March 2020 (a full date).
ptn:XE-NATO
    rdf:type ng:Participation ;
    ng:participant cty:XE ;
    ng:membershipIn iorg:NATO ;
    ng:startDate "2020-03-31"^^xsd:date .

# Joins in February 1995 (a partial date: the month only).
ptn:XD-NATO
    rdf:type ng:Participation ;
    ng:participant cty:XD ;
    ng:membershipIn iorg:NATO ;
    ng:startDate "1995-02"^^xsd:gYearMonth .

# No source gives its start; it ended on 2000-01-01.
ptn:XC-NATO
    rdf:type ng:Participation ;
    ng:participant cty:XC ;
    ng:membershipIn iorg:NATO ;
    ng:endDate "2000-01-01"^^xsd:date .

# A suspension that ended: 2018-01-01 to 2019-01-01.
ptn:XE-PATG ng:suspension susp:XE-PATG .
susp:XE-PATG
    rdf:type ng:Suspension ;
    ng:startDate "2018-01-01"^^xsd:date ;
    ng:endDate "2019-01-01"^^xsd:date .
"""


@pytest.fixture(scope="module")
def edges_graph(tmp_path_factory) -> Graph:
    path = tmp_path_factory.mktemp("edges") / "edges.ttl"
    path.write_text(EDGES, encoding="utf-8")
    asserted = loading.parse_files([resources.ontology_file(), WORLD, path])
    return loading.graph_of(asserted, loading.inferred_triples(asserted))


def members(graph: Graph, as_of: str) -> set[str]:
    return {str(row[0]) for row in natograph.query("members", {"as_of": as_of}, graph=graph).rows}


def partner_status(graph: Graph, code: str, as_of: str) -> str | None:
    rows = natograph.query("partners", {"as_of": as_of}, graph=graph).as_dicts()
    found = [str(row["status"]) for row in rows if str(row["code"]) == code]
    return found[0] if found else None


# ---------------------------------------------------------------------------
# Dates (docs/using.md, "Stored queries"; docs/model.md, "How the data is dated and sourced")
# ---------------------------------------------------------------------------


def test_as_of_a_month_means_its_last_day(edges_graph):
    assert "XE" in members(edges_graph, "2020-03")  # joined 2020-03-31, the month's last day
    assert "XE" not in members(edges_graph, "2020-03-30")
    assert "XE" not in members(edges_graph, "2020-02")


def test_as_of_a_year_means_its_last_day(edges_graph):
    assert "XE" in members(edges_graph, "2020")
    assert "XE" not in members(edges_graph, "2019")


def test_a_partial_date_counts_from_the_first_day_of_its_period(edges_graph):
    assert "XD" in members(edges_graph, "1995-02-01")  # joined "1995-02"
    assert "XD" not in members(edges_graph, "1995-01-31")


def test_an_undated_participation_holds_on_any_day_before_its_end(edges_graph):
    assert "XC" in members(edges_graph, "1960-06-01")
    assert "XC" in members(edges_graph, "1999-12-31")
    assert "XC" not in members(edges_graph, "2000-01-01")  # its end day: no longer a member


def test_a_suspension_that_ended_no_longer_suspends(edges_graph):
    assert partner_status(edges_graph, "XE", "2017-12-31") == "active"
    assert partner_status(edges_graph, "XE", "2018-06-01") == "suspended"
    assert partner_status(edges_graph, "XE", "2019-01-01") == "active"  # resumed that day
    assert partner_status(edges_graph, "XC", "2020") == "suspended"  # world.ttl: a suspension with no end


# ---------------------------------------------------------------------------
# Python API (docs/using.md, "Python")
# ---------------------------------------------------------------------------


def test_as_dicts_keys_rows_by_the_query_columns(edges_graph):
    result = natograph.query("members", {"as_of": "2020"}, graph=edges_graph)
    dicts = result.as_dicts()
    assert len(dicts) == len(result.rows) > 0
    for row, record in zip(result.rows, dicts, strict=True):
        assert tuple(record) == natograph.catalogue()["members"].columns == ("code", "label", "joined")
        assert tuple(record.values()) == tuple(None if v is None else str(v) for v in row)
        assert all(isinstance(v, str) or v is None for v in record.values())
    by_code = {d["code"]: d for d in dicts}
    assert by_code["XE"] == {"code": "XE", "label": "Echoland", "joined": "2020-03-31"}


def test_errors_form_one_hierarchy(tmp_path):
    assert issubclass(natograph.InputError, natograph.NatographError)
    assert issubclass(natograph.QueryError, natograph.NatographError)
    assert issubclass(natograph.ParameterError, natograph.QueryError)
    assert issubclass(natograph.UnsafeQueryError, natograph.QueryError)
    assert not issubclass(natograph.NatographError, (ValueError, OSError))
    with pytest.raises(natograph.ParameterError):
        natograph.query("members", {"as_of": "2020-02-30"}, graph=Graph())
    with pytest.raises(natograph.QueryError) as unknown:
        natograph.query("no-such-query", graph=Graph())
    assert not isinstance(unknown.value, natograph.ParameterError)
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ng: <https://w3id.org/natograph/ontology#> .\nng:x ng:y .\n", encoding="utf-8")
    with pytest.raises(natograph.InputError) as bad_file:
        natograph.validate([broken], alone=True)
    assert bad_file.value.path and bad_file.value.path.endswith("broken.ttl")


def test_unsafe_queries_raise_unsafe_query_error():
    from natograph.queries.running import run_sparql

    with pytest.raises(natograph.UnsafeQueryError):
        run_sparql(Graph(), "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")


# ---------------------------------------------------------------------------
# The command line (docs/using.md, "The command line", "Output formats")
# ---------------------------------------------------------------------------

COUNT_DERIVED = "PREFIX ng: <https://w3id.org/natograph/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?s ng:participationIn ?o }"


def _count(text: str) -> int:
    lines = text.strip().splitlines()
    assert lines[0] == "n"
    return int(lines[1])


def test_sparql_asserted_queries_the_triples_as_written(capsys, shipped_graph):
    assert main(["sparql", COUNT_DERIVED, "--format", "csv"]) == 0
    inferred = _count(capsys.readouterr().out)
    assert main(["sparql", COUNT_DERIVED, "--format", "csv", "--asserted"]) == 0
    asserted = _count(capsys.readouterr().out)
    assert inferred > 0, "ng:participationIn is derived (its subproperties are written)"
    assert asserted == 0, "no file writes ng:participationIn"


def test_sparql_reads_the_query_from_standard_input(capsys, monkeypatch, shipped_graph):
    monkeypatch.setattr(sys, "stdin", io.StringIO(COUNT_DERIVED))
    assert main(["sparql", "-f", "-", "--format", "csv", "--asserted"]) == 0
    assert _count(capsys.readouterr().out) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("ASK { ?s a <https://w3id.org/natograph/ontology#Country> }"))
    assert main(["sparql", "-f", "-"]) == 0
    assert capsys.readouterr().out == "true\n"


def test_sparql_describe_writes_the_resource_as_turtle(capsys, shipped_graph):
    assert main(["sparql", "DESCRIBE <https://w3id.org/natograph/id/country/FI>"]) == 0
    out = capsys.readouterr().out
    described = Graph().parse(data=out, format="turtle")
    fi = URIRef("https://w3id.org/natograph/id/country/FI")
    written = set(natograph.load(inferred=False).predicate_objects(fi))
    assert written and set(described.predicate_objects(fi)) >= written


def test_sparql_construct_defaults_to_turtle_and_takes_ntriples(capsys, shipped_graph):
    construct = (
        "PREFIX ng: <https://w3id.org/natograph/ontology#> "
        "CONSTRUCT { ?c ng:iso3166Alpha2 ?code } WHERE { ?c ng:iso3166Alpha2 ?code } "
    )
    assert main(["sparql", construct]) == 0  # --format left at its default (table)
    turtle = capsys.readouterr().out
    assert turtle.startswith("@prefix") and "ng:iso3166Alpha2" in turtle
    as_turtle = Graph().parse(data=turtle, format="turtle")
    assert main(["sparql", construct, "--format", "ntriples"]) == 0
    as_nt = Graph().parse(data=capsys.readouterr().out, format="nt")
    assert len(as_turtle) == len(as_nt) > 30
    assert set(as_turtle) == set(as_nt)


def test_version_and_help(capsys):
    from importlib.metadata import version

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith(f"natograph {version('natograph')} (data as of 20")
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("list", "query", "sparql", "validate", "export", "stats"):
        assert f"    {command}" in out, f"--help does not list {command}"
    assert "Exit codes: 0 ok; 1 validation found problems; 2 usage or input error." in out


def test_validation_results_are_sorted_by_file_and_line(tmp_path, capsys):
    """Two files, several results each, written out of order: the report lists them by file, then line."""
    prefixes = textwrap.dedent(
        """\
        @prefix ng: <https://w3id.org/natograph/ontology#> .
        @prefix cty: <https://w3id.org/natograph/id/country/> .
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        """
    )
    (tmp_path / "b.ttl").write_text(prefixes + "\ncty:XB rdf:type ng:Country .\n\ncty:XA rdf:type ng:Country .\n")
    (tmp_path / "a.ttl").write_text(prefixes + "\ncty:XD rdf:type ng:Country .\n\ncty:XC rdf:type ng:Country .\n")
    assert main(["validate", str(tmp_path / "b.ttl"), str(tmp_path / "a.ttl"), "--alone", "--format", "json"]) == 1
    results = json.loads(capsys.readouterr().out)["results"]
    located = [(Path(r["file"]).name, r["line"]) for r in results if r["file"]]
    assert {name for name, _ in located} == {"a.ttl", "b.ttl"}
    assert len({line for _, line in located}) >= 2
    assert located == sorted(located)


# ---------------------------------------------------------------------------
# Offline, in the CLI's own processes (README.md; docs/limits.md, "The network")
# ---------------------------------------------------------------------------

_NO_NETWORK = """
import os, socket, sys

_LOG = os.environ["NATOGRAPH_TEST_NETWORK_LOG"]


def _refuse(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{event} {args!r}\\n")
        raise OSError(f"network use refused by the test: {event}")


sys.addaudithook(_refuse)
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["query", "members", "-p", "as_of=2000"],
        ["sparql", "SELECT ?s WHERE { ?s a <https://w3id.org/natograph/ontology#Country> } LIMIT 1"],
        ["validate", "--format", "json"],
        ["export", "--format", "jsonld", "--inferred"],
    ],
    ids=lambda argv: argv[0],
)
def test_cli_processes_never_touch_the_network(argv, tmp_path):
    """Each command in a new process whose every socket connection or name lookup is logged and refused."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_NO_NETWORK, encoding="utf-8")
    log = tmp_path / "network.log"
    env = dict(os.environ)
    package_parent = str(Path(natograph.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join([str(hook), package_parent, env.get("PYTHONPATH", "")])
    env["NATOGRAPH_TEST_NETWORK_LOG"] = str(log)
    proc = subprocess.run(
        [sys.executable, "-m", "natograph", *argv], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip()
    assert not log.exists(), log.read_text(encoding="utf-8")


def test_the_network_hook_catches_a_connection(tmp_path):
    """The hook above has teeth: a process that opens a connection is logged and fails."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_NO_NETWORK, encoding="utf-8")
    log = tmp_path / "network.log"
    env = {**os.environ, "PYTHONPATH": str(hook), "NATOGRAPH_TEST_NETWORK_LOG": str(log)}
    code = "import socket; socket.socket().connect(('127.0.0.1', 9))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode != 0
    assert "socket.connect" in log.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# The installed wheel, from another folder (docs/maintaining.md, "Which files are read")
# ---------------------------------------------------------------------------


def test_installed_wheel_uses_its_bundled_resources(tmp_path):
    """Build the wheel, install it in a fresh venv (dependencies from this environment), run it from elsewhere."""
    import site
    import sysconfig

    checkout = Path(natograph.__file__).resolve().parent.parent
    if not (checkout / "pyproject.toml").is_file():
        pytest.skip("natograph is not running from a checkout: there is no source to build a wheel from")
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(wheels),
         str(checkout)],
        capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    (wheel,) = wheels.glob("natograph-*.whl")

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    purelib = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout.strip())
    # Dependencies (rdflib, owlrl, pyshacl) come from this environment, after the venv's own packages.
    here = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    (purelib / "zz-test-dependencies.pth").write_text("\n".join(sorted(here)) + "\n", encoding="utf-8")
    install = subprocess.run(
        # --ignore-installed: this environment's natograph (a non-editable install, as in CI) is visible
        # through the .pth above, and pip would otherwise call the wheel "already satisfied".
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "--ignore-installed",
         str(wheel)],
        capture_output=True, text=True, timeout=600,
    )
    if install.returncode != 0 and "no such option: --python" in install.stderr:
        pytest.skip("this pip cannot install into another interpreter (pip >= 22.3 needed)")
    assert install.returncode == 0, install.stdout[-2000:] + install.stderr[-2000:]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = subprocess.run(
        [str(python), "-c",
         "import natograph, natograph.graph.resources as r; print(natograph.__file__); print(r.ontology_file()); "
         "from natograph.pages import worldmap as w; print(w.FILE); print(len(w.load().countries))"],
        capture_output=True, text=True, cwd=elsewhere, env=env, timeout=120,
    )
    assert where.returncode == 0, where.stderr
    module, ontology, world_map, countries = where.stdout.split()
    assert Path(module).resolve().is_relative_to(venv.resolve()), module
    assert Path(ontology).resolve().is_relative_to(venv.resolve()), ontology
    assert Path(world_map).resolve().is_relative_to(venv.resolve()) and int(countries) > 200, (world_map, countries)
    script = venv / ("Scripts" if os.name == "nt" else "bin") / "natograph"
    run = subprocess.run(
        [str(script), "query", "members", "-p", "as_of=1950", "--format", "csv"],
        capture_output=True, text=True, cwd=elsewhere, env=env, timeout=600,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert lines[0].strip() == "code,label,joined"
    assert {line.split(",")[0] for line in lines[1:]} >= {"BE", "CA", "DK", "FR", "IS", "IT", "LU", "NL", "NO", "PT", "GB", "US"}


# ---------------------------------------------------------------------------
# Formats and numbers, checked exactly (docs/using.md, "Output formats" and "The command line")
# ---------------------------------------------------------------------------


def test_csv_is_sparql_csv_with_crlf_line_ends(capsys, shipped_graph):
    assert main(["query", "members", "-p", "as_of=1950", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("\r\n")
    lines = out.split("\r\n")[:-1]
    assert all("\n" not in line and "\r" not in line for line in lines)
    assert lines[0] == "code,label,joined"
    assert len(lines) == 1 + 12  # the twelve founding members of 1949


def test_stats_numbers_are_the_graphs(capsys, shipped_graph):
    from collections import Counter

    from rdflib.namespace import RDF

    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    numbers: dict[str, int] = {}
    for line in out.splitlines():
        parts = line.split(None, 1)
        if len(parts) == 2 and parts[0].isdigit():
            numbers[parts[1]] = int(parts[0])
    asserted_total = 0
    for path in loading.shipped_files():
        count = len(parse_file(path))
        asserted_total += count
        assert numbers[f"{path.parent.name}/{path.name}"] == count, path.name
    closure = natograph.load()
    assert numbers["total (with inference)"] == len(closure)
    assert numbers["inferred (OWL RL)"] == len(closure) - len(natograph.load(inferred=False))
    assert asserted_total >= len(natograph.load(inferred=False))  # files may repeat a triple
    per_class = Counter(
        closure.namespace_manager.normalizeUri(c) for c in closure.objects(None, RDF.type)
        if str(c).startswith("https://w3id.org/natograph/")
    )
    assert numbers["ng:Country"] == per_class["ng:Country"] == len(set(closure.subjects(RDF.type, URIRef(
        "https://w3id.org/natograph/ontology#Country"))))
    for cls, count in per_class.items():
        assert numbers[cls] == count, cls
