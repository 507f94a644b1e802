"""Blocs 1 and 2 on the learner's own host company: data contract, validation, import, example (`mda entreprise`)."""
