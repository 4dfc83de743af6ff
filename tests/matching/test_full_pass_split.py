"""A département heavier than a group's fair share is split into skill sets that no offer
links; run on separate workers, those parts give the same proposals as one solve."""

import datetime
import random

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation
from matching import matcher
from matching.models import MatchingRun, Proposal
from tests.factories import NeedFactory, OfferFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

# Two sets of skills in Paris: European funds with regulatory watch (offers carry both),
# and public procurement alone. No offer reaching Paris carries skills of both sets.
LINKED = ("fonds-europeens", "veille-reglementaire")
ALONE = "commande-publique"


@pytest.fixture
def paris_dominates():
    """Paris holds most needs lacking proposals; the Nord a few. Offers are scarce. Periods
    differ from need to need and offers start on different days after every wished start, so
    that no two sets of pairs score the same and the optimum is one set of pairs."""
    rng = random.Random(75)
    today = timezone.localdate()
    paris = OrganisationFactory(departement="75", postcode="75011")
    nord = OrganisationFactory(departement="59", postcode="59000")
    for i, code in enumerate([LINKED[0]] * 14 + [LINKED[1]] * 6 + [ALONE] * 16):
        need_in(paris, code, today + datetime.timedelta(days=rng.randrange(40)), waiting=i)
    for i in range(6):
        need_in(nord, LINKED[0], today, waiting=i)
    company = OrganisationFactory(kind=Organisation.Kind.COMPANY, departement="75")
    for j in range(22):
        skills = [(LINKED[0], "expert"), (LINKED[1], "junior")] if j % 3 else [(ALONE, "expert")]
        OfferFactory(
            organisation=company, skills=skills, departements=["75" if j % 2 else "92"],
            hours_per_month=8 * (1 + j % 2),
            available_from=today + datetime.timedelta(days=41 + 3 * j),
        )  # fmt: skip
    OfferFactory(organisation=company, skills=[(LINKED[0], "confirmed")], departements=["59"])


def need_in(organisation, skill_code, start, waiting):
    from tests.factories import skill

    return NeedFactory(
        organisation=organisation, main_skill=skill(skill_code), remote_ok=False,
        wished_start=start, wished_end=start + datetime.timedelta(days=90 + 7 * waiting),
        published_at=timezone.now() - datetime.timedelta(days=3 + 5 * waiting),
    )  # fmt: skip


def skill_ids(*codes):
    from tests.factories import skill

    return sorted(skill(code).pk for code in codes)


def test_a_departement_heavier_than_a_group_is_split_by_independent_skills(paris_dominates):
    groups = matcher.full_pass_groups(2)
    assert [(g.departements, g.skills) for g in groups] == [
        (["75"], skill_ids(*LINKED)),
        (["75"], skill_ids(ALONE)),
        (["59"], []),
    ]


def test_skills_an_offer_links_stay_together(paris_dominates):
    """One offer carrying a linked skill and the lone one joins the two sets: no split."""
    company = Organisation.objects.get(kind=Organisation.Kind.COMPANY, departement="75")
    OfferFactory(organisation=company, skills=[(LINKED[1], "expert"), (ALONE, "junior")],
                 departements=["94"])  # fmt: skip
    groups = matcher.full_pass_groups(2)
    assert [(g.departements, g.skills) for g in groups] == [(["75"], []), (["59"], [])]


def test_the_split_gives_the_same_proposals_as_one_solve(paris_dominates, settings, monkeypatch):
    settings.MATCHING_FULL_PASS_GROUPS = 2
    with transaction.atomic():
        split = full_pass()
        split_runs = list(
            MatchingRun.objects.filter(parent=split.pk).values_list("departements", "skills")
        )
        split_proposals = stored_proposals()
        transaction.set_rollback(True)
    with transaction.atomic():
        monkeypatch.setattr(matcher, "skill_parts", lambda code, parts: [[]])
        whole = full_pass()
        whole_proposals = stored_proposals()
        transaction.set_rollback(True)

    assert (["75"], skill_ids(*LINKED)) in split_runs and (["75"], skill_ids(ALONE)) in split_runs
    assert split.exact and whole.exact
    assert len(split_proposals) > 30
    assert split_proposals == whole_proposals


def full_pass():
    parent = matcher.run_full_pass_in_process(MatchingRun.Trigger.MANUAL)
    assert parent.status == MatchingRun.Status.SUCCEEDED, parent.errors
    return parent


def stored_proposals():
    """(need, offer, score, phase) of every stored proposal: who got what, and when."""
    return sorted(
        Proposal.objects.values_list("need__title", "offer__title", "score", "run__phase")
    )
