"""Grade: autograde submissions robustly and keep a journal of what happened.

Three rooms and the nbgrader adapters (docs/architecture.md): ``sandbox/`` (the grading kernel,
course-independent), ``preprocessors/`` (the project's nbgrader steps), ``runs/`` (a cohort graded
in parallel); here, ``autograde`` (one submission through nbgrader), the journal and what a
submission looks like before grading. The trusted scoring is ``mda_checks.scoring``.
"""
