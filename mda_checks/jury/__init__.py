"""What the certification jury and the school need at the end: decision rules (jury.toml), proposals per
bloc, the jury's minutes and recorded decisions, one livret per candidate, the evidence archive, Moodle.

Modules, one job each:

- ``rules``: jury.toml read and validated (French errors with line and key);
- ``proposals``: each candidate's proposal for a bloc, and why, from the competency grid;
- ``decisions``: the jury's decisions, read from a CSV or the filled minutes, kept in an append-only,
  chained register (``jury/decisions.csv``);
- ``sessions``: a jury session's folder (``jury/<bloc>-<date>/``) and what it records;
- ``minutes``: the minutes (procès-verbal) as a printable workbook, HTML and PDF;
- ``pdf``: HTML to tagged PDF through Chromium (Playwright);
- ``livrets``: one assessment booklet (PDF) per candidate;
- ``archive``: a session sealed in a ZIP with a SHA-256 manifest; ``archive_check``: its verification;
- ``moodle``: Moodle's grade-import CSV;
- ``overview``: proposal and decision per learner and bloc, for the reports and the dashboard.
"""
