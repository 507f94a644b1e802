"""What the learner runtime needs of the course's settings: the locale of numbers, the rounding hint.

The trainer's settings (grading limits, collection, hub) are ``mda_checks.config``, which imports
these from here: one source for both sides.
"""

#: A relative gap under this bound is reported as a rounding problem (no credit).
ROUNDING_HINT_REL = 0.01

#: Locale used for every number shown to learners and trainers.
LOCALE = "fr_FR"
