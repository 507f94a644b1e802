"""Runs: grade a cohort, one submission per task, on local processes or a Dask cluster.

``cohort`` plans and runs, ``pool`` and ``cluster`` schedule, ``worker`` grades one submission in
a private workspace and returns data (``task``), ``writer`` is the only writer of the gradebook,
``state`` remembers what was graded from which files, ``run_lock`` keeps one run per course,
``progress`` shows it, ``certificates`` closes the cluster to strangers.
"""
