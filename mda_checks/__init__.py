"""The trainer's tooling for the « Manager d'affaires » workbooks: build, release, grade, report.

The learners' side (answer kinds, self-check, hand-over, what-if tools) is the separate
distribution ``mda-apprenant`` (package ``mda_apprenant``, folder ``apprenant/``): a learner's
kernel imports that package only, and the grading sandbox shows it nothing of this one
(docs/architecture.md « La frontière de confiance »).
"""
