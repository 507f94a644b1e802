"""`mda hub`: the course's JupyterHub, one Unix account per learner (docs/formateur.md « Une vraie promotion »)."""
