"""Export the graph for other linked-data tools: deterministic bytes, files written atomically.

Byte-stable means: blank nodes get canonical labels (rdflib.compare, RDF canonicalisation), and
every format is written in sorted order by natograph itself, except Turtle, whose rdflib
serializer already sorts. rdflib's RDF/XML, JSON-LD and TriG serializers walk the store in an order
that changes with Python's hash seed, so they are not used.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import json
import os
import secrets
import signal
import stat
import sys
import threading
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF
from rdflib.plugins.serializers.nt import _nt_row

from . import graph as graphs
from .errors import InputError
from .namespaces import BASE, PREFIXES, bind_all

EXPORT_FORMATS = ("turtle", "ntriples", "jsonld", "xml", "trig", "nquads")
PROFILES = ("owl-dl", "wikidata")
"""Profiles of the graph (``--profile``): ``owl-dl``, for OWL 2 DL reasoners (natograph.owl_dl);
``wikidata``, Wikidata's statement model (natograph.profiles)."""
GRAPH_NAME = URIRef(BASE + "graph")


def canonical(source: Graph) -> Graph:
    """The same graph with canonical blank-node labels, and natograph's prefixes bound."""
    out = Graph()
    bind_all(out)
    for triple in to_canonical_graph(source):
        out.add(triple)
    return out


def _ntriples_lines(source: Graph) -> list[str]:
    return sorted({_nt_row(triple) for triple in source})


def _key(term) -> tuple[int, str]:
    return (0 if isinstance(term, URIRef) else 1 if isinstance(term, BNode) else 2, term.n3())


def _to_xml(source: Graph) -> str:
    used = {}
    for predicate in {p for _, p, _ in source} | {RDF.type}:
        for prefix, namespace in PREFIXES.items():
            local = str(predicate)[len(str(namespace)):]
            if str(predicate).startswith(str(namespace)) and local and (local[0].isalpha() or local[0] == "_") and all(
                c.isalnum() or c in "_-." for c in local
            ):
                used[predicate] = (prefix, local)
                break
        else:
            raise InputError(f"cannot write <{predicate}> as an RDF/XML element: no known namespace")
    prefixes = sorted({prefix for prefix, _ in used.values()} | {"rdf"})
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    out.extend(f"    xmlns:{p}={quoteattr(str(PREFIXES[p]))}" for p in prefixes)
    out[-1] += ">"
    for subject in sorted(set(source.subjects()), key=_key):
        about = f"rdf:nodeID={quoteattr(str(subject))}" if isinstance(subject, BNode) else f"rdf:about={quoteattr(str(subject))}"
        out.append(f"  <rdf:Description {about}>")
        for predicate, obj in sorted(source.predicate_objects(subject), key=lambda po: (str(po[0]), _key(po[1]))):
            tag = ":".join(used[predicate])
            if isinstance(obj, URIRef):
                out.append(f"    <{tag} rdf:resource={quoteattr(str(obj))}/>")
            elif isinstance(obj, BNode):
                out.append(f"    <{tag} rdf:nodeID={quoteattr(str(obj))}/>")
            else:
                attrs = ""
                if obj.language:
                    attrs = f" xml:lang={quoteattr(obj.language)}"
                elif obj.datatype:
                    attrs = f" rdf:datatype={quoteattr(str(obj.datatype))}"
                out.append(f"    <{tag}{attrs}>{escape(str(obj))}</{tag}>")
        out.append("  </rdf:Description>")
    out.append("</rdf:RDF>")
    return "\n".join(out) + "\n"


def _jsonld_value(term) -> dict:
    if isinstance(term, URIRef):
        return {"@id": str(term)}
    if isinstance(term, BNode):
        return {"@id": f"_:{term}"}
    assert isinstance(term, Literal)
    if term.language:
        return {"@value": str(term), "@language": term.language}
    if term.datatype:
        return {"@value": str(term), "@type": str(term.datatype)}
    return {"@value": str(term)}


def _to_jsonld(source: Graph) -> str:
    """Expanded-IRI JSON-LD (no context to fetch), one node object per subject, all sorted."""
    nodes = []
    for subject in sorted(set(source.subjects()), key=_key):
        node: dict = {"@id": f"_:{subject}" if isinstance(subject, BNode) else str(subject)}
        types = sorted(str(o) for o in source.objects(subject, RDF.type) if isinstance(o, URIRef))
        if types:
            node["@type"] = types
        for predicate in sorted({p for p in source.predicates(subject)}, key=str):
            values = [o for o in source.objects(subject, predicate)]
            if predicate == RDF.type:
                values = [o for o in values if not isinstance(o, URIRef)]
                if not values:
                    continue
            node[str(predicate)] = [_jsonld_value(o) for o in sorted(values, key=_key)]
        nodes.append(node)
    return json.dumps({"@graph": nodes}, ensure_ascii=False, indent=2) + "\n"


