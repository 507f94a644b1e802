"""placeholder"""
from mda_reference.bloc1.answers import reference  # noqa: F401
