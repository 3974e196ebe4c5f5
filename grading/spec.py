"""How a typical submission is described for the grading-pipeline tests (tests/submissions/)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Submission:
    """A student's submission built from the release notebook.

    Attributes:
        name: the student id it is graded under (a short description of the mistake).
        answers: code for answer cells by grade_id; the other answer cells get the reference code,
            so each submission shows one mistake. Use ``BLANK`` to leave a cell as released.
        scores: expected points per graded cell; cells not listed must get full marks.
        hints: a text each graded cell's output must contain (the hint naming the mistake).
        why: what the submission represents, for the reader of the test.
    """

    name: str
    answers: dict[str, str] = field(default_factory=dict)
    scores: dict[str, float] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    why: str = ""


#: In ``Submission.answers``: keep the released stub (``raise NotImplementedError()``).
BLANK = "<blank>"
