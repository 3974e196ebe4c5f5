"""What the grading sandbox costs: autograde the same reference submissions with and without it.

    .venv/bin/python benchmarks/bench_sandbox.py [--notebooks N] [--rounds R]

Runs `nbgrader autograde` over N copies of exercise 1's reference solution in a scratch course,
alternating sandboxed and unsandboxed runs R times each (so that a change in the machine's load
hits both), and prints seconds per notebook and the sandbox's overhead. The replay of the verdicts
runs in both. Results are recorded in benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grading.course import Course, fill, reference_answers  # noqa: E402

ASSIGNMENT, NOTEBOOK = "ch01_neurons", "neurons_and_layers.ipynb"


def run(course: Course, sandboxed: bool) -> float:
    shutil.rmtree(course.root / "autograded", ignore_errors=True)
    os.environ["NNGRADE_UNSANDBOXED"] = "0" if sandboxed else "1"
    start = time.perf_counter()
    proc = course.autograde(ASSIGNMENT)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"autograde failed:\n{proc.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        course = Course.scratch(Path(tmp), [ASSIGNMENT])
        course.generate(ASSIGNMENT)
        answers = reference_answers(course.source(ASSIGNMENT, NOTEBOOK))
        for i in range(args.notebooks):
            course.submit(f"student{i:03d}", ASSIGNMENT, NOTEBOOK,
                          fill(course.release(ASSIGNMENT, NOTEBOOK), answers))
        times: dict[bool, list[float]] = {True: [], False: []}
        for r in range(args.rounds):
            for sandboxed in ((True, False) if r % 2 == 0 else (False, True)):
                times[sandboxed].append(run(course, sandboxed) / args.notebooks)
                print(f"round {r + 1}: {'sandboxed  ' if sandboxed else 'unsandboxed'} "
                      f"{times[sandboxed][-1]:.2f} s per notebook", flush=True)
        with_box, without = statistics.median(times[True]), statistics.median(times[False])
        print(f"\nmedian per notebook: sandboxed {with_box:.2f} s, unsandboxed {without:.2f} s, "
              f"overhead {100 * (with_box / without - 1):+.1f} % (goal: under 10 %)")
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