def serialize(source: Graph, fmt: str) -> bytes:
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    data = canonical(source)
    if fmt == "ntriples":
        return "".join(_ntriples_lines(data)).encode("utf-8")
    if fmt == "nquads":
        name = f" {GRAPH_NAME.n3()} .\n"
        return "".join(line[: -len(" .\n")] + name for line in _ntriples_lines(data)).encode("utf-8")
    if fmt == "trig":
        lines = [f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()]
        lines += ["\n", f"{GRAPH_NAME.n3()} {{\n"]
        lines += ["    " + line for line in _ntriples_lines(data)]
        lines.append("}\n")
        return "".join(lines).encode("utf-8")
    if fmt == "xml":
        return _to_xml(data).encode("utf-8")
    if fmt == "jsonld":
        return _to_jsonld(data).encode("utf-8")
    return data.serialize(format="turtle", encoding="utf-8")


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write *data* to *path* without ever destroying what is there.

    ``-`` is standard output. A symbolic link is followed to its target (the link stays). A device,
    FIFO or socket is written in place, never replaced (``-o /dev/null`` stays a device). A regular
    file is written through a temporary file in the same folder, then renamed over the target: a
    reader sees the old file or the whole new one. A new file gets the umask's mode, an existing one
    keeps its mode (and, when permitted, its owner). The temporary file is removed on every failure,
    Ctrl-C and SIGTERM; one left by a process killed outright is removed by the next write.
    """
    if str(path) == "":
        raise InputError("the output file name is empty (give a file name, or '-' for standard output)")
    if str(path) == "-":
        _write_stream(data)
        return
    given = str(path)
    target = Path(os.path.realpath(given))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise InputError(_reason(exc), path=given) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise InputError("is a folder, not a file", path=given)
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_in_place(target, given, data)
        return
    folder = target.parent
    if not folder.is_dir():
        raise InputError("folder does not exist", path=str(folder))
    _remove_orphans(folder, target.name)
    with _cleanup_on_signals() as pending:
        tmp = folder / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        pending.append(tmp)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        except OSError as exc:
            raise InputError(f"cannot write here ({_reason(exc)})", path=str(folder)) from None
        try:
            with os.fdopen(fd, "wb") as handle:
                if st is not None:
                    os.fchmod(handle.fileno(), stat.S_IMODE(st.st_mode))
                    if hasattr(os, "fchown") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                        with contextlib.suppress(OSError):
                            os.fchown(handle.fileno(), st.st_uid, st.st_gid)
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise InputError(f"cannot write file ({_reason(exc)})", path=given) from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a loop of symbolic links"
    return exc.strerror or str(exc)


def _write_stream(data: bytes) -> None:
    with _no_file_size_signal():
        try:
            sys.stdout.flush()
            try:
                fd = sys.stdout.fileno()
            except (AttributeError, OSError, ValueError):  # not a real file
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
                return
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise InputError(f"cannot write ({_reason(exc)})", path="standard output") from None


def _write_in_place(target: Path, given: str, data: bytes) -> None:
    """A device, FIFO or socket: opened and written as it is, never replaced or truncated away."""
    with _no_file_size_signal():
        try:
            fd = os.open(target, os.O_WRONLY)
        except OSError as exc:
            raise InputError(f"cannot write ({_reason(exc)})", path=given) from None
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        except OSError as exc:
            raise InputError(f"cannot write ({_reason(exc)})", path=given) from None
        finally:
            os.close(fd)


def _remove_orphans(folder: Path, name: str) -> None:
    """Remove temporary files of earlier writes to *name* whose process no longer exists."""
    for leftover in folder.glob(f".{glob.escape(name)}.*.tmp"):
        pid = leftover.name[len(name) + 2:].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            leftover.unlink(missing_ok=True)
        except OSError:
            continue


@contextlib.contextmanager
def _no_file_size_signal():
    """A file size limit (ulimit -f) kills the process with SIGXFSZ by default: ignore it for the
    write, which then fails with EFBIG and is reported."""
    previous = None
    if hasattr(signal, "SIGXFSZ") and threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGXFSZ, previous)


class _Stopped(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _cleanup_on_signals():
    """Run the block with SIGTERM (and SIGHUP) turned into an exception, so that the temporary
    files listed in the yielded list are removed; then the signal's usual effect follows."""
    pending: list[Path] = []
    previous: dict[int, object] = {}

    def stop(signum, frame):
        raise _Stopped(signum)

    with _no_file_size_signal():
        if threading.current_thread() is threading.main_thread():
            for name in ("SIGTERM", "SIGHUP"):
                if hasattr(signal, name):
                    number = getattr(signal, name)
                    previous[number] = signal.signal(number, stop)
        try:
            yield pending
        except _Stopped as stopped:
            for tmp in pending:
                tmp.unlink(missing_ok=True)
            for number, handler in previous.items():
                signal.signal(number, handler)
            previous.clear()
            os.kill(os.getpid(), stopped.signum)  # the usual effect: terminate
            raise KeyboardInterrupt from None  # only if the handler returned
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)


def _graph(*, inferred: bool) -> Graph:
    """The asserted graph, or with *inferred* the OWL RL closure and the nodes the alignments generate."""
    if not inferred:
        return graphs.load(inferred=False)
    from .alignments import with_generated

    return with_generated(graphs.load(inferred=True))


def profile_graph(profile: str, *, inferred: bool = False) -> Graph:
    """The shipped graph re-shaped by *profile* (one of PROFILES): ``wikidata`` (natograph.profiles,
    built from the inferred graph), ``owl-dl`` (natograph.owl_dl, of the asserted or inferred graph)."""
    if profile not in PROFILES:
        raise InputError(f"unknown profile {profile!r}; expected one of {', '.join(PROFILES)}")
    if profile == "owl-dl":
        from .owl_dl import owl_dl

        return owl_dl(_graph(inferred=inferred))
    from .profiles import build

    return build(profile, graphs.load(inferred=True))


def export(fmt: str = "turtle", *, inferred: bool = False, profile: str | None = None,
           output: str | Path | None = None) -> bytes:
    """The shipped graph in *fmt*; written to *output* if given.

    *inferred* adds the OWL RL closure and the nodes the alignments generate (natograph.alignments);
    *profile* re-shapes the graph first (PROFILES: ``owl-dl``, ``wikidata``).
    """
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    source = _graph(inferred=inferred) if profile is None else profile_graph(profile, inferred=inferred)
    data = serialize(source, fmt)
    if output is not None:
        write_atomic(output, data)
    return data
