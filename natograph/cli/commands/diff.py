"""``natograph diff``: what an edit changes (triples, inferred triples, stored-query answers)."""

from __future__ import annotations

from ..options import EXIT_INVALID, EXIT_OK, UsageError, choice, write

HELP = "what an edit changes: triples, inferred triples and stored-query answers"
DESCRIPTION = ("Compare two roots (folders holding ontology/, data/, queries/) or two sets of .ttl files (each "
               "replacing or added to the root in use), or the root in use against a git commit of its checkout. "
               "Exit 0 when equal, 1 when not, 2 on bad input.")
LIMITED = False


def arguments(parser) -> None:
    parser.add_argument("sides", nargs="*", metavar="SIDE", help="OLD NEW (with one SIDE: the root in use against it)")
    parser.add_argument("--git", metavar="REV", help="compare the root in use against its checkout at commit REV")
    parser.add_argument("--format", default="text", help="text or json (default text)")


def run(args) -> int:
    import tempfile
    from pathlib import Path

    from ...checks.diff import diff_roots, git_root, render_json, render_text
    from ...graph import resources

    renderers = {"text": render_text, "json": render_json}
    fmt = choice(args.format, tuple(renderers), "format")
    with tempfile.TemporaryDirectory(prefix="natograph-diff-") as scratch:
        if args.git is not None:
            if args.sides:
                raise UsageError("give either --git REV or OLD NEW, not both")
            old = resources.graph_files_of(git_root(args.git, resources.root(), Path(scratch)))
            new = resources.graph_files()
        elif len(args.sides) == 1:
            old, new = resources.graph_files(), _diff_side(args.sides[0])
        elif len(args.sides) == 2:
            old, new = _diff_side(args.sides[0]), _diff_side(args.sides[1])
        else:
            raise UsageError("diff needs OLD NEW, one SIDE, or --git REV")
        result = diff_roots(old, new)
    write(renderers[fmt](result))
    return EXIT_OK if result.equal else EXIT_INVALID


def _diff_side(side: str) -> list:
    """A side of a diff as input files: a root's graph files, or .ttl files (a file or a folder of them)
    in place of or beside the files of the root in use."""
    from pathlib import Path

    from ...graph import resources
    from ...graph.parsing import expand_paths

    if resources.is_root(side):
        return resources.graph_files_of(side)
    inputs, _replaced = resources.replace_files(resources.graph_files(), expand_paths([Path(side)]))
    return inputs
