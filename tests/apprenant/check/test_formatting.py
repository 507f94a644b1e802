"""Numbers shown to learners: French digits, and one minus sign (U+2212) everywhere."""
from mda_apprenant.check.formatting import MINUS, format_euros, format_number, format_points, format_rate
from mda_apprenant.widgets.common import signed_euros


def test_negative_numbers_use_the_french_minus_sign_everywhere():
    shown = [format_number(-1234.5), format_euros(-12.5), format_rate(-0.05), format_points(-1.5), signed_euros(-300)]
    assert all(text.startswith(MINUS) or f"({MINUS}" in text or f"soit {MINUS}" in text for text in shown), shown
    assert not any("-" in text for text in shown), shown


def test_positive_numbers_are_unchanged():
    assert format_number(1234.5) == "1\u202f234,5" and format_euros(12.5) == "12,50\xa0€"
