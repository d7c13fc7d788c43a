"""``natograph release``: a folder ready to publish, the same bytes every time it is built.

Layout of the folder (``VERSION`` is natograph's version, from ``natograph/_version.py``)::

    index.html                   landing page, EN and FR, schema.org Dataset as JSON-LD inside
    void.ttl                     VoID and DCAT (one description, both vocabularies)
    RELEASE-NOTES.md             what changed since the previous release (``--previous``), from the data
    SHA256SUMS                   every other file, ``sha256sum -c`` format
    dumps/natograph-VERSION.{ttl,nt,nt.gz,jsonld,rdf}           the asserted graph
    dumps/natograph-VERSION-inferred.{ttl,nt,nt.gz,jsonld,rdf}  the graph with its OWL RL closure
    dumps/natograph-VERSION-alignments.{ttl,nt,nt.gz,jsonld,rdf} the nodes the alignments generate
    dumps/natograph-VERSION-{queries,shapes}.zip                 the stored queries, the SHACL shapes
    queries/*.rq, shapes/**                                      the same files, to read in a browser
                                                                 (shapes: *.shapes.ttl, as-written/, README.md)
    ontology/index.html          the ontology's documentation (every term, EN and FR, a class diagram)
    ontology/classes.svg         the class diagram (Graphviz ``dot``)
    ontology/natograph.{ttl,jsonld,rdf}
    id/<kind>/<name>.{html,ttl,jsonld}  one page per resource, from the renderer ``natograph serve`` uses
    map.{en,fr}.html, map.json, static/  the map through time (the server's home page)
    search.{en,fr}.html, search.json     search without a server (the index, searched by static/search.js)
    .htaccess, nginx.conf        content negotiation (Apache mod_rewrite; nginx)
    w3id/.htaccess               the redirect rules for https://w3id.org/natograph/ (with ``--site-url``)

Nothing in the folder depends on the clock: dates come from the ontology header
(``dcterms:created``, ``dcterms:modified``), gzip and zip members carry fixed times, every list is
sorted, and blank nodes get canonical labels.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zipfile
from pathlib import Path

from .._version import __version__
from ..errors import InputError
from ..graph import resources
from ..graph.namespaces import BASE
from ..graph.serializing import serialize
from ..pages.templating import release_environment
from .dataset import DESCRIPTION, DUMP_FORMATS, LICENSE, MARKER, TITLE, Distribution, Release
from .description import check_description, description_graph, description_turtle, header_dates, schema_org, statistics
from .folder import target_of, write_folder
from .notes import previous_dump, release_notes
from .ontodoc import ontology_dumps, ontology_files, version_dumps
from .site import conneg_files, explorer_files, site_files, version_files


def release(output: str | Path, *, endpoint_url: str | None = None, site_url: str | None = None,
            previous: str | Path | None = None, engine=None) -> Release:
    """Build the release folder *output* (replacing an earlier release there, never anything else)."""
    from ..graph.store.opening import open_engine

    output = Path(output)
    check_url(endpoint_url, "--endpoint-url")
    check_url(site_url, "--site-url", folder=True)
    _check_output(target_of(output))
    if previous is not None:
        previous_dump(previous)  # refuse a wrong folder before building anything
    engine = engine or open_engine()
    rel = Release(folder=output, version=__version__)
    issued, modified = header_dates(engine)
    rel.stats = statistics(engine)
    folder = _Folder()
    _add_dumps(folder, rel, engine)
    _add_stored_files(folder, rel)
    _add_ontology(folder, rel)
    _add_landing_page(folder, rel, engine, issued=issued, modified=modified, endpoint_url=endpoint_url,
                      previous=previous)
    _add_site(folder, rel, engine, site_url=site_url)
    # SHA256SUMS over every other file, then write the folder
    sums = "".join(f"{sha256(folder.files[path])}  {path}\n" for path in sorted(folder.files))
    folder.add("SHA256SUMS", sums.encode("utf-8"))
    rel.files = sorted(folder.files)
    write_folder(output, folder.files, holds_release=holds_release)
    return rel


class _Folder:
    """Collects the files of the release in memory-order-free form: path -> bytes."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def add(self, path: str, data: bytes) -> bytes:
        if path in self.files:
            raise AssertionError(f"{path} written twice")
        self.files[path] = data
        return data


def _check_output(output: Path) -> None:
    """*output* (its links followed) is new, an empty folder, or a release: never anything else."""
    if output.exists() and not output.is_dir():
        raise InputError("is a file, not a folder", path=str(output))
    if output.is_dir() and any(output.iterdir()) and not holds_release(output):
        raise InputError("folder is not empty and holds no natograph release: refusing to replace it", path=str(output))


