"""Typical submissions per exercise, one module per assignment in solutions/.

Each module defines ``NOTEBOOK`` (the notebook's file name) and ``SUBMISSIONS`` (a list of
``grading.spec.Submission``). tests/test_grading.py autogrades every one of them with nbgrader and
checks the score of each graded cell and the hints the student sees. The reference solution,
the untouched release and a "noisy" reference (TensorFlow imported, warnings raised) are added
for every assignment automatically.
"""
