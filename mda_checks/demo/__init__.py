"""Demo: example submissions made by code, to show and test a full grading cycle."""
