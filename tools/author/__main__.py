"""`make solutions` / `python -m tools.author [--check] [ASSIGNMENT…]`.

Writes solutions/<assignment>/<notebook>.ipynb from tools/author/<assignment>.py, for every
assignment or the ones named. With --check nothing is written: it says which notebooks differ from
their sources and exits 1 if any does. Run `make exercises` afterwards to regenerate the release.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import REPO, assignments, difference, source_path, write


def main(argv: list[str], root: Path = REPO) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.author",
                                     description="Write solutions/ from tools/author/.")
    parser.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                        help=f"default: all ({', '.join(assignments())})")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a notebook differs from its source")
    args = parser.parse_args(argv)
    names = args.assignments or assignments()
    unknown = sorted(set(names) - set(assignments()))
    if unknown:
        parser.error(f"no authoring source for {', '.join(unknown)} in tools/author/")
    if args.check:
        stale = [(name, diff) for name in names if (diff := difference(name, root)) is not None]
        for _, diff in stale:
            print(diff, file=sys.stderr)
        if not stale:
            print(f"solutions/: all {len(names)} notebooks match their sources in tools/author/")
        return 1 if stale else 0
    for name in names:
        changed = difference(name, root) is not None
        path = write(name, root)
        print(f"solutions/{name}/{path.name}: {'written' if changed else 'unchanged'} "
              f"(from {source_path(name)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
