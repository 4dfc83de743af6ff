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


def test_a_departement_served_as_well_as_the_region_gets_no_boost():
    result = match([need(departement="02")], [offer(departements=("02",))])
    assert result.proposals[0].parts["equity"] == 0.0


def test_counts_from_the_caller_boost_a_departement_behind_the_region():
    """Aisne: 1 need in 4 served; the region: 5 in 8. The Aisne is 60 % behind."""
    counts = {"02": (1, 4), "59": (4, 4)}
    result = match(
        [need(departement="02")], [offer(departements=("02",))], departement_counts=counts
    )
    proposal = result.proposals[0]
    assert proposal.parts["equity"] == pytest.approx(1.5 * (1 - (1 / 4) / (5 / 8)))
    assert proposal.details["departement_served"] == 1
    assert proposal.details["region_share"] == 5 / 8


def test_a_departement_ahead_of_the_region_gets_nothing():
    counts = {"02": (1, 4), "59": (4, 4)}
    result = match(
        [need(departement="59")], [offer(departements=("59",))], departement_counts=counts
    )
    assert result.proposals[0].parts["equity"] == 0.0


def test_without_counts_the_engine_measures_who_is_behind_and_boosts_them():
    """One offer, two needs that are alike but for their département and waiting time.

    Without equity, the Nord need (waited longer) takes the offer; the Aisne is then left at 0 %
    served, so the boost hands the offer to the Aisne need: coverage stays the same.
    """
    needs = [need(1, departement="02", waiting_days=0), need(2, departement="59", waiting_days=60)]
    offers = [offer(1, departements=("02", "59"), remaining_slots=1)]
    plain = match(needs, offers, weights=Weights(equity=0.0))
    boosted = match(needs, offers)
    assert [p.need_id for p in plain.proposals] == [2]
    assert [p.need_id for p in boosted.proposals] == [1]
    assert boosted.covered == plain.covered == 1


def test_counts_must_be_consistent():
    with pytest.raises(ValueError):
        match([need()], [offer()], departement_counts={"02": (5, 4)})


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
