"""Find expected numbers written in a text, fast: only its runs of number characters are searched.

A written form of a number (``repr``, fixed point: ``_telling_forms`` in test_release.py) is made of digits, a
point, signs and an exponent's « e »; wherever it occurs in a text, it lies inside one maximal run of those
characters. Searching the runs (a few thousand short strings) for every form gives what searching the whole text
for each form gives, in a fraction of the time (tests/course/test_written_numbers.py proves them equal).
"""
from __future__ import annotations

import re

NUMBER_CHARS = "0123456789.+-e"
_RUN = re.compile(f"[{re.escape(NUMBER_CHARS)}]+")


def _runs(text: str, shortest: int) -> list[str]:
    return [run for run in _RUN.findall(text) if len(run) >= shortest]


def _check(forms: set[str]) -> list[int]:
    stray = {c for f in forms for c in f} - set(NUMBER_CHARS)
    if stray:
        raise ValueError(f"not a written number: {sorted(stray)}")
    return sorted({len(f) for f in forms})


def forms_in(forms: set[str], text: str) -> set[str]:
    """The forms that occur in the text (as ``form in text``)."""
    lengths = _check(forms)
    found = set()
    for run in _runs(text, lengths[0]) if lengths else []:
        for n in lengths:
            found.update(run[i:i + n] for i in range(len(run) - n + 1) if run[i:i + n] in forms)
    return found


def forms_standing_alone_in(forms: set[str], text: str) -> set[str]:
    """The forms that occur in the text neither after a digit or a point nor before a digit (as the pattern
    ``(?<![\\d.])form(?!\\d)``, whose digits are Unicode's): « 23.72 » is not found in « 123.72 » nor in
    « 23.725 »."""
    lengths = _check(forms)
    found = set()
    for match in _RUN.finditer(text) if lengths else []:
        run, start, end = match.group(), match.start(), match.end()
        before = text[start - 1] if start else ""  # not a run character: only another script's digit matters
        after = text[end] if end < len(text) else ""
        for n in (n for n in lengths if n <= len(run)):
            for i in range(len(run) - n + 1):
                form = run[i:i + n]
                if (form in forms and (run[i - 1] not in "0123456789." if i else not before.isdecimal())
                        and (not run[i + n].isdigit() if i + n < len(run) else not after.isdecimal())):
                    found.add(form)
    return found
