"""Assign: turn the trainers' masters in source/ into the learners' copies in release/."""
from mda_checks.assign.build import build_course

__all__ = ["build_course"]
