"""Run every fault kind against the real validator; print one line per kind and the kill rate.

    python tests/mutations/run_mutations.py              # every kind
    python tests/mutations/run_mutations.py NAME ...     # only these kinds
    python tests/mutations/run_mutations.py --list       # the kinds, without running them
    python tests/mutations/run_mutations.py -v           # also the messages and stray violations

Exit code: 0 when every kind is killed, 1 when one survives, 2 when a mutation cannot be applied.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

if __package__:
    from .mutants import FAULTS, MutationError, fault_named, run_fault, validate_unmutated
else:  # run as a script: python tests/mutations/run_mutations.py (its folder is on sys.path)
    from mutants import FAULTS, MutationError, fault_named, run_fault, validate_unmutated


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mutation testing of natograph's validation.")
    parser.add_argument("names", nargs="*", help="fault kinds to run (default: all)")
    parser.add_argument("--list", action="store_true", help="list the fault kinds and exit")
    parser.add_argument("-v", "--verbose", action="store_true", help="print messages and stray violations")
    parser.add_argument("--no-baseline", action="store_true", help="skip checking that the unmutated data passes")
    args = parser.parse_args(argv)

    # Ill-typed literals are the point of some mutants: rdflib's conversion warnings are noise here.
    logging.getLogger("rdflib").setLevel(logging.ERROR)

    if args.list:
        for f in FAULTS:
            where = " [cli]" if f.via_cli else ""
            known = " [known survivor]" if f.survivor else ""
            print(f"{f.name}{where}{known}\n    {f.description}")
        print(f"{len(FAULTS)} fault kinds")
        return 0

    try:
        kinds = [fault_named(n) for n in args.names] if args.names else list(FAULTS)
    except KeyError as exc:
        print(f"unknown fault kind {exc.args[0]!r} (see --list)", file=sys.stderr)
        return 2

    started = time.perf_counter()
    if not args.no_baseline:
        verdict = validate_unmutated()
        violations = verdict.violations
        state = "ok" if verdict.exit_code == 0 and not violations else "FAILS"
        print(f"baseline  unmutated data: exit {verdict.exit_code}, {len(violations)} violations -> {state}")
        for v in violations:
            print(f"          {v.focus} [{v.shape}] {v.message}")
        if state != "ok":
            print("the unmutated data must pass before a mutant can be judged", file=sys.stderr)
            return 1

    width = max(len(f.name) for f in kinds)
    killed = 0
    broken = 0
    for f in kinds:
        try:
            outcome = run_fault(f)
        except MutationError as exc:
            broken += 1
            print(f"ERROR     {f.name:<{width}}  cannot apply the mutation: {exc}")
            continue
        killed += outcome.killed
        focus = outcome.focus[0] if len(outcome.focus) == 1 else "/".join(outcome.focus)
        if outcome.killed:
            rule = ", ".join(outcome.rules)
            print(f"killed    {f.name:<{width}}  {outcome.channel}  {focus}  by {rule}  ({outcome.seconds:.1f}s)")
        else:
            known = "  (known survivor)" if f.survivor else ""
            print(f"SURVIVED  {f.name:<{width}}  {outcome.channel}  {focus}  {outcome.detail}{known}")
        if args.verbose:
            for message in outcome.messages:
                print(f"              message: {message}")
            for other in outcome.other_violations:
                print(f"              also: {other.focus} [{other.shape}] {other.message}")
            if f.survivor:
                print(f"              why: {f.survivor}")

    total = len(kinds)
    rate = 100 * killed / total if total else 0
    print(f"kill rate: {killed}/{total} ({rate:.0f}%)")
    print(f"runtime: {time.perf_counter() - started:.0f}s")
    if broken:
        return 2
    return 0 if killed == total else 1


if __name__ == "__main__":
    sys.exit(main())
