"""Grading settings shared by every bloc: thresholds, limits of a grading run, collection, hub.

Tolerances and partial credit are the barème (``mda_apprenant.bareme``); the locale and the rounding
hint, which learners' messages use too, are the learner runtime's (``mda_apprenant.config``).
"""
from dataclasses import dataclass

# re-exported (« as »): trainer code reads every setting here
from mda_apprenant.config import LOCALE as LOCALE, ROUNDING_HINT_REL as ROUNDING_HINT_REL

#: Share of a criterion's points a learner needs for the CE to count as acquired.
ACQUIRED_THRESHOLD = 0.5

#: Time zone of the course's dates (calendrier.csv): nbgrader stores them in UTC.
TIMEZONE = "Europe/Paris"


@dataclass(frozen=True)
class GradingLimits:
    """What one learner's code may use while it is graded (see docs/bac-a-sable.md).

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
    tmp_bytes: int = 256 * 1024 ** 2       # all the kernel may write: its working folder(s), runtime folder
    #                                        and /tmp share this one quota (a tmpfs, as root; else /tmp only)
    output_chars: int = 200_000            # printed text kept per cell (the rest is dropped)
    file_return_bytes: int = 200 * 1024 ** 2  # largest graded notebook brought back from a grading task
    submission_bytes: int = 20 * 1024 ** 2   # largest submitted notebook: a larger one is refused unread
    # the trusted scoring of one notebook (ScoreAnswers, outside the kernel: mda_checks/scoring/bounded_scoring.py);
    # an honest notebook needs at most 0.5 s of processor and a few tens of MiB (docs/mesures/correction-promotion.md)
    scoring_cell_cpu_seconds: float = 10   # processor time of one check cell (then it scores 0)
    scoring_cpu_seconds: int = 60          # processor time of one notebook's scoring (then its other cells score 0)
    scoring_memory_bytes: int = 1024 ** 3  # memory the scoring may add to its process
    scoring_wall_seconds: int = 600        # wall clock of one notebook's scoring (a child that no longer progresses)


GRADING_LIMITS = GradingLimits()


@dataclass(frozen=True)
class CollectLimits:
    """What `mda collecte` accepts from one folder a learner left in the exchange (docs/formateur.md « Collecter »).

    Sizes are nbgrader's (``CourseDirectory.max_file_size``, ``max_dir_size``, nbgrader_config.py)."""

    entries: int = 10_000                  # files and folders in one submission
    depth: int = 32                        # nested folders
    claim_tolerance_seconds: int = 300     # a claimed time this close to the trusted one is not reported


COLLECT_LIMITS = CollectLimits()


@dataclass(frozen=True)
class HubDefaults:
    """A class on this machine's JupyterHub (`mda hub`, docs/formateur.md « Une vraie promotion »): places, limits."""

    learner_prefix: str = "/opt/mda-apprenant"   # the learners' Python environment (deploy/installer-apprenant.sh)
    state: str = "/var/lib/mda-hub"              # the hub's own files (database, cookie secret), root only
    homes: str = "/home"                         # where the learners' home folders are created
    ip: str = ""                                 # every address of the machine ("" ), 127.0.0.1 for a trial
    port: int = 8000                             # the address learners open (the proxy)
    hub_port: int = 8081                         # the hub's own API (local only)
    proxy_api_port: int = 8001                   # the proxy's API (local only)
    service_port: int = 9999                     # the trainers' shared Jupyter (formgrader, local only)
    memory_bytes: int = 2 * 1024 ** 3            # memory of one learner's server and its kernels (cgroup)
    cpus: float = 1.0                            # processor share of one learner's server (cgroup)
    processes: int = 512                         # processes and threads of one learner's server (cgroup)
    idle_seconds: int = 3600                     # a learner's server idle this long is stopped (idle culler)
    timezone: str = TIMEZONE                     # the learners' submission times (nbgrader Exchange.timezone)


HUB_DEFAULTS = HubDefaults()


#: Largest hand-over (JSON characters) a graded notebook keeps for copy detection (mda_checks.copies); the
#: largest answer of a solved copy (bloc 2's RFM table, about 14 000 characters) is far below it.
KEPT_HANDOVER_CHARS = 400_000

#: Copy detection (mda_checks.copies): a copy is suspected when at least this many of its answers, numbers
#: of the case nobody gives by chance, are another learner's right answers and not the learner's own.
#: No honest learner of the tests' cohorts reaches 1 (tests/copies); a copier of a few answers reaches it.
COPY_EVIDENCE_CELLS = 3

#: Largest file of a host-company dossier (`mda entreprise`): the largest example file (bloc 2's leads) is
#: under 1 Mo; a file above this is refused unread.
COMPANY_FILE_MAX_BYTES = 20_000_000
