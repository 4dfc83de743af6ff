"""The observatory's words, defined once: every page, chart, map and export counts the same way.

- A need is *posted* in a period when it was published in it (drafts never count); what became
  of it is its status today: a cohort of the period, so its shares add up.
- A need is *served* when a volunteer took it on: a pairing found, a mission under way or done.
- *Hours given* are the hours the structure confirmed, on the day they were given.
- An *active volunteer* of a territory has an active skill offer covering one of its
  départements.
- Populations are INSEE's, per département (accounts/data/departements.csv, Licence Ouverte).
"""

import csv
from functools import cache
from pathlib import Path

from django.db.models import Q

from accounts.models import User
from matching.models import Need, Offer
from missions.models import HoursEntry

SERVED = (Need.Status.MATCHED, Need.Status.IN_PROGRESS, Need.Status.COMPLETED)
POPULATION_CSV = Path(__file__).resolve().parents[1] / "accounts" / "data" / "departements.csv"
PER_INHABITANTS = 10_000


def needs_posted(selection):
    """Needs published during the period in the selected départements."""
    return Need.objects.filter(selection.within("departement"), selection.during("published_at"))


def served():
    """A Q on needs: those a volunteer took on."""
    return Q(status__in=SERVED)


def hours_given(selection):
    """Confirmed hours entries given during the period for needs of the selected départements."""
    return HoursEntry.objects.filter(
        selection.within("mission__need__departement"),
        selection.during_days("day"),
        status=HoursEntry.Status.CONFIRMED,
    )


def active_offers(selection):
    """Active offers covering at least one selected département."""
    return Offer.objects.filter(
        is_active=True, areas__departement__in=selection.departements
    ).distinct()


def active_volunteers(selection):
    """People with an active offer covering a selected département."""
    return User.objects.filter(pk__in=active_offers(selection).values("volunteer"))


@cache
def population():
    """{département code: inhabitants}, INSEE's légale population."""
    with POPULATION_CSV.open(encoding="utf-8") as file:
        return {row["code"]: int(row["population"]) for row in csv.DictReader(file, delimiter=";")}


def population_of(selection):
    """Inhabitants of the selected départements."""
    people = population()
    return sum(people.get(code, 0) for code in selection.departements)


def share(part, whole):
    """part ÷ whole as a fraction, None when there is nothing to divide (shown as « – »)."""
    return part / whole if whole else None


def per_inhabitants(count, inhabitants):
    """count per 10,000 inhabitants, None without a population."""
    return count * PER_INHABITANTS / inhabitants if inhabitants else None
