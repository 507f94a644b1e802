"""Grader-only reference code: the expected value of every autograded question.

This package is never installed (pyproject.toml installs mda_checks only), so a
learner's environment cannot import it. The hidden tests of the master notebooks
import it at grading time: nbgrader_config.py puts the course root on the grading
kernels' PYTHONPATH. Expected values are computed from the case data files in the
notebook's folder, so a variant of the data gets its own expected values.
"""
