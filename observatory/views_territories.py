"""CRESS staff: the map of the départements, coloured by one measure, with the figures' table.

Which départements are coloured: those of the selection (the region, a reviewer's own
départements, or the one picked); every other one is drawn "hors périmètre" without a value.
A territorial reviewer's selection never leaves their scope (observatory.scope), so the map
and the table never show the figures of a département they do not cover.
"""

from dataclasses import dataclass

from django import forms
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from . import francemap, territories
from .numbers import percent, rounded
from .scope import observatory_view

# What an undefined figure shows (definitions.share returns None): never 0.
UNDEFINED = "–"


# Written as the dashboard writes them (observatory/numbers.py): rounded half up, and decimals
# only where they say something, so the same figure reads the same on both pages.


def _whole(value):
    return rounded(value)


def _hours(value):
    return f"{rounded(value, 1, trim=True)}\u00a0h"


def _decimal(value):
    return rounded(value, 2, trim=True)


def _exact(value):
    """A legend's bound with just the decimals it has: 2,5 not 3; 0,05 not 0,1."""
    decimals = f"{round(value, 6):.6f}".rstrip("0").partition(".")[2]
    return rounded(value, len(decimals))


def _percent_bound(value):
    return f"{_exact(value * 100)}\u00a0%"


def _hours_bound(value):
    return f"{_exact(value)}\u00a0h"


@dataclass(frozen=True)
class Measure:
    """A figure the map can be coloured by: its words, its row field, how a value and a
    legend's bound are written, and whether its classes have whole bounds (a count).

    No fixed range, even for the share served: classes from 0 to a round number above the
    best-served département tell départements apart when every share is low (5 % to 13 % on
    the demo would all be one colour in fifths of 100 %); the legend says the bounds."""

    label: str
    field: str
    formatter: object
    bound_formatter: object
    integer: bool = False
    ceiling: float | None = None  # the most a value can be: no class above it

    def values(self, rows):
        return {row.code: getattr(row, self.field) for row in rows}


MEASURES = {
    "share_served": Measure(
        _("Part des besoins servis"), "share_served", percent, _percent_bound, ceiling=1
    ),
    "needs_posted": Measure(_("Besoins publiés"), "needs_posted", _whole, _whole, integer=True),
    "hours_given": Measure(_("Heures données"), "hours_given", _hours, _hours_bound),
    "volunteers_per_10k": Measure(
        _("Bénévoles actifs pour 10 000 habitants"), "volunteers_per_10k", _decimal, _exact
    ),
}
DEFAULT_MEASURE = "share_served"


class MeasureForm(forms.Form):
    mesure = forms.ChoiceField(
        label=_("Mesure affichée"),
        required=False,
        choices=[(key, measure.label) for key, measure in MEASURES.items()],
        error_messages={
            "invalid_choice": _(
                "« %(value)s » n'est pas une mesure de la carte : elle montre la part des "
                "besoins servis."
            )
        },
    )

    def measure_key(self):
        """The chosen measure, the default one when none or an unknown one was asked."""
        if self.is_bound and self.is_valid() and self.cleaned_data["mesure"]:
            return self.cleaned_data["mesure"]
        return DEFAULT_MEASURE


@require_GET
@observatory_view
def departement_map(request, form, selection):
    """The map of the selection's départements by one measure, and every figure in a table."""
    measure_form = MeasureForm(request.GET or None)
    key = measure_form.measure_key()
    measure = MEASURES[key]
    rows = territories.departement_figures(selection)
    values = measure.values(rows)
    svg = francemap.render(
        values,
        str(measure.label),
        measure.formatter,
        bound_formatter=measure.bound_formatter,
        integer=measure.integer,
        ceiling=measure.ceiling,
    )
    return render(
        request,
        "observatory/map.html",
        {
            "form": form,
            "measure_form": measure_form,
            "measure": measure,
            "measure_key": key,
            "selection": selection,
            # The dashboard and the CSV exports keep the selection; the form keeps the measure.
            "query": urlencode(selection.as_query()),
            "keep": [("mesure", key)],
            "typed": {name: request.GET.get(name, "") for name in ("start", "end", "departement")},
            "map": svg,
            "has_values": francemap.has_values(values),
            "credit": francemap.outlines(),
            "rows": [_cells(row) for row in rows],
        },
    )


def _cells(row):
    """A table row as written: every measure, « – » where it is undefined."""

    def shown(value, formatter):
        return UNDEFINED if value is None else formatter(value)

    return {
        "code": row.code,
        "name": row.name,
        "population": _whole(row.population),
        "needs_posted": _whole(row.needs_posted),
        "needs_served": _whole(row.needs_served),
        "share_served": shown(row.share_served, percent),
        "hours_given": _hours(row.hours_given),
        "volunteers": _whole(row.volunteers),
        "needs_per_10k": shown(row.needs_per_10k, _decimal),
        "hours_per_10k": shown(row.hours_per_10k, _decimal),
        "volunteers_per_10k": shown(row.volunteers_per_10k, _decimal),
    }
