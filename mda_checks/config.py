"""Grading settings shared by every bloc: thresholds, locale, limits of a grading run.

Tolerances and partial credit are the barème (``mda_checks.bareme``).
"""
from dataclasses import dataclass


#: A relative gap under this bound is reported as a rounding problem (no credit).
ROUNDING_HINT_REL = 0.01

#: Share of a criterion's points a learner needs for the CE to count as acquired.
ACQUIRED_THRESHOLD = 0.5

#: Locale used for every number shown to learners and trainers.
LOCALE = "fr_FR"

#: Time zone of the course's dates (calendrier.csv): nbgrader stores them in UTC.
TIMEZONE = "Europe/Paris"


@dataclass(frozen=True)
class GradingLimits:
    """What one learner's code may use while it is graded (see the README, « Bac à sable »).

    The time limit of one cell is nbgrader's ``Execute.timeout`` (nbgrader_config.py,
    or ``mda grade --timeout``); these limits hold for the whole notebook's kernel.
    """

    notebook_seconds: int = 600            # wall clock of one notebook, kernel start included
    memory_bytes: int = 3 * 1024 ** 3      # memory of all the kernel's processes and its /tmp (cgroup)
    address_space_bytes: int = 3 * 1024 ** 3  # address space of each process (RLIMIT_AS; the only
    #                                           memory limit where control groups are unavailable)
    processes: int = 256                   # processes and threads of one kernel (cgroup pids, RLIMIT_NPROC)
    cpus: float = 1.0                      # processor share of one kernel, all its processes (cgroup cpu)
    file_bytes: int = 200 * 1024 ** 2      # largest file the kernel may write (RLIMIT_FSIZE)
    tmp_bytes: int = 256 * 1024 ** 2       # size of the kernel's private /tmp
    output_chars: int = 200_000            # printed text kept per cell (the rest is dropped)
    file_return_bytes: int = 200 * 1024 ** 2  # largest graded notebook brought back from a grading task


GRADING_LIMITS = GradingLimits()

#: Largest hand-over (JSON characters) a graded notebook keeps for copy detection (mda_checks.copies); the
#: largest answer of a solved copy (bloc 2's RFM table, about 14 000 characters) is far below it.
KEPT_HANDOVER_CHARS = 400_000

#: Copy detection (mda_checks.copies): a copy is suspected when at least this many of its answers, numbers
#: of the case nobody gives by chance, are another learner's right answers and not the learner's own.
#: No honest learner of the tests' cohorts reaches 1 (tests/copies); a copier of a few answers reaches it.
COPY_EVIDENCE_CELLS = 3
