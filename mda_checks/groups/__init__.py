"""Team submissions (bloc 4: a collective written dossier, defended individually at the oral).

``roster``: the course's groups (``groupes.csv``, imported by ``mda groupes``), read and checked.
``selection``: which submission is a group's (the latest of its members), which are superseded,
which learners are in no group. ``parts``: which cells are individual (``metadata.mda.individuel``)
and which are the group's. ``propagate``: the group's grades written for every member. ``grading``: the two hooks of ``mda grade``.
"""
