"""``natograph serve``: the read-only SPARQL endpoint, the catalogue as an API, the pages."""

from __future__ import annotations

from ..options import UsageError

HELP = "a read-only SPARQL endpoint, the query catalogue as a web API, and resource pages"
LIMITED = False


def arguments(parser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds a query may run before it is stopped (default 30)")
    parser.add_argument("--max-rows", type=int, default=10_000, help="rows a query returns at most (default 10000)")
    parser.add_argument("--workers", type=int, default=None, help="query worker processes (default: 2 to 4, by CPU count)")
    parser.add_argument("--memory-triples", type=int, default=None, metavar="N",
                        help="hold a graph of at most N triples in each worker's memory, a larger one is read from the "
                        "on-disk database (default 1000000; 0: never)")


def run(args) -> int:
    from ...web.serve import serve

    if args.timeout <= 0 or args.max_rows <= 0 or not 0 <= args.port <= 65535 or (args.workers is not None and args.workers < 1):
        raise UsageError("--timeout, --max-rows and --workers must be positive, --port between 0 and 65535")
    if args.memory_triples is not None and args.memory_triples < 0:
        raise UsageError("--memory-triples must be 0 or more")
    return serve(host=args.host, port=args.port, timeout=args.timeout, max_rows=args.max_rows, workers=args.workers,
                 memory_triples=args.memory_triples)
