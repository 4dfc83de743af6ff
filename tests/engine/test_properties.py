"""Properties on random small instances, checked against an independent MILP optimum."""

from collections import Counter
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.engine import (
    LEVELS,
    Need,
    Offer,
    assign,
    build_candidates,
    candidates_loop,
    greedy_assign,
    match,
)
from matching.engine.reference import reference_optimum
from tests.engine.builders import DAY, assert_same_candidates, pairs

PROPERTY = settings(max_examples=200, deadline=None)
# Hauts-de-France with neighbours inside and outside it, Paris, Corsica, an overseas one.
CODES = ("02", "59", "60", "62", "80", "08", "76", "75", "2A", "974")


DAYS = st.integers(-20, 40)
LENGTHS = st.one_of(st.none(), st.integers(0, 60))
NEED_ROWS = st.tuples(
    st.integers(1, 4),  # skill
    st.sampled_from(CODES),
    st.booleans(),  # remote
    DAYS,
    LENGTHS,
    st.integers(0, 200),  # waiting days
    st.integers(0, 3),  # slots wanted
    st.booleans(),  # already covered
)
OFFER_ROWS = st.tuples(
    st.dictionaries(st.integers(1, 4), st.sampled_from(LEVELS), min_size=1),
    st.frozensets(st.sampled_from(CODES), min_size=1, max_size=3),
    st.booleans(),  # remote
    DAYS,
    LENGTHS,
    st.integers(0, 3),  # remaining slots
)


def period(offset: int, length: int | None):
    """(start, end) from an offset to DAY and a length; None length is an open end."""
    start = DAY + timedelta(days=offset)
    return start, None if length is None else start + timedelta(days=length)


@st.composite
def instances(draw):
    """Up to 12 needs, 10 offers, 4 skills, a few départements, some forbidden pairs."""
    n_skills = draw(st.integers(1, 4))
    needs = [
        Need(i, (skill - 1) % n_skills + 1, code, remote, *period(day, length), *rest)
        for i, (skill, code, remote, day, length, *rest) in enumerate(
            draw(st.lists(NEED_ROWS, max_size=12)), 1
        )
    ]
    offers = [
        Offer(
            j,
            {(s - 1) % n_skills + 1: lv for s, lv in skills.items()},
            codes,
            remote,
            *period(day, length),
            slots,
        )
        for j, (skills, codes, remote, day, length, slots) in enumerate(
            draw(st.lists(OFFER_ROWS, max_size=10)), 1
        )
    ]
    forbidden = set()
    if needs and offers:
        pair = st.tuples(st.integers(1, len(needs)), st.integers(1, len(offers)))
        forbidden = draw(st.sets(pair, max_size=8))
    return needs, offers, forbidden


prunings = st.sampled_from([1, 2, 3, None])


@PROPERTY
@given(instances(), prunings)
def test_it_never_exceeds_slots_or_capacities(instance, max_per_need):
    needs, offers, forbidden = instance
    result = match(needs, offers, forbidden, max_per_need=max_per_need)
    per_need = Counter(p.need_id for p in result.proposals)
    per_offer = Counter(p.offer_id for p in result.proposals)
    assert all(per_need[n.id] <= n.slots_wanted for n in needs)
    assert all(per_offer[o.id] <= o.remaining_slots for o in offers)


@PROPERTY
@given(instances(), prunings)
def test_it_only_proposes_allowed_candidate_pairs(instance, max_per_need):
    needs, offers, forbidden = instance
    allowed = set(pairs(build_candidates(needs, offers, forbidden, max_per_need=None)))
    result = match(needs, offers, forbidden, max_per_need=max_per_need)
    proposed = {(p.need_id, p.offer_id) for p in result.proposals}
    assert proposed <= allowed
    assert not proposed & forbidden
    assert len(proposed) == len(result.proposals)


@PROPERTY
@given(instances(), prunings, st.randoms(use_true_random=False))
def test_it_gives_the_same_output_for_a_shuffled_input(instance, max_per_need, random):
    needs, offers, forbidden = instance
    before = match(needs, offers, forbidden, max_per_need=max_per_need)
    random.shuffle(needs)
    random.shuffle(offers)
    shuffled = list(forbidden)
    random.shuffle(shuffled)
    assert match(needs, offers, shuffled, max_per_need=max_per_need) == before


@PROPERTY
@given(instances(), prunings)
def test_it_reaches_the_lp_optimum_over_all_candidate_pairs(instance, max_per_need):
    """Coverage and total score equal the MILP's, even when the working set was pruned."""
    needs, offers, forbidden = instance
    result = match(needs, offers, forbidden, max_per_need=max_per_need)
    # The same equity parts as the engine's final solve (it measured who is behind first).
    counts = result.candidates.departement_counts
    full = build_candidates(needs, offers, forbidden, max_per_need=None, departement_counts=counts)
    assert result.exact
    assert (result.covered, result.total_points) == reference_optimum(full)


@PROPERTY
@given(instances(), prunings)
def test_it_reaches_the_lp_optimum_of_the_pruned_set_alone(instance, max_per_need):
    needs, offers, forbidden = instance
    candidates = build_candidates(needs, offers, forbidden, max_per_need=max_per_need)
    result = assign(candidates, exact=False)
    assert (result.covered, result.total_points) == reference_optimum(candidates)


@PROPERTY
@given(instances(), prunings)
def test_greedy_never_beats_the_engine(instance, max_per_need):
    """Compared on (coverage, then total score), on the same candidate pairs."""
    needs, offers, forbidden = instance
    candidates = build_candidates(needs, offers, forbidden, max_per_need=max_per_need)
    greedy, optimal = greedy_assign(candidates), assign(candidates, exact=False)
    assert (greedy.covered, greedy.total_points) <= (optimal.covered, optimal.total_points)


@PROPERTY
@given(instances(), prunings)
def test_every_score_is_positive_and_the_sum_of_its_parts(instance, max_per_need):
    needs, offers, forbidden = instance
    for proposal in match(needs, offers, forbidden, max_per_need=max_per_need).proposals:
        assert proposal.points > 0
        assert proposal.points == round(sum(proposal.parts.values()) * 1000)


@PROPERTY
@given(instances(), prunings)
def test_the_vectorised_builder_equals_the_loop(instance, max_per_need):
    needs, offers, forbidden = instance
    assert_same_candidates(
        build_candidates(needs, offers, forbidden, max_per_need=max_per_need),
        candidates_loop(needs, offers, forbidden, max_per_need=max_per_need),
    )
