"""The registry every bloc 2 reference module adds its answers to."""
import pandas as pd

from mda_reference.registry import Reference

reference = Reference()

#: the date every recency, inactivity and follow-up delay is counted from
ANALYSIS_DATE = pd.Timestamp("2025-12-31")
