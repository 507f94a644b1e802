"""The jury's tests reuse the cheapest graded cohorts: tests/report's gradebook (two learners, two blocs),
and, for the commands end to end, a copy of the e2e harness's graded bloc2 course."""
from tests.report.conftest import cohort  # noqa: F401 - a fixture, shared with tests/report
