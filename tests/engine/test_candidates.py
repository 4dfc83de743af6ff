"""Candidate rules, pruning, and the vectorised builder against its loop twin."""

from datetime import timedelta

import pytest

from matching.engine import build_candidates, candidates_loop
from matching.engine import candidates as candidates_module
from tests.engine.builders import DAY, assert_same_candidates, need, offer, pairs, random_rows


def candidate_pairs(needs, offers, forbidden=(), **options):
    """(need id, offer id) pairs the vectorised builder accepts."""
    return pairs(build_candidates(needs, offers, forbidden, **options))


def test_it_accepts_an_offer_in_the_same_departement():
    assert candidate_pairs([need()], [offer()]) == [(1, 1)]


def test_it_accepts_an_offer_in_a_neighbouring_departement():
    assert candidate_pairs([need(departement="02")], [offer(departements=("08",))]) == [(1, 1)]


def test_it_refuses_a_distant_offer_when_the_need_is_on_site():
    assert candidate_pairs([need()], [offer(departements=("75",), remote_ok=True)]) == []


def test_it_refuses_a_distant_offer_when_the_volunteer_is_on_site():
    assert candidate_pairs([need(remote_ok=True)], [offer(departements=("75",))]) == []


def test_it_accepts_a_distant_offer_when_both_accept_remote_work():
    found = candidate_pairs([need(remote_ok=True)], [offer(departements=("971",), remote_ok=True)])
    assert found == [(1, 1)]


def test_corsica_is_not_a_neighbour_of_the_mainland():
    assert candidate_pairs([need(departement="2A")], [offer(departements=("06", "13"))]) == []
    assert candidate_pairs([need(departement="2A")], [offer(departements=("2B",))]) == [(1, 1)]


def test_it_refuses_an_offer_available_only_after_the_wished_period():
    late = offer(start=DAY + timedelta(days=30))
    assert candidate_pairs([need(start=DAY, end=DAY + timedelta(days=29))], [late]) == []


def test_it_refuses_an_offer_available_only_before_the_wished_period():
    early = offer(start=DAY - timedelta(days=60), end=DAY - timedelta(days=1))
    assert candidate_pairs([need()], [early]) == []


def test_it_accepts_a_single_shared_day():
    last_day = offer(start=DAY - timedelta(days=60), end=DAY)
    assert candidate_pairs([need()], [last_day]) == [(1, 1)]


def test_it_refuses_an_offer_without_the_needed_skill():
    assert candidate_pairs([need(skill_id=2)], [offer(skills={1: "expert"})]) == []


def test_it_refuses_an_offer_with_no_slot_left():
    assert candidate_pairs([need()], [offer(remaining_slots=0)]) == []


def test_it_refuses_a_forbidden_pair():
    assert candidate_pairs([need()], [offer(1), offer(2)], forbidden={(1, 1)}) == [(1, 2)]


def test_it_ignores_a_need_that_wants_no_more_proposals():
    assert candidate_pairs([need(slots_wanted=0)], [offer()]) == []


def test_it_ignores_a_need_whose_period_is_over():
    over = need(start=DAY - timedelta(days=60), end=DAY - timedelta(days=30))
    assert candidate_pairs([over], [offer(start=DAY - timedelta(days=90))], today=DAY) == []


def test_it_keeps_each_needs_best_pairs_when_pruning(monkeypatch):
    """Experts first; between equal offers, the lower id wins (offers keeping their own best
    needs left aside here: see the next test)."""
    monkeypatch.setattr(candidates_module, "_per_offer", lambda *args: None)
    offers = [
        offer(5, skills={1: "junior"}),
        offer(4, skills={1: "expert"}),
        offer(3, skills={1: "confirmed"}),
        offer(2, skills={1: "confirmed"}),
    ]
    candidates = build_candidates([need()], offers, max_per_need=2)
    assert pairs(candidates) == [(1, 2), (1, 4)]
    assert (candidates.considered, candidates.pruned_needs) == (4, 1)


def test_each_offer_keeps_its_best_needs_when_pruning():
    """With one pair per need, every need ranks the expert first; each offer still keeps its
    two best needs (the longest waiting first)."""
    needs = [need(i, waiting_days=days) for i, days in ((1, 5), (2, 60), (3, 30))]
    offers = [offer(1, skills={1: "expert"}), offer(2, skills={1: "junior"})]
    candidates = build_candidates(needs, offers, max_per_need=1)
    assert sorted(pairs(candidates)) == [(1, 1), (2, 1), (2, 2), (3, 1), (3, 2)]


def test_forbidden_pairs_do_not_take_a_kept_place():
    offers = [offer(1, skills={1: "expert"}), offer(2, skills={1: "junior"})]
    assert candidate_pairs([need()], offers, {(1, 1)}, max_per_need=1) == [(1, 2)]


def test_it_refuses_an_unknown_departement():
    with pytest.raises(ValueError, match="unknown département"):
        need(departement="20")


def test_it_refuses_an_unknown_level():
    with pytest.raises(ValueError, match="unknown level"):
        offer(skills={1: "guru"})


def test_it_refuses_duplicate_ids():
    with pytest.raises(ValueError, match="duplicate need id 1"):
        build_candidates([need(1), need(1)], [offer()])


def test_it_refuses_a_max_per_need_below_one():
    with pytest.raises(ValueError):
        build_candidates([need()], [offer()], max_per_need=0)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("max_per_need", [1, 3, None])
def test_the_vectorised_builder_equals_the_loop(seed, max_per_need):
    needs, offers, forbidden = random_rows(seed, 40, 60)
    assert_same_candidates(
        build_candidates(needs, offers, forbidden, max_per_need=max_per_need),
        candidates_loop(needs, offers, forbidden, max_per_need=max_per_need),
    )


def test_the_vectorised_builder_equals_the_loop_across_chunks(monkeypatch):
    """Blocks of a few cells split the needs of a skill into many chunks."""
    monkeypatch.setattr("matching.engine.candidates.CHUNK_CELLS", 7)
    needs, offers, forbidden = random_rows(99, 30, 25)
    assert_same_candidates(
        build_candidates(needs, offers, forbidden, max_per_need=2),
        candidates_loop(needs, offers, forbidden, max_per_need=2),
    )


def test_the_input_order_does_not_matter():
    needs, offers, forbidden = random_rows(7, 30, 30)
    assert_same_candidates(
        build_candidates(needs, offers, forbidden, max_per_need=3),
        build_candidates(needs[::-1], offers[::-1], forbidden, max_per_need=3),
    )
