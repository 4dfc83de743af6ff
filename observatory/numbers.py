"""Numbers as a reader of the active language writes them, rounded half up.

Django's number_format (django.utils.numberformat.format) cuts a float's extra decimals off
instead of rounding them: 0,745 became « 0,74 », 2/3 « 66 % ». floatformat rounds half up on
the number's decimal text, as the dashboard's tables do (templates/observatory/
_figure_value.html, observatory/charts.py): every observatory page writes its numbers here so
that the same figure reads the same everywhere.
"""

from decimal import Decimal

from django.template.defaultfilters import floatformat

NBSP = "\u00a0"


def rounded(value, places=0, *, trim=False):
    """`value` rounded half up to `places` decimals, thousands grouped: « 1 234,5 ».

    `trim`: no decimals at all when they are zeros (« 3 », yet « 3,50 »), floatformat's
    negative argument."""
    return str(floatformat(value, f"{-places if trim else places}g"))


def percent(fraction, places=0):
    """A fraction as a percentage: 2/9 is « 22 % ». Multiplied in decimal, not in floats,
    where 0,285 × 100 is 28,4999… and would round to 28 % instead of 29 %."""
    return f"{rounded(Decimal(str(fraction)) * 100, places)}{NBSP}%"
