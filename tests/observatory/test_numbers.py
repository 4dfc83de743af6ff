"""Numbers are rounded half up, never cut off: the values below are those where Django's
number_format (which truncates) and rounding part ways."""

import pytest
from django.utils import translation

from observatory.numbers import percent, rounded


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


@pytest.mark.parametrize(
    ("value", "places", "trim", "written"),
    [
        (0.745, 2, False, "0,75"),
        (0.5097, 2, False, "0,51"),
        (975.75, 1, False, "975,8"),
        (975.75, 1, True, "975,8"),
        (975.0, 1, False, "975,0"),
        (975.0, 1, True, "975"),
        (0.7, 2, True, "0,70"),
        (1_234_567.5, 0, False, "1\u00a0234\u00a0568"),
        (0.004, 2, False, "0,00"),
        (0, 2, True, "0"),
    ],
)
def test_it_rounds_half_up_and_groups_thousands(value, places, trim, written):
    assert rounded(value, places, trim=trim) == written


@pytest.mark.parametrize(
    ("fraction", "written"),
    [(2 / 9, "22\u00a0%"), (2 / 3, "67\u00a0%"), (3 / 7, "43\u00a0%"), (0.745, "75\u00a0%"),
     (57 / 200, "29\u00a0%"), (0.0, "0\u00a0%"), (1, "100\u00a0%")],
)  # fmt: skip
def test_a_fraction_is_a_rounded_percentage(fraction, written):
    """57/200 is 28.5 %: 29 %, though 0.285 × 100 is 28.4999… in floats."""
    assert percent(fraction) == written


def test_english_writes_english_numbers():
    with translation.override("en"):
        assert rounded(1234.745, 2) == "1,234.75"
