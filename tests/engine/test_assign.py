"""The optimal assignment: capacities, coverage first, pruning without loss, determinism."""

from collections import Counter
from datetime import timedelta

import pytest

from matching.engine import Weights, assign, build_candidates, greedy_assign, match
from matching.engine import candidates as candidates_module
from matching.engine.reference import reference_optimum
from tests.engine.builders import need, offer, pairs, random_rows


def proposed(assignment):
    """(need id, offer id) of every proposal."""
    return [(p.need_id, p.offer_id) for p in assignment.proposals]


def test_it_never_gives_an_offer_more_proposals_than_its_slots():
    needs = [need(i, slots_wanted=1) for i in (1, 2, 3)]
    result = match(needs, [offer(remaining_slots=2)])
    assert len(result.proposals) == 2


def test_it_never_gives_a_need_more_proposals_than_it_wants():
    result = match([need(slots_wanted=2)], [offer(i) for i in (1, 2, 3)])
    assert len(result.proposals) == 2


def test_it_covers_a_second_need_before_giving_a_first_need_its_second_proposal():
    """Need 1 scores best on both offers, but need 2 can only use offer 2."""
    offers = [offer(1, skills={1: "expert"}), offer(2, skills={1: "expert"}, departements=("80",))]
    needs = [need(1, waiting_days=90), need(2, departement="62")]
    assert proposed(match(needs, offers, weights=Weights(equity=0.0))) == [(1, 1), (2, 2)]


def test_a_need_already_covered_earns_no_coverage_priority():
    needs = [need(1, already_covered=True, waiting_days=90), need(2, departement="80")]
    result = match(needs, [offer(skills={1: "expert"})])
    assert proposed(result) == [(2, 1)]
    assert result.covered == 1


def test_it_maximises_the_total_score_once_coverage_is_settled():
    """Swapping lets both needs keep a proposal and raises the total."""
    offers = [offer(1, skills={1: "expert"}), offer(2, skills={1: "junior"})]
    needs = [need(1, slots_wanted=1), need(2, slots_wanted=1, departement="80")]
    assert proposed(match(needs, offers)) == [(1, 2), (2, 1)]


def test_it_finds_the_pairs_pruning_dropped(monkeypatch):
    """With one pair kept per need (and none per offer), both needs keep only offer 1; the
    full optimum needs 2: pricing brings it back."""
    monkeypatch.setattr(candidates_module, "_per_offer", lambda *args: None)
    offers = [offer(1, skills={1: "expert"}), offer(2, skills={1: "junior"})]
    needs = [need(1, slots_wanted=1), need(2, slots_wanted=1)]
    candidates = build_candidates(needs, offers, max_per_need=1)
    assert assign(candidates, exact=False).covered == 1
    result = assign(candidates)
    assert (result.covered, result.exact, result.rounds) == (2, True, 2)


def test_each_offer_keeps_its_best_needs_in_the_first_working_set():
    """Both needs rank offer 1 first; the junior offer still keeps both needs, so the first
    solve covers them both."""
    offers = [offer(1, skills={1: "expert"}), offer(2, skills={1: "junior"})]
    needs = [need(1, slots_wanted=1), need(2, slots_wanted=1)]
    candidates = build_candidates(needs, offers, max_per_need=1)
    assert sorted(pairs(candidates)) == [(1, 1), (1, 2), (2, 1), (2, 2)]
    assert assign(candidates, exact=False).covered == 2


def test_it_is_exact_at_once_when_nothing_was_pruned():
    result = match([need()], [offer()])
    assert (result.exact, result.rounds) == (True, 1)


def test_it_matches_the_lp_on_random_data_with_heavy_pruning():
    needs, offers, forbidden = random_rows(3, 60, 50)
    full = build_candidates(needs, offers, forbidden, max_per_need=None)
    result = match(needs, offers, forbidden, max_per_need=2)
    assert result.exact
    assert (result.covered, result.total_points) == reference_optimum(full)


def test_it_sorts_proposals_by_need_then_offer():
    needs, offers, forbidden = random_rows(5, 40, 40)
    keys = proposed(match(needs, offers, forbidden))
    assert keys == sorted(keys)
    assert keys


def test_it_gives_the_same_result_whatever_the_input_order():
    needs, offers, forbidden = random_rows(11, 40, 40)
    assert match(needs, offers, forbidden) == match(needs[::-1], offers[::-1], forbidden)


def test_it_proposes_nothing_without_candidates():
    result = match([need()], [offer(departements=("75",))])
    assert (result.proposals, result.covered, result.total_points) == ((), 0, 0)


def test_it_accepts_empty_input():
    assert match([], []).proposals == ()


def test_details_are_plain_json_values():
    result = match([need(waiting_days=12)], [offer(departements=("80",), skills={1: "expert"})])
    assert result.proposals[0].details == {
        "skill_id": 1,
        "level": "expert",
        "place": "neighbour",
        "departement": "02",
        "via_departement": "80",
        "overlap": 1.0,
        "waiting_days": 12,
        "waiting_cap_days": 90,
        "departement_served": 1,
        "departement_needs": 1,
        "region_share": 1.0,
    }


def test_the_greedy_baseline_respects_slots_and_capacities():
    needs, offers, forbidden = random_rows(8, 50, 30)
    candidates = build_candidates(needs, offers, forbidden, max_per_need=None)
    result = greedy_assign(candidates)
    per_need = Counter(p.need_id for p in result.proposals)
    per_offer = Counter(p.offer_id for p in result.proposals)
    assert all(per_need[n.id] <= n.slots_wanted for n in needs)
    assert all(per_offer[o.id] <= o.remaining_slots for o in offers)


def test_the_greedy_baseline_can_leave_a_need_uncovered():
    offers = [offer(1, skills={1: "expert"}), offer(2, skills={1: "expert"}, departements=("80",))]
    needs = [need(1, waiting_days=90), need(2, departement="62")]
    candidates = build_candidates(needs, offers, weights=Weights(equity=0.0))
    assert (greedy_assign(candidates).covered, assign(candidates).covered) == (1, 2)


def scarce_nord_group(n_needs=300, n_offers=200, seed=7):
    """One skill in the Nord, offers scarcer than needs: many needs compete for few offers."""
    import numpy as np

    from tests.engine.builders import DAY

    rng = np.random.default_rng(seed)
    levels = ("junior", "confirmed", "expert")
    needs = [
        need(id=i + 1, departement="59", waiting_days=int(rng.integers(0, 120)),
             slots_wanted=2, end=DAY + timedelta(days=int(rng.integers(20, 200))))
        for i in range(n_needs)
    ]  # fmt: skip
    offers = [
        offer(id=j + 1, skills={1: levels[int(rng.integers(0, 3))]},
              departements=("59",) if rng.random() < 0.7 else ("62",),
              start=DAY + timedelta(days=int(rng.integers(0, 60))))
        for j in range(n_offers)
    ]  # fmt: skip
    return needs, offers


@pytest.mark.parametrize("first_working_set", [2, 3])
def test_it_reaches_the_optimum_on_a_scarce_group_and_says_so(first_working_set):
    """Pricing that converges slowly ends in a solve over every pair, never in a silent
    approximation: the result equals the unpruned optimum and is marked exact."""
    needs, offers = scarce_nord_group()
    pruned = assign(build_candidates(needs, offers, max_per_need=first_working_set))
    optimum = assign(build_candidates(needs, offers, max_per_need=None))
    assert pruned.exact
    assert (pruned.covered, pruned.total_points) == (optimum.covered, optimum.total_points)
    assert pruned.rounds > 1
