"""``natograph serve``: the read-only SPARQL endpoint, the catalogue as an API, the pages. Its limits'
flags come from the server's table of limits (``natograph.web.settings.LIMITS``): each one checked
against its bounds, a value outside them one line and exit code 2."""

from __future__ import annotations

import argparse

HELP = "a read-only SPARQL endpoint, the query catalogue as a web API, and resource pages"
LIMITED = False


def _typed(limit):
    def convert(text: str):
        try:
            return limit.parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc).removeprefix(limit.flag + " ")) from None

    return convert


def arguments(parser) -> None:
    from ...web.limits import LIMITS, number

    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--base-url", metavar="URL", default=None,
                        help="the server's public address, for the links it writes (VoID, OpenAPI, the service "
                        "description, relative IRIs in queries); default: the address it listens on")
    for name, limit in LIMITS.items():
        default = "2 to 4, by CPU count" if callable(limit.default) else number(limit.default)
        parser.add_argument(limit.flag, dest=name, type=_typed(limit), default=None,
                            metavar={"s": "SECONDS", "MiB": "MIB", "bytes": "BYTES"}.get(limit.unit, "N"),
                            help=f"{limit.help} (default {default}{' ' + limit.unit if limit.unit else ''}; "
                            f"{limit.accepted()})")


def run(args) -> int:
    from ...web.limits import LIMITS, check_base_url
    from ...web.serve import serve
    from ..options import UsageError

    chosen = {name: getattr(args, name) for name in LIMITS if getattr(args, name) is not None}
    if args.base_url is not None:
        try:
            chosen["base_url"] = check_base_url(args.base_url)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    return serve(host=args.host, **chosen)
