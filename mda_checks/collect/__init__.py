"""Collecting submissions from nbgrader's exchange on the trainer's side (``mda collecte``).

Everything in the exchange was written by learners: ``exchange_collect.TrustedCollect`` checks who
each folder comes from (its Unix owner) and when (its change times, ``timing``), reading it without
trusting anything in it (``snapshot``); ``command`` is what ``mda collecte`` runs, ``journal`` what
it keeps.
"""
