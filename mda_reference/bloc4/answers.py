"""The registry every bloc 4 reference module adds its answers to."""
from mda_reference.registry import Reference

reference = Reference()
