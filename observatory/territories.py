"""The observatory per département: what was asked, what was served, what was given, who helps.

`departement_figures(selection)` gives one row per département of the selection, in the
selection's order, from three grouped queries whatever the number of départements or rows:
needs posted and served (one GROUP BY on the needs), hours given (one on the confirmed hours
entries) and active volunteers (one on the offers' areas). The words are those of
observatory/definitions.py; the map and the dashboard read the same rows.
"""

from dataclasses import dataclass

from django.db.models import Count, Sum

from accounts.departements import DEPARTEMENTS
from matching.models import OfferArea

from . import definitions


@dataclass(frozen=True)
class DepartementFigures:
    """One département's figures for a selection's period (None where nothing divides)."""

    code: str
    name: str
    population: int
    needs_posted: int
    needs_served: int
    share_served: float | None
    hours_given: float
    volunteers: int
    needs_per_10k: float | None
    hours_per_10k: float | None
    volunteers_per_10k: float | None


def departement_figures(selection):
    """The figures of each département of the selection, in three queries."""
    needs = _needs_by_departement(selection)
    minutes = _minutes_by_departement(selection)
    volunteers = _volunteers_by_departement(selection)
    people = definitions.population()
    rows = []
    for code in selection.departements:
        posted, served = needs.get(code, (0, 0))
        hours = minutes.get(code, 0) / 60
        inhabitants = people.get(code, 0)
        helping = volunteers.get(code, 0)
        rows.append(
            DepartementFigures(
                code=code,
                name=DEPARTEMENTS.get(code, code),
                population=inhabitants,
                needs_posted=posted,
                needs_served=served,
                share_served=definitions.share(served, posted),
                hours_given=hours,
                volunteers=helping,
                needs_per_10k=definitions.per_inhabitants(posted, inhabitants),
                hours_per_10k=definitions.per_inhabitants(hours, inhabitants),
                volunteers_per_10k=definitions.per_inhabitants(helping, inhabitants),
            )
        )
    return rows


def _needs_by_departement(selection):
    """{code: (posted, served)} for needs posted in the period."""
    grouped = (
        definitions.needs_posted(selection)
        .order_by()
        .values("departement")
        .annotate(posted=Count("pk"), served=Count("pk", filter=definitions.served()))
    )
    return {row["departement"]: (row["posted"], row["served"]) for row in grouped}


def _minutes_by_departement(selection):
    """{code: confirmed minutes} given in the period, by the need's département."""
    grouped = (
        definitions.hours_given(selection)
        .order_by()
        .values("mission__need__departement")
        .annotate(minutes=Sum("minutes"))
    )
    return {row["mission__need__departement"]: row["minutes"] for row in grouped}


def _volunteers_by_departement(selection):
    """{code: people with an active offer covering it}; one person counts once per
    département however many offers they have there, and in every département they cover."""
    grouped = (
        OfferArea.objects.filter(
            departement__in=selection.departements,
            offer__in=definitions.active_offers(selection).values("pk"),
        )
        .order_by()
        .values("departement")
        .annotate(volunteers=Count("offer__volunteer", distinct=True))
    )
    return {row["departement"]: row["volunteers"] for row in grouped}
