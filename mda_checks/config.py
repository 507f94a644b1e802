"""Grading settings shared by every bloc: tolerances, partial credit, thresholds.

The notebooks state these conventions to learners; change them here only.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class Tolerance:
    """A value is accepted when |value - expected| <= max(abs, rel * |expected|).

    A margin of 1e-9 absorbs binary rounding (100.01 - 100.0 is 0.010000000000005).
    """

    abs: float
    rel: float = 1e-6

    def accepts(self, value: float, expected: float) -> bool:
        return abs(value - expected) <= max(self.abs, self.rel * abs(expected)) + 1e-9

    def describe(self) -> str:
        return f"±{self.abs:g}"


#: Tolerance of each kind of answer (see the conventions cell of each notebook).
TOLERANCES = {
    "amount": Tolerance(abs=0.01),      # euros, to the cent
    "rate": Tolerance(abs=1e-4),        # decimals: 0.0001 = 0.01 percentage point
    "ratio": Tolerance(abs=1e-3),       # plain ratios (LTV/CAC, levier, indices)
    "quantity": Tolerance(abs=0.5),     # counts and units: the nearest whole number
    "duration": Tolerance(abs=1.0),     # days, months or years, to one unit
    "date": Tolerance(abs=1.0),         # calendar dates, ±1 day
}

#: Share of a question's points kept for a recognised generic slip.
#: (Mistakes specific to one question carry their own credit in the reference.)
PERCENT_INSTEAD_OF_DECIMAL_CREDIT = 0.5
SIGN_INVERTED_CREDIT = 0.5

#: A relative gap under this bound is reported as a rounding problem (no credit).
ROUNDING_HINT_REL = 0.01

#: Share of a criterion's points a learner needs for the CE to count as acquired.
ACQUIRED_THRESHOLD = 0.5

#: Locale used for every number shown to learners and trainers.
LOCALE = "fr_FR"


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
