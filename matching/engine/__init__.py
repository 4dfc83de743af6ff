"""Probono matching engine: pure, deterministic, no Django import (stdlib, numpy, OR-Tools).

Inputs (inputs.py) — plain frozen dataclasses the Django side fills from its models:
  Need(id, skill_id, departement, remote_ok, start, end=None, waiting_days=0,
       slots_wanted=DEFAULT_K, already_covered=False)
      slots_wanted: how many more proposals this need may receive (K minus its live proposals).
      already_covered: it already has a live proposal, so it earns no coverage priority.
  Offer(id, skills={skill_id: "junior"|"confirmed"|"expert"}, departements=frozenset(codes),
        remote_ok, start, end=None, remaining_slots=1)
      remaining_slots: how many more live proposals the offer may carry (its capacity).
  forbidden: iterable of (need_id, offer_id) pairs never to propose.
  Weights(...): scoring weights with defaults (see inputs.Weights).
  today: optional date; periods are clipped to start no earlier than it.
  departement_counts: optional {code: (acting offers, needs)} for the equity part; by default
      it is counted from the input, which is right for a full pass but not for a one-need run.

Candidates (candidates.py): an offer is a candidate for a need when it covers the need's skill;
acts in the need's département, a neighbouring one (departements.NEIGHBOURS), or both accept
remote work; its availability overlaps the need's wished period (an open-ended need wishes
Weights.open_period_days from its start); it has a slot left; the pair is not forbidden.
build_candidates() is vectorised per skill (dense needs × offers blocks of bounded size);
candidates_loop() is its plain-Python twin, same result, for tests and the speed-up ratio.

Score: a sum of named parts, in integer points (round(part × 1000), scoring.SCALE):
  skill = skill × level points; place = same > neighbour > remote; availability × overlap
  fraction; waiting × min(days, cap) / cap; equity × (1 − min(1, acting offers / needs)) of the
  need's département. All scores are positive.

Columns: NeedColumns and OfferColumns hold the same input as arrays (ids, skill and area rows
by offer id, dates as ordinals, NO_END for an open end); the matcher fills them straight from
its cursors, and build_candidates accepts either form. Records are made back only for the
pairs a proposal explains.

Pruning, without loss: the candidate set can explode (16 million pairs for 5,000 needs ×
50,000 offers), so build_candidates keeps each need's `max_per_need` best pairs (default 60,
by points then lower offer id; None keeps all) as the initial working set, and, in a skill
whose offers carry fewer than twice the slots its needs want, each offer's best needs too
(max_per_need // 8, at least 2; ties spread by a hash of the pair, not by id). Per-need pruning
alone is NOT exact: needs of one place all rank the same popular offers first, those fill up,
and the optimum uses pairs a top-M list dropped (on the synthetic instance, M = 30 alone lost a
third of the total score). So assign() does column generation: solve the working set, take
potentials π from the residual graph (π = −distance to the sink, by Bellman–Ford), scan every
candidate pair again and add those whose points exceed π(need) − π(offer), then solve again.
When none is left, π proves the flow optimal for the FULL candidate set (Assignment.exact).
Each connected part of the working set is solved as its own network (same optimum, smaller
networks, and a part's result does not depend on the others, ties included).
max_per_need is only a speed knob; assign(..., exact=False) solves the given pairs only.

Assignment (assign.py): a min-cost flow (OR-Tools SimpleMinCostFlow) with integer costs:
source → need (first unit: capacity 1, cost −B, for needs not already covered; other units:
cost 0), need → offer (capacity 1, cost −points), offer → sink (capacity remaining_slots),
plus a source → sink bypass so the routed amount is free. B exceeds any reachable total of
points, so it covers as many needs as possible first, then maximises the total points.
greedy_assign() is the benchmark's baseline. reference.reference_optimum() (scipy MILP) gives
the same optimum independently, for tests and the benchmark.

Output: Assignment(proposals, covered, total_points, exact, rounds, candidates); each
Proposal(need_id, offer_id, score, points, parts={"skill", "place", "availability", "waiting",
"equity"}, details={skill_id, level, place, departement, via_departement, overlap,
waiting_days, waiting_cap_days, departement_offers, departement_needs}), sorted by
(need_id, offer_id). `covered` counts needs not already covered that got a proposal.
Deterministic: inputs are sorted by id and rankings break ties by ids, so the solver always
gets the same network; the same input in any order gives the same output.

match(needs, offers, forbidden, weights, max_per_need=..., today=..., departement_counts=...)
does build_candidates + assign in one call.
"""

from matching.engine.assign import Assignment, Proposal, assign, greedy_assign, match
from matching.engine.candidates import (
    DEFAULT_MAX_PER_NEED,
    Candidates,
    build_candidates,
    candidates_loop,
)
from matching.engine.departements import DEPARTEMENTS, NEIGHBOURS
from matching.engine.inputs import (
    DEFAULT_K,
    LEVELS,
    NO_END,
    SCALE,
    Need,
    NeedColumns,
    Offer,
    OfferColumns,
    Weights,
)
from matching.engine.scoring import PARTS, PLACES

__all__ = [
    "DEFAULT_K",
    "DEFAULT_MAX_PER_NEED",
    "DEPARTEMENTS",
    "LEVELS",
    "NEIGHBOURS",
    "PARTS",
    "PLACES",
    "SCALE",
    "Assignment",
    "Candidates",
    "NO_END",
    "Need",
    "NeedColumns",
    "Offer",
    "OfferColumns",
    "Proposal",
    "Weights",
    "assign",
    "build_candidates",
    "candidates_loop",
    "greedy_assign",
    "match",
]
