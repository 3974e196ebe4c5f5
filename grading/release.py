"""Regenerate exercises/ (the student release) from solutions/ with nbgrader: `make exercises`.

The release is generated in a scratch course folder, so the instructor's gradebook is untouched,
then copied over exercises/<assignment>/. tests/test_grading.py fails when the two drift.
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from .course import REPO, Course, assignments


def regenerate(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        course = Course.scratch(Path(tmp), names)
        for name in names:
            course.generate(name)
            target = REPO / "exercises" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(course.root / "exercises" / name, target)
            print(f"exercises/{name}: regenerated from solutions/{name}")


if __name__ == "__main__":
    regenerate(sys.argv[1:] or assignments())
