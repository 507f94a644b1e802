"""Reading the course notebooks: cell predicates over nbgrader and mda metadata."""
