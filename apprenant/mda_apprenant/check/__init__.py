"""Answer objects, their results and the French messages learners read."""
