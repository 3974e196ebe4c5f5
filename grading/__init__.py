"""The course's nbgrader tooling: a course folder driver, release regeneration, tamper audit.

``python -m grading`` (``make grade``) autogrades what is in submitted/, writes feedback and
grades.csv, and audits submissions for tampering. ``python -m grading.release`` (``make exercises``)
regenerates exercises/ from solutions/. Tests use :class:`grading.course.Course` on temporary
course folders.
"""
