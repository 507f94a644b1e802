"""Copies between learners: answers that are another learner's right answers and not one's own.

Every learner is graded on a case of their own (``mda_checks.variants``), so the grader knows
each learner's right answers. After grading, each learner's handed-over answers (kept in their
graded notebooks, ``handovers``) are compared with every other learner's right answers
(``detection``); the suspicions are written for the trainer (``export``). Evidence only: a
suspicion never changes a grade. Trainer-side only.
"""
