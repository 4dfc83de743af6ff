"""Score parts on hand-made cases: each proposal explains its score with named parts."""

from datetime import timedelta

import pytest

from matching.engine import Weights, match
from tests.engine.builders import DAY, need, offer

LEVEL_ORDER = ("junior", "confirmed", "expert")


def only(assignment, offer_id):
    """The proposal made to the given offer."""
    [proposal] = [p for p in assignment.proposals if p.offer_id == offer_id]
    return proposal


def test_it_ranks_same_departement_above_neighbour_above_remote():
    offers = [
        offer(1, departements=("02",)),
        offer(2, departements=("80",)),
        offer(3, departements=("75",), remote_ok=True),
    ]
    result = match([need(remote_ok=True, slots_wanted=3)], offers)
    places = [only(result, i).parts["place"] for i in (1, 2, 3)]
    assert places == [2.0, 1.0, 0.5]
    assert [only(result, i).details["place"] for i in (1, 2, 3)] == ["same", "neighbour", "remote"]


def test_it_names_the_neighbouring_departement_that_gave_the_place_part():
    result = match([need()], [offer(departements=("75", "80", "59"))])
    assert result.proposals[0].details["via_departement"] == "59"


def test_it_gives_the_best_place_when_several_apply():
    result = match([need(remote_ok=True)], [offer(departements=("80", "02"), remote_ok=True)])
    assert result.proposals[0].details["place"] == "same"


def test_it_ranks_expert_above_confirmed_above_junior():
    offers = [offer(i, skills={1: level}) for i, level in enumerate(LEVEL_ORDER, 1)]
    result = match([need(slots_wanted=3)], offers)
    assert [only(result, i).parts["skill"] for i in (1, 2, 3)] == [1.0, 2.0, 3.0]
    assert only(result, 3).details["level"] == "expert"


def test_it_multiplies_level_points_by_the_skill_weight():
    result = match([need()], [offer(skills={1: "expert"})], weights=Weights(skill=2.0))
    assert result.proposals[0].parts["skill"] == 6.0


@pytest.mark.parametrize(("days", "part"), [(0, 0.0), (45, 0.5), (90, 1.0), (400, 1.0)])
def test_it_caps_the_waiting_part_at_the_cap(days, part):
    result = match([need(waiting_days=days)], [offer()])
    assert result.proposals[0].parts["waiting"] == part
    assert result.proposals[0].details["waiting_days"] == days


def test_it_scores_the_fraction_of_the_wished_period_covered():
    """Need wished 10 days, offer available from the 6th: half the period."""
    wished = need(start=DAY, end=DAY + timedelta(days=9))
    result = match([wished], [offer(start=DAY + timedelta(days=5))])
    assert result.proposals[0].details["overlap"] == 0.5
    assert result.proposals[0].parts["availability"] == 0.5


def test_an_open_ended_need_wishes_open_period_days():
    wished = need(start=DAY, end=None)
    result = match([wished], [offer(end=DAY + timedelta(days=89))])
    assert result.proposals[0].details["overlap"] == 90 / 180


def test_periods_start_no_earlier_than_today():
    """A need published long ago with an open end still wishes the coming days."""
    old = need(start=DAY - timedelta(days=400), end=None)
    result = match([old], [offer(start=DAY, end=DAY + timedelta(days=179))], today=DAY)
    assert result.proposals[0].details["overlap"] == 1.0


def test_it_boosts_needs_of_an_under_served_departement():
    """Aisne: one acting offer for four needs; Nord: as many offers as needs."""
    needs = [need(i, departement="02") for i in (1, 2, 3, 4)] + [need(5, departement="59")]
    offers = [offer(1, departements=("02",), remaining_slots=9), offer(2, departements=("59",))]
    result = match(needs, offers)
    aisne = [p for p in result.proposals if p.need_id == 1]
    nord = [p for p in result.proposals if p.need_id == 5]
    assert aisne[0].parts["equity"] == 1.5 * (1 - 1 / 4)
    assert nord[0].parts["equity"] == 0.0
    assert (aisne[0].details["departement_offers"], aisne[0].details["departement_needs"]) == (1, 4)


def test_it_gives_the_full_equity_boost_where_no_offer_acts():
    result = match([need(departement="08")], [offer(departements=("02",))])
    assert result.proposals[0].parts["equity"] == 1.5


def test_departement_counts_can_come_from_the_caller():
    """A one-need run passes the region's counts instead of counting its own input."""
    result = match([need()], [offer()], departement_counts={"02": (2, 8)})
    assert result.proposals[0].parts["equity"] == 1.5 * (1 - 2 / 8)


def test_the_score_is_the_sum_of_its_parts():
    result = match([need(waiting_days=30)], [offer(skills={1: "expert"})])
    proposal = result.proposals[0]
    assert proposal.points == 3000 + 2000 + 1000 + 333 + 0
    assert proposal.score == proposal.points / 1000
    assert proposal.score == pytest.approx(sum(proposal.parts.values()))


def test_weights_refuse_a_non_positive_place_part():
    with pytest.raises(ValueError):
        Weights(remote=0.0)


def test_weights_refuse_remote_above_neighbour():
    with pytest.raises(ValueError):
        Weights(neighbour=0.5, remote=1.0)
