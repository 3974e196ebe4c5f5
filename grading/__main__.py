"""`make grade` / `python -m grading [ASSIGNMENT…]`: autograde, feedback, CSV export, audit.

Submissions go in submitted/<student>/<assignment>/<notebook>.ipynb (nbgrader's layout). For each
assignment this runs `nbgrader autograde` with a progress line per submission, then
`nbgrader generate_feedback` (HTML in feedback/), `nbgrader export` (grades.csv) and the static
tamper audit (audit.csv). nbgrader's exit codes are reported, never trusted as the verdict.
"""
from __future__ import annotations

import csv
import subprocess
import sys
import time
from pathlib import Path

from .audit import audit_course
from .course import REPO, Course


def autograde_with_progress(course: Course, assignment: str) -> int:
    submissions = sorted((course.root / "submitted").glob(f"*/{assignment}"))
    total = len(submissions)
    if not total:
        print(f"{assignment}: no submissions in submitted/*/{assignment}/")
        return 0
    cmd = [sys.executable, "-m", "nbgrader", "autograde", assignment, "--create", "--force"]
    proc = subprocess.Popen(cmd, cwd=course.root, env=course.env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
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
        elif "ERROR" in line:
            errors.append(line.rstrip())
    code = proc.wait()
    print()
    for line in errors[-10:]:
        print("  nbgrader:", line)
    return code


def _same_release(generated: Path, committed: Path) -> bool:
    import json

    names = sorted(p.name for p in generated.glob("*.ipynb"))
    if names != sorted(p.name for p in committed.glob("*.ipynb")):
        return False
    return all(json.loads((generated / n).read_text()) == json.loads((committed / n).read_text())
               for n in names)


def main(argv: list[str], root: Path = REPO) -> int:
    course = Course(root)
    names = argv or sorted(p.name for p in (root / "solutions").iterdir() if p.is_dir())
    failures = 0
    for name in names:
        # Record the assignment's graded cells in the gradebook. The generated release goes to a
        # cache folder: exercises/ is what students got, and is only compared with it.
        cache = root / ".cache" / "release"
        course.nbgrader("generate_assignment", name, "--force", "--create",
                        f"--CourseDirectory.release_directory={cache}")
        if not _same_release(cache / name, root / "exercises" / name):
            print(f"WARNING: exercises/{name} differs from what solutions/{name} generates: students"
                  " may have a different release than the one being graded (run `make exercises`).")
        code = autograde_with_progress(course, name)
        if code:
            failures += 1
            print(f"{name}: nbgrader autograde exited {code}: some submissions could not be graded"
                  " (see above); the others were.")
        if (course.root / "autograded").exists():
            course.nbgrader("generate_feedback", name, "--force", check=False)
    rows = course.export()
    findings = [f for name in names for f in audit_course(course.root, name)]
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
    print(f"\ngrades.csv, feedback/ and audit.csv ({len(findings)} finding(s)) written in {course.root}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
