"""Scoring: the trusted room of grading, and the only one that imports the grader-only reference.

Everything here runs outside the learner's kernel: the reference access (``reference``), what a
check cell asks for (``answer_spec``), the hand-over read as untrusted data (``answer_schema``),
the right answers of a notebook (``right_answers``), the scoring of check cells (``score_cells``)
and its limits (``bounded_scoring``). docs/architecture.md says why it is a room of its own.
"""
