"""Report: grades out of the gradebook, for trainers and the jury."""