def holds_release(folder: Path) -> bool:
    """Whether *folder* holds a natograph release (its SHA256SUMS, and its landing page with the marker)."""
    index = folder / "index.html"
    try:
        return (folder / "SHA256SUMS").is_file() and index.is_file() and MARKER in index.read_text("utf-8", "replace")
    except OSError:
        return False


_URL_FORBIDDEN = {'"': "a quotation mark", "<": "'<'", ">": "'>'", "\\": "a backslash", "^": "'^'", "`": "'`'",
                  "{": "'{'", "}": "'}'", "|": "'|'"}
_FOLDER_FORBIDDEN = {"?": "a query ('?')", "#": "a fragment ('#')", "%": "'%' (mod_rewrite reads it as a back-reference)",
                     "$": "'$' (mod_rewrite reads it as a back-reference)"}


def check_url(url: str | None, flag: str, *, folder: bool = False) -> None:
    """Refuse *url* unless it is an absolute http(s) URL with a host, without spaces, control or
    format characters (a line break in --site-url would be a second rule in w3id/.htaccess), nor a
    character an IRI cannot hold; a *folder*'s address (--site-url: what the redirect rules append
    paths to) holds no query, fragment, '%' or '$' either."""
    if url is None:
        return
    import unicodedata
    from urllib.parse import urlsplit

    from ..output import visible

    def refuse(why: str):
        raise InputError(f"{flag} must be an absolute http(s) URL{' of a folder' if folder else ''}, without spaces or "
                         f"control characters: '{visible(url)}' {why}")

    for char in url:
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp", "Zs"):
            shown = "a space" if char == " " else visible(char) if visible(char) != char else f"U+{ord(char):04X}"
            refuse(f"holds {shown}")
        if char in _URL_FORBIDDEN or (folder and char in _FOLDER_FORBIDDEN):
            refuse(f"holds {_URL_FORBIDDEN.get(char) or _FOLDER_FORBIDDEN[char]}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- a port that is not a number raises ValueError
    except ValueError as exc:
        refuse(f"cannot be read ({exc})")
    if parts.scheme.lower() not in ("http", "https") or not url.lower().startswith(("http://", "https://")):
        refuse("is not http or https")
    if not parts.hostname:
        refuse("names no host")


def _add_dumps(folder: _Folder, rel: Release, engine) -> None:
    """1. The graph as written, with its closure, and the nodes the alignments generate, in every dump
    format (N-Triples gzipped too)."""
    from .alignments import alignments_graph

    version = rel.version
    graphs = (
        ("", engine.rdflib_graph(inferred=False), "the asserted graph", "le graphe tel qu'écrit"),
        ("-inferred", engine.rdflib_graph(inferred=True), "the graph with its OWL RL closure",
         "le graphe avec sa clôture OWL RL"),
        ("-alignments", alignments_graph(engine), "the nodes the alignments generate (OWL-Time, PROV-O, ORG)",
         "les nœuds qu'écrivent les alignements (OWL-Time, PROV-O, ORG)"),
    )
    for suffix, graph, what_en, what_fr in graphs:
        stem = f"dumps/natograph-{version}{suffix}"
        for fmt in DUMP_FORMATS:
            data = folder.add(stem + fmt.suffix, serialize(graph, fmt.fmt))
            rel.distributions.append(Distribution(stem + fmt.suffix, fmt.media_type, fmt.file_type,
                                                  f"natograph {version}, {what_en}, {fmt.label}",
                                                  f"natograph {version}, {what_fr}, {fmt.label}",
                                                  len(data), sha256(data)))
            if fmt.fmt == "ntriples":
                packed = folder.add(stem + fmt.suffix + ".gz", gzip_bytes(data))
                rel.distributions.append(Distribution(stem + fmt.suffix + ".gz", fmt.media_type, fmt.file_type,
                                                      f"natograph {version}, {what_en}, N-Triples, gzipped",
                                                      f"natograph {version}, {what_fr}, N-Triples, compressé (gzip)",
                                                      len(packed), sha256(packed), compress="application/gzip"))


def _add_stored_files(folder: _Folder, rel: Release) -> None:
    """The stored queries and the shapes: the files as written, and one zip of each."""
    version = rel.version
    queries = [(f"queries/{p.name}", p.read_bytes()) for p in resources.query_files()]
    folder_of_shapes = resources.shapes_dir()
    shapes = [(f"shapes/{p.relative_to(folder_of_shapes).as_posix()}", p.read_bytes())
              for p in [*resources.shapes_files(), folder_of_shapes / "README.md"] if p.is_file()]
    for members, name, en, fr in ((queries, "queries", "stored SPARQL queries", "requêtes SPARQL enregistrées"),
                                  (shapes, "shapes", "SHACL shapes", "formes SHACL")):
        for path, data in members:
            folder.add(path, data)
        packed = folder.add(f"dumps/natograph-{version}-{name}.zip", zip_bytes(members))
        rel.distributions.append(Distribution(f"dumps/natograph-{version}-{name}.zip", "application/zip", "ZIP",
                                              f"natograph {version}, {en}", f"natograph {version}, {fr}",
                                              len(packed), sha256(packed)))


def _add_ontology(folder: _Folder, rel: Release) -> None:
    """3. The ontology in the dump formats, and its documentation."""
    version = rel.version
    ontology = ontology_dumps()
    for fmt in DUMP_FORMATS:
        data = ontology.get(fmt.suffix)
        if data is None:
            continue
        path = f"dumps/natograph-{version}-ontology{fmt.suffix}"
        folder.add(path, data)
        rel.distributions.append(Distribution(path, fmt.media_type, fmt.file_type,
                                              f"natograph {version}, the ontology, {fmt.label}",
                                              f"natograph {version}, l'ontologie, {fmt.label}", len(data), sha256(data)))
    for path, data in ontology_files(version=version).items():
        folder.add(path, data)


def _add_landing_page(folder: _Folder, rel: Release, engine, *, issued: str, modified: str, endpoint_url: str | None,
                      previous: str | Path | None) -> None:
    """2. The description (VoID and DCAT, checked against the DCAT-AP shapes), the release notes and
    the landing page, which lists every distribution added before it."""
    description = description_graph(rel, issued=issued, modified=modified, endpoint_url=endpoint_url)
    problems = check_description(description)
    if problems:
        raise InputError(f"the release description fails the DCAT-AP shapes: {problems[0]}"
                         + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    folder.add("void.ttl", description_turtle(description))
    schema = schema_org(rel, issued=issued, modified=modified, endpoint_url=endpoint_url)
    notes = release_notes(engine, rel, previous=previous, today=modified)
    folder.add("RELEASE-NOTES.md", notes.encode("utf-8"))
    env = release_environment()
    page = env.get_template("release/index.html").render(
        rel=rel, title=TITLE, description=DESCRIPTION, issued=issued, modified=modified, license=LICENSE,
        endpoint_url=endpoint_url, marker=MARKER, human_size=human_size, base=BASE,
        schema_json=json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True).replace("</", "<\\/"),
    )
    folder.add("index.html", page.encode("utf-8"))


def _add_site(folder: _Folder, rel: Release, engine, *, site_url: str | None) -> None:
    """4. The linked-data site (a page and the data of every resource) and its server configuration."""
    for path, data in site_files(engine).items():
        folder.add(path, data)
    for path, data in version_files(engine, doc=folder.files["doc/index.html"], ontologies=version_dumps()).items():
        folder.add(path, data)
    for path, data in conneg_files(version=rel.version, site_url=site_url).items():
        folder.add(path, data)
    for path, data in explorer_files(engine).items():
        folder.add(path, data)


def verify(folder: str | Path) -> list[str]:
    """Check SHA256SUMS against the files of *folder*; returns the problems (empty when it matches)."""
    folder = Path(folder)
    problems = []
    listed = set()
    for line in (folder / "SHA256SUMS").read_text("utf-8").splitlines():
        digest, _, path = line.partition("  ")
        listed.add(path)
        target = folder / path
        if not target.is_file():
            problems.append(f"{path}: missing")
        elif sha256(target.read_bytes()) != digest:
            problems.append(f"{path}: checksum differs")
    for target in sorted(p for p in folder.rglob("*") if p.is_file()):
        path = target.relative_to(folder).as_posix()
        if path != "SHA256SUMS" and path not in listed:
            problems.append(f"{path}: not listed")
    return problems


# ---------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no file name and a fixed mtime, so the bytes depend on *data* only."""
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as handle:
        handle.write(data)
    return out.getvalue()


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    """A zip of *members* in name order, every entry dated 1980-01-01 (zip's epoch), mode 0644."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in sorted(members):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    return out.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def human_size(size: int) -> str:
    for unit in ("B", "KiB", "MiB"):
        if size < 1024 or unit == "MiB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)
