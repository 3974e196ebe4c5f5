"""`make grade` / `python -m grading [--unsandboxed] [ASSIGNMENT…]`: autograde, feedback, CSV, audit.

Submissions go in submitted/<student>/<assignment>/<notebook>.ipynb (nbgrader's layout). For each
assignment this runs `nbgrader autograde` with a progress line per submission — each notebook in a
sandboxed kernel, scored by replaying the tests outside it (nbgrader_config.py, grading/replay.py) —
then `nbgrader generate_feedback` (HTML in feedback/), `nbgrader export` (grades.csv, with a
``review`` column naming what the static audit found) and the audit itself (audit.csv). It ends
with a summary of every submission that could not be graded completely, and why. nbgrader's exit
codes are reported, never trusted as the verdict. Without a working sandbox it stops and says
why; ``--unsandboxed`` (``make grade UNSANDBOXED=1``) grades without it, on purpose.
"""
from __future__ import annotations

import csv
import subprocess
import sys
import time
from pathlib import Path

from . import sandbox
from .audit import audit_course
from .course import REPO, Course

#: The marker RecordingExecute logs when a grading kernel stopped early (grading/preprocessors.py).
STOPPED = "NNGRADE-STOPPED"


def autograde_with_progress(course: Course, assignment: str, problems: list[str] | None = None,
                            env: dict[str, str] | None = None) -> int:
    submissions = sorted((course.root / "submitted").glob(f"*/{assignment}"))
    total = len(submissions)
    if not total:
        print(f"{assignment}: no submissions in submitted/*/{assignment}/")
        return 0
    cmd = [sys.executable, "-m", "nbgrader", "autograde", assignment, "--create", "--force"]
    proc = subprocess.Popen(cmd, cwd=course.root, env={**course.env(), **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    done, start, errors = 0, time.perf_counter(), []
    assert proc.stdout is not None
    for line in proc.stdout:
        if "Autograding" in line and ".ipynb" in line:
            done += 1
            student = Path(line.split("Autograding")[-1].strip()).parts[-3:-2]
            elapsed = time.perf_counter() - start
            bar = "━" * int(30 * done / total) + "─" * (30 - int(30 * done / total))
            print(f"\r{assignment} {bar} {done}/{total} {elapsed:5.0f}s "
                  f"{student[0] if student else ''}".ljust(100), end="", flush=True)
        elif STOPPED in line:
            if problems is not None:
                problems.append(f"{assignment}: {line.split(STOPPED, 1)[1].strip()}")
        elif "ERROR" in line:
            errors.append(line.rstrip())
            failed = _failed_submission(line)
            if failed and problems is not None:
                problems.append(f"{assignment}: {failed}: nbgrader could not grade it "
                                f"({line.rstrip()[-160:]})")
    code = proc.wait()
    print()
    for line in errors[-10:]:
        print("  nbgrader:", line)
    return code


def _failed_submission(line: str) -> str | None:
    """The student named in one of nbgrader's error lines about a submission, if any."""
    parts = Path(line.split()[-1]).parts if line.split() else ()
    if "submitted" in parts and len(parts) > parts.index("submitted") + 1:
        return parts[parts.index("submitted") + 1]
    return None


def _same_release(generated: Path, committed: Path) -> bool:
    import json

    names = sorted(p.name for p in generated.glob("*.ipynb"))
    if names != sorted(p.name for p in committed.glob("*.ipynb")):
        return False
    return all(json.loads((generated / n).read_text()) == json.loads((committed / n).read_text())
               for n in names)


def main(argv: list[str], root: Path = REPO) -> int:
    unsandboxed = "--unsandboxed" in argv
    argv = [a for a in argv if a != "--unsandboxed"]
    course = Course(root)
    names = argv or sorted(p.name for p in (root / "solutions").iterdir() if p.is_dir())
    env = {"NNGRADE_UNSANDBOXED": "1"} if unsandboxed else {}
    if unsandboxed:
        print("WARNING: grading WITHOUT the sandbox (--unsandboxed): student code runs with your "
              "rights. Verdicts are still computed outside the student's kernel.")
    else:
        try:
            sandbox.check()
        except sandbox.SandboxUnavailable as err:
            print(f"make grade: cannot start the grading sandbox, nothing was graded.\n  {err}\n"
                  "  To grade without it on purpose: make grade UNSANDBOXED=1", file=sys.stderr)
            return 2
    failures, problems = 0, []
    for name in names:
        # Record the assignment's graded cells in the gradebook. The generated release goes to a
        # cache folder: exercises/ is what students got, and is only compared with it.
        cache = root / ".cache" / "release"
        course.nbgrader("generate_assignment", name, "--force", "--create",
                        f"--CourseDirectory.release_directory={cache}")
        if not _same_release(cache / name, root / "exercises" / name):
            print(f"WARNING: exercises/{name} differs from what solutions/{name} generates: students"
                  " may have a different release than the one being graded (run `make exercises`).")
        code = autograde_with_progress(course, name, problems, env)
        if code:
            failures += 1
            print(f"{name}: nbgrader autograde exited {code}: some submissions could not be graded"
                  " (see above); the others were.")
        if (course.root / "autograded").exists():
            course.nbgrader("generate_feedback", name, "--force", check=False)
    rows = course.export()
    findings = [f for name in names for f in audit_course(course.root, name)]
    add_review_column(course.root / "grades.csv", findings)
    with open(course.root / "audit.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "assignment", "notebook", "cell", "line", "finding"])
        for x in findings:
            writer.writerow([x.student, x.assignment, x.notebook, x.cell, x.line, x.what])
    flagged = {(x.student, x.assignment) for x in findings}
    print(f"\n{'student':<20}{'assignment':<22}{'score':>8}{'max':>6}  audit")
    for row in rows:
        if row["assignment"] not in names:
            continue
        mark = "REVIEW" if (row["student_id"], row["assignment"]) in flagged else ""
        print(f"{row['student_id']:<20}{row['assignment']:<22}{float(row['score']):>8.1f}"
              f"{float(row['max_score']):>6.1f}  {mark}")
    if problems:
        print("\nNot graded completely (these cells scored 0; the other students are unaffected):")
        for line in dict.fromkeys(problems):
            print("  " + line)
    print(f"\ngrades.csv, feedback/ and audit.csv ({len(findings)} finding(s)) written in {course.root}")
    return 1 if failures or problems else 0


def add_review_column(path: Path, findings: list) -> None:
    """grades.csv gets a ``review`` column: what the audit found in that submission, if anything."""
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        return
    found: dict[tuple[str, str], list[str]] = {}
    for x in findings:
        found.setdefault((x.student, x.assignment), []).append(f"cell {x.cell} line {x.line}: {x.what}")
    fields = [k for k in rows[0] if k != "review"] + ["review"]
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            notes = found.get((row["student_id"], row["assignment"]), [])
            row["review"] = ("REVIEW: " + "; ".join(notes[:5]) + (" …" if len(notes) > 5 else "")
                             ) if notes else ""
            writer.writerow(row)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
