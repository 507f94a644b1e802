"""Variants: each learner works on a case of their own, derived from the course's secret.

A learner's seed is HMAC(course secret, learner id, assignment); the case is the first draw of
that seed fit for the barème (``casedata.draw_case`` with ``case_check.acceptor``). Nothing of
the data is stored: ``mda release`` records, per learner, which draw was published and the
digest of its files (``registry``); grading regenerates that draw and refuses to grade on data
whose digest differs (``learner_case``). Everything here runs on the trainer's side only.
"""
