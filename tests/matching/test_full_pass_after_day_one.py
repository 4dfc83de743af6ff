"""The full pass after day one: needs still lacking proposals are all picked up again.

Starts from the seeded demo with one full pass already run, where most départements hold
needs with two live proposals: an empty database hid that a per-département count replaced
the per-need one.
"""

import pytest

from matching import matcher
from matching.models import MatchingRun, Need, Proposal, Skill
from tests.factories import NeedFactory, OfferFactory, skill

pytestmark = pytest.mark.usefixtures("demo_after_first_pass")


def lacking_ids():
    return set(matcher.needs_lacking_proposals().values_list("pk", flat=True))


@pytest.fixture
def new_need():
    """A need published after the first pass in the Nord, with a volunteer who can take it, on
    a skill no other need still lacking proposals asks for (so nothing competes for the offer,
    whatever order the database returns rows in)."""
    lacking_skills = matcher.needs_lacking_proposals().values("main_skill")
    code = Skill.objects.active().exclude(pk__in=lacking_skills).values_list("code", flat=True)[0]
    organisation = Need.objects.filter(departement="59").first().organisation
    OfferFactory(skills=[(code, "expert")], departements=["59"], hours_per_month=16)
    return NeedFactory(organisation=organisation, departement="59", main_skill=skill(code))


@pytest.fixture
def withdrawn_need():
    """A need whose proposals were all withdrawn (rejected) after the first pass; a volunteer
    with room for it has joined since (its rejected pairs are never proposed again)."""
    need = Need.objects.filter(proposals__status="proposed", departement="62").first()
    need.proposals.update(status=Proposal.Status.REJECTED)
    skill_code = need.main_skill.code
    OfferFactory(skills=[(skill_code, "expert")], departements=["62"], hours_per_month=16)
    return need


def test_departement_groups_hold_every_departement_with_a_need_lacking_proposals(
    new_need, withdrawn_need
):
    grouped = {code for group in matcher.departement_groups(4) for code in group}
    lacking = set(Need.objects.filter(pk__in=lacking_ids()).values_list("departement", flat=True))
    assert {"59", "62"} <= lacking
    assert grouped == lacking


def test_the_next_full_pass_considers_every_need_lacking_proposals(new_need, withdrawn_need):
    lacking = lacking_ids()
    parent = matcher.run_full_pass_in_process(MatchingRun.Trigger.SCHEDULE)
    assert parent.status == MatchingRun.Status.SUCCEEDED
    assert parent.needs_considered == len(lacking)
    assert new_need.proposals.live().exists()
    assert withdrawn_need.proposals.live().exists()
