"""``natograph release``: a folder ready to publish."""

from __future__ import annotations

import sys

from ..options import EXIT_OK

HELP = "build a folder ready to publish: dumps, VoID/DCAT, ontology docs, a static site"
LIMITED = False


def arguments(parser) -> None:
    parser.add_argument("-o", "--output", default="site", help="the release folder (default: site)")
    parser.add_argument("--endpoint-url", help="the public SPARQL endpoint, when one is served")
    parser.add_argument("--site-url", help="where the folder will be published: writes w3id/.htaccess redirecting there")
    parser.add_argument("--previous", metavar="DIR", help="an earlier release folder: the release notes list what changed")


def run(args) -> int:
    from ...output import visible
    from ...publish.release import release

    rel = release(args.output, endpoint_url=args.endpoint_url, site_url=args.site_url, previous=args.previous)
    sys.stderr.write(f"natograph {rel.version}: {len(rel.files)} files in {visible(str(rel.folder))}"
                     f" ({rel.stats['triples']} triples, {len(rel.distributions)} distributions)\n")
    return EXIT_OK
