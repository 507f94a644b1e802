"""The fast search of written numbers finds exactly what searching the whole text for each form finds."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import examples
from tests.course.written_numbers import forms_in, forms_standing_alone_in

#: with digits of other scripts (« ٣ » is a digit for the pattern, « ² » is not)
ALPHABET = "0123456789.+-e ,;x\n\"é٣²"
FORMS = st.sets(st.text("0123456789.+-e", min_size=1, max_size=5), max_size=6)


def _naive_in(forms, text):
    return {f for f in forms if f in text}


def _naive_alone(forms, text):
    return {f for f in forms if re.search(r"(?<![\d.])" + re.escape(f) + r"(?!\d)", text)}


@settings(max_examples=examples(400))
@given(forms=FORMS, data=st.data())
def test_the_runs_give_what_the_whole_text_gives(forms, data):
    # the forms themselves, glued to other characters: the places where the two searches could part
    pieces = st.one_of(st.sampled_from(sorted(forms)), st.text(ALPHABET, max_size=3)) if forms else st.text(ALPHABET)
    text = "".join(data.draw(st.lists(pieces, max_size=12)))
    assert forms_in(forms, text) == _naive_in(forms, text)
    assert forms_standing_alone_in(forms, text) == _naive_alone(forms, text)


def test_a_planted_number_is_found_and_a_longer_one_is_not_taken_for_it():
    text = 'montant = 12345.67\nreste = "123456.789"; taux=2.5e-05\n'
    assert forms_in({"12345.67", "2.5e-05", "99999.99"}, text) == {"12345.67", "2.5e-05"}
    assert forms_in({"3456.78"}, text) == {"3456.78"}  # inside 123456.789, as `in` finds it
    assert forms_standing_alone_in({"12345.67", "3456.78", "23456.789"}, text) == {"12345.67"}


def test_a_form_with_other_characters_is_refused():
    with pytest.raises(ValueError, match="not a written number"):
        forms_in({"1 234,56"}, "1 234,56")
