"""Grader-only reference code: the expected value of every autograded question.

This package is never installed (pyproject.toml installs mda_checks only) and never
reaches a learner's kernel, not even while it is graded: only the trusted grading step
(``mda_checks.scoring.reference``, in nbgrader's own process) imports it,
from the course root named in nbgrader_config.py. Expected values are computed from the
case data files, so a variant of the data gets its own expected values.
"""
