"""`mda hub`: the course's JupyterHub on this machine, one Unix account per learner (README « Une vraie promotion »)."""
