"""The matcher's Django side: load plain data, call the pure engine, store proposals.

Capacity: an offer of H hours per month carries at most
    min(MATCHING_MAX_SLOTS_PER_OFFER, max(1, H // MATCHING_HOURS_PER_SLOT))
live proposals (proposed, approved or accepted): with the defaults, 8 h/month = 1 need at a
time, 16 h = 2, 40 h and more = 5. A need receives at most MATCHING_PROPOSALS_PER_NEED (K)
live proposals.
"""

import csv
import io
import json
import logging
import time
from collections import Counter, defaultdict
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Organisation

from . import engine
from .engine.departements import sweep_order
from .models import MatchingRun, Need, Offer, OfferArea, OfferSkill, Proposal

log = logging.getLogger(__name__)

# Key of the PostgreSQL advisory lock that serialises proposal writes (capacity checks).
WRITE_LOCK_KEY = 725_001
# Up to this many ids, rows are fetched by id list; beyond, by subquery or in full.
IDS_INLINE = 5000


def proposals_per_need():
    return settings.MATCHING_PROPOSALS_PER_NEED


def offer_slots(hours_per_month, per_slot=None, most=None):
    """How many live proposals an offer can carry, from its hours per month."""
    per_slot = per_slot or settings.MATCHING_HOURS_PER_SLOT
    most = most or settings.MATCHING_MAX_SLOTS_PER_OFFER
    return min(most, max(1, hours_per_month // per_slot))


def weights():
    return engine.Weights(**settings.MATCHING_WEIGHTS)


# What takes part


def eligible_needs():
    """Published needs of verified organisations whose period is not over."""
    return Need.objects.open_to_volunteers().filter(wished_end__gte=timezone.localdate())


def eligible_offers():
    """Active offers of volunteers whose employer is verified, still available, and who were
    not asked too often lately."""
    today = timezone.localdate()
    return (
        Offer.objects.filter(
            is_active=True,
            volunteer__is_active=True,
            organisation__status=Organisation.Status.VERIFIED,
        )
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=today))
        .exclude(volunteer__in=volunteers_asked_enough())
    )


def volunteers_asked_enough(now=None):
    """Volunteers asked (a proposal of theirs approved) MATCHING_MAX_ASKS_PER_MONTH times in
    the last 30 days: the matcher leaves them alone until the oldest of those ages out."""
    since = (now or timezone.now()) - timedelta(days=30)
    return (
        Proposal.objects.filter(approved_at__gte=since).order_by()
        .values("offer__volunteer").annotate(n=Count("pk"))
        .filter(n__gte=settings.MATCHING_MAX_ASKS_PER_MONTH).values("offer__volunteer")
    )  # fmt: skip


def _live_count(relation):
    return Count(relation, filter=Q(**{f"{relation}__status__in": Proposal.LIVE}))


# Loading plain data for the engine


def _live_counts(field, ids=None):
    """{need or offer id: live proposals}.

    Live proposals are bounded by the offers' capacity, so one grouped query over all of them
    is cheaper than any filter by thousands of ids; for a short list of ids (a one-need run)
    their proposals are read by id and counted here.
    """
    if ids is None or len(ids) > IDS_INLINE:
        live = Proposal.objects.live().order_by().values_list(field)
        return dict(live.annotate(n=Count("pk")).values_list(field, "n"))
    rows = _rows_for(Proposal, f"{field}_id", ("status",), list(ids))
    return Counter(pk for pk, status in rows if status in Proposal.LIVE)


def load_needs(queryset, k=None):
    """Engine needs as columns, with the slots each may still receive up to k; needs that
    already have k live proposals are left out."""
    k = proposals_per_need() if k is None else k
    now = timezone.now()
    rows = _fetch(queryset.order_by().values_list(
        "id", "main_skill_id", "departement", "remote_ok", "wished_start", "wished_end",
        "published_at",
    ))  # fmt: skip
    live = _live_counts("need", [row[0] for row in rows])
    rows = [row for row in rows if live.get(row[0], 0) < k]
    ids, skills, codes, remote, starts, ends, published = _transpose(rows, 7)
    taken = np.array([live.get(pk, 0) for pk in ids], dtype=np.int64)
    return engine.NeedColumns(
        id=np.array(ids, dtype=np.int64),
        skill_id=np.array(skills, dtype=np.int64),
        departement=_departement_indexes(codes),
        remote_ok=np.array(remote, dtype=bool),
        start=_ordinals(starts),
        end=_ordinals(ends),
        waiting_days=np.array([(now - at).days if at else 0 for at in published], dtype=np.int64),
        slots_wanted=k - taken,
        already_covered=taken > 0,
    )


def load_offers(queryset):
    """Engine offers as columns, with their skills, areas and remaining capacity: four
    queries, and no Python object per offer (a full pass reads tens of thousands)."""
    rows = _fetch(
        queryset.order_by().values_list(
            "id", "remote_ok", "available_from", "available_until", "hours_per_month"
        )
    )
    ids, remote, starts, ends, hours = _transpose(rows, 5)
    ids = np.array(ids, dtype=np.int64)
    # A one-need run reaches a few thousand offers: looking them up by id is much cheaper
    # than repeating the offers' filter in three subqueries.
    by = ids.tolist() if len(ids) <= IDS_INLINE else queryset.order_by().values("pk")
    skill_rows = _rows_for(OfferSkill, "offer_id", ("skill_id", "level"), by) if len(ids) else []
    area_rows = _rows_for(OfferArea, "offer_id", ("departement",), by) if len(ids) else []
    skill_offer, skill_id, level = _transpose(skill_rows, 3)
    area_offer, area_code = _transpose(area_rows, 2)
    return engine.OfferColumns(
        id=ids,
        remote_ok=np.array(remote, dtype=bool),
        start=_ordinals(starts),
        end=_ordinals(ends),
        remaining_slots=np.maximum(_capacity(np.array(hours, dtype=np.int64)) - _live(ids), 0),
        skill_offer_id=np.array(skill_offer, dtype=np.int64),
        skill_id=np.array(skill_id, dtype=np.int64),
        skill_level=np.array([LEVEL_INDEX[name] for name in level], dtype=np.int64),
        area_offer_id=np.array(area_offer, dtype=np.int64),
        area_departement=_departement_indexes(area_code),
    )


LEVEL_INDEX = {name: i for i, name in enumerate(engine.LEVELS)}


def _capacity(hours):
    """offer_slots over an array of hours per month."""
    per_slot, most = settings.MATCHING_HOURS_PER_SLOT, settings.MATCHING_MAX_SLOTS_PER_OFFER
    return np.minimum(most, np.maximum(1, hours // per_slot))


def _live(offer_ids):
    """Live proposals of each offer, in the order of `offer_ids`."""
    ids = offer_ids.tolist()
    live = _live_counts("offer", ids)
    return np.array([live.get(pk, 0) for pk in ids], dtype=np.int64)


def offers_considered(offers):
    """How many offers took part: a slot left and at least one skill."""
    with_skills = np.isin(offers.id, offers.skill_offer_id)
    return int(((offers.remaining_slots > 0) & with_skills).sum())


def _fetch(queryset):
    """Rows of a values_list queryset through a plain cursor on PostgreSQL: no per-row Django
    iterator (elsewhere Django's, whose converters SQLite needs for its dates)."""
    if connection.vendor != "postgresql":
        return list(queryset)
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # .none(), or a filter on an empty list
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _transpose(rows, width):
    """Columns of a list of row tuples (empty columns for no rows)."""
    # One comprehension per column: zip(*rows) over 100,000 rows takes several times longer.
    return [[row[i] for row in rows] for i in range(width)]


def _ordinals(dates):
    """Day ordinals of dates; an open end (None) is engine.NO_END."""
    return np.array(
        [engine.NO_END if day is None else day.toordinal() for day in dates], dtype=np.int64
    )


def _departement_indexes(codes):
    """Index of each INSEE code in engine.DEPARTEMENTS."""
    return np.array([DEPARTEMENT_INDEX[code] for code in codes], dtype=np.int64)


DEPARTEMENT_INDEX = {code: i for i, code in enumerate(engine.DEPARTEMENTS)}


def _rows_for(model, key, columns, ids):
    """(key, *columns) rows of a table whose `key` is in a list of ids or a subquery.

    On PostgreSQL a list goes as one array parameter, joined through unnest: Django would
    prepare each of thousands of ids one by one, and "= ANY(array)" tests every row against
    the whole array.
    """
    if isinstance(ids, list) and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT {', '.join(f'{table}.{name}' for name in (key, *columns))} "
                f"FROM {table} JOIN unnest(%s::bigint[]) AS wanted(wanted_id) "
                f"ON {table}.{key} = wanted_id",
                [ids],
            )
            return cursor.fetchall()
    return _fetch(model.objects.filter(**{f"{key}__in": ids}).values_list(key, *columns))


def existing_pairs(needs):
    """Every pair already proposed for these needs (a list of ids, or a queryset), live or
    not: never proposed again. An (n, 2) array of (need id, offer id)."""
    ids = needs if isinstance(needs, list) else needs.values("pk")
    rows = _rows_for(Proposal, "need_id", ("offer_id",), ids)
    return np.array(rows, dtype=np.int64).reshape(-1, 2)


def departement_counts():
    """Per département: (eligible needs with a live proposal, eligible needs), region-wide.

    The engine's equity part boosts the départements whose share of needs served is below the
    region's; a one-need run and every group of a full pass see the same picture.
    """
    needs = eligible_needs().values("departement")
    totals = dict(needs.annotate(n=Count("pk")).values_list("departement", "n"))
    served = dict(
        needs.filter(pk__in=Proposal.objects.live().values("need_id"))
        .annotate(n=Count("pk"))
        .values_list("departement", "n")
    )
    return {code: (served.get(code, 0), total) for code, total in totals.items()}


# Running


@dataclass
class Outcome:
    """What one matcher run did, with the seconds each stage took (for the benchmark)."""

    run: MatchingRun
    stages: dict = field(default_factory=dict)
    proposals: int = 0


@contextmanager
def _stage(outcome, name):
    started = time.perf_counter()
    yield
    outcome.stages[name] = time.perf_counter() - started


def run_matcher(run, needs_queryset, offers_queryset, k=None):
    """Load, build candidates, solve and write for one run; the run record says how it went."""
    outcome = Outcome(run=run)
    try:
        with _stage(outcome, "load"), _analytic_session():
            needs = load_needs(needs_queryset, k)
            offers = load_offers(offers_queryset if len(needs) else Offer.objects.none())
            forbidden = existing_pairs(needs.id.tolist()) if len(needs) else ()
            counts = departement_counts() if len(needs) else {}
        with _stage(outcome, "candidates"):
            candidates = engine.build_candidates(
                needs, offers, forbidden, weights(),
                max_per_need=settings.MATCHING_MAX_CANDIDATES_PER_NEED,
                today=timezone.localdate(), departement_counts=counts,
            )  # fmt: skip
        with _stage(outcome, "solve"):
            assignment = engine.assign(candidates)
        if not assignment.exact:
            log.warning("matcher run %s: result not proved optimal after %s rounds",
                        run.pk, assignment.rounds)  # fmt: skip
        run.exact, run.rounds = assignment.exact, assignment.rounds
        with _stage(outcome, "write"):
            outcome.proposals = write_proposals(run, assignment.proposals)
        finish_run(run, len(needs), offers_considered(offers), len(candidates), outcome.proposals)
    except Exception as error:
        fail_run(run, error)
        raise
    return outcome


@contextmanager
def _analytic_session():
    """One transaction for the reads of a run, with MATCHING_WORK_MEM of sort and hash memory.

    PostgreSQL's 4 MB default is too little to hash the offers acting near a group of
    départements: the offers' query then probed that subquery once per offer, and a group of
    the national benchmark spent most of its load there. The reads also see one snapshot.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('work_mem', %s, true)",
                               [settings.MATCHING_WORK_MEM])  # fmt: skip
        yield


@contextmanager
def proposal_write_lock():
    """Serialise proposal writes so concurrent runs never exceed a capacity together; a
    raised hand (missions.services.raise_hand) takes it too."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK_KEY])
        yield


def write_proposals(run, proposals):
    """Store the proposals still within capacity and K; a pair already stored is skipped."""
    if not proposals:
        return 0
    with proposal_write_lock():
        keep = _within_capacity(proposals)
        if connection.vendor == "postgresql":
            _copy_proposals(run, keep)
        else:
            Proposal.objects.bulk_create(
                [
                    Proposal(
                        need_id=p.need_id,
                        offer_id=p.offer_id,
                        score=p.score,
                        parts=p.parts,
                        details=p.details,
                        run=run,
                        source=Proposal.Source.MATCHER,
                    )  # fmt: skip
                    for p in keep
                ],
                ignore_conflicts=True,
                batch_size=2000,
            )
        return Proposal.objects.filter(run=run).count()


COPY_COLUMNS = "need_id, offer_id, status, source, score, parts, details, run_id, created_at"


def _copy_proposals(run, proposals):
    """COPY into a temporary table, then one INSERT … ON CONFLICT DO NOTHING.

    Several times faster than batched INSERTs for a full pass's thousands of rows, and a pair
    written meanwhile by another run is still skipped rather than failing the whole copy.
    """
    now = timezone.now().isoformat()
    rows = io.StringIO()
    writer = csv.writer(rows)
    for p in proposals:
        writer.writerow([
            p.need_id, p.offer_id, Proposal.Status.PROPOSED, Proposal.Source.MATCHER, p.score,
            json.dumps(p.parts), json.dumps(p.details), run.pk, now,
        ])  # fmt: skip
    rows.seek(0)
    table = Proposal._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE new_proposals ON COMMIT DROP AS "
            f"SELECT {COPY_COLUMNS} FROM {table} WITH NO DATA"
        )
        cursor.copy_expert(f"COPY new_proposals ({COPY_COLUMNS}) FROM STDIN WITH CSV", rows)
        cursor.execute(
            f"INSERT INTO {table} ({COPY_COLUMNS}) SELECT {COPY_COLUMNS} FROM new_proposals "
            "ON CONFLICT (need_id, offer_id) DO NOTHING"
        )
        cursor.execute("DROP TABLE new_proposals")


def _within_capacity(proposals):
    """Re-check capacity and K inside the lock: another run may have written meanwhile."""
    need_ids = sorted({p.need_id for p in proposals})
    offer_ids = sorted({p.offer_id for p in proposals})
    k = proposals_per_need()
    per_slot, most = settings.MATCHING_HOURS_PER_SLOT, settings.MATCHING_MAX_SLOTS_PER_OFFER
    need_live, offer_live = _live_counts("need", need_ids), _live_counts("offer", offer_ids)
    need_room = {pk: k - need_live.get(pk, 0) for pk in need_ids}
    offer_room = {
        pk: offer_slots(hours, per_slot, most) - offer_live.get(pk, 0)
        for pk, hours in _rows_for(Offer, "id", ("hours_per_month",), offer_ids)
    }
    keep = []
    for proposal in sorted(proposals, key=lambda p: (-p.points, p.need_id, p.offer_id)):
        if need_room.get(proposal.need_id, 0) > 0 and offer_room.get(proposal.offer_id, 0) > 0:
            need_room[proposal.need_id] -= 1
            offer_room[proposal.offer_id] -= 1
            keep.append(proposal)
    return keep


def finish_run(run, needs, offers, candidates, proposals):
    run.needs_considered, run.offers_considered = needs, offers
    run.candidates, run.proposals_created = candidates, proposals
    run.status, run.finished_at = MatchingRun.Status.SUCCEEDED, timezone.now()
    run.save()


def fail_run(run, error):
    log.exception("matcher run %s failed", run.pk)
    MatchingRun.objects.filter(pk=run.pk).update(
        status=MatchingRun.Status.FAILED,
        finished_at=timezone.now(),
        errors=f"{error.__class__.__name__}: {error}",
    )


# The three triggers


def propose_for_need(need_id):
    """Proposals for one newly published need; nothing when it no longer qualifies."""
    needs = eligible_needs().filter(pk=need_id)
    if not needs.exists():
        return None
    skill_id, departement, remote_ok, start, end = needs.values_list(
        "main_skill_id", "departement", "remote_ok", "wished_start", "wished_end"
    ).get()
    run = MatchingRun.objects.create(trigger=MatchingRun.Trigger.NEED, subject_id=need_id)
    # Only offers that could be candidates: the skill, the place, the period.
    offers = (
        offers_reaching([departement], remote=remote_ok)
        .filter(skills__skill_id=skill_id, available_from__lte=end)
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=start))
    )
    return run_matcher(run, needs, offers)


def propose_for_offer(offer_id):
    """Proposals for one new, changed or resumed offer, among needs still wanting some."""
    offers = eligible_offers().filter(pk=offer_id)
    if not offers.exists():
        return None
    skill_ids = OfferSkill.objects.filter(offer_id=offer_id).values("skill_id")
    run = MatchingRun.objects.create(trigger=MatchingRun.Trigger.OFFER, subject_id=offer_id)
    needs = eligible_needs().filter(main_skill_id__in=skill_ids)
    return run_matcher(run, needs, offers)


def needs_lacking_proposals():
    """Eligible needs with fewer than K live proposals: what a full pass works on."""
    return (
        eligible_needs()
        .annotate(live=_live_count("proposals"))
        .filter(live__lt=proposals_per_need())
    )


def lacking_per_departement():
    """{département: needs lacking proposals there}.

    The per-need condition (fewer than K live proposals) is decided in a subquery: grouping
    the annotated queryset itself would turn it into a per-département HAVING clause.
    """
    lacking = needs_lacking_proposals().values("pk")
    return dict(
        eligible_needs().filter(pk__in=lacking).order_by()
        .values_list("departement").annotate(n=Count("pk")).values_list("departement", "n")
    )  # fmt: skip


def departement_groups(group_count, sizes=None):
    """Split the départements with needs lacking proposals into up to `group_count` groups
    balanced by needs, each grown over land borders from the westernmost département left
    (engine.sweep_order): a group's offers are those acting in it or next door, so a compact
    group loads far fewer offers than départements picked all over France."""
    sizes = lacking_per_departement() if sizes is None else sizes
    left = [code for code in sweep_order() if sizes.get(code)]
    groups = []
    while left:
        last = len(groups) == group_count - 1
        target = sum(sizes[code] for code in left) / max(1, group_count - len(groups))
        group = set(left) if last else _grow(left, sizes, target)
        groups.append(sorted(group))
        left = [code for code in left if code not in group]
    return groups


def _grow(left, sizes, target):
    """Départements with needs around the first of `left`, breadth first over borders
    (crossing départements without needs), until their needs reach `target`; where borders
    end (an island, overseas), it goes on from the next département of `left`."""
    group, load, seen, queue = set(), 0, set(), []
    for seed in left:
        if seed in seen:
            continue
        seen.add(seed)
        queue.append(seed)
        while queue and load < target:
            code = queue.pop(0)
            if code in left and code not in group:
                group.add(code)
                load += sizes[code]
            for near in sorted(engine.NEIGHBOURS[code]):
                if near not in seen:
                    seen.add(near)
                    queue.append(near)
        if load >= target:
            break
    return group


def lost_after():
    """How long a claimed run may last: past the task's hard time limit its worker is dead."""
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def reap_lost_runs(now=None):
    """Mark as failed the runs whose worker died mid-run, and the full passes they belong to.

    A worker killed outright (kill -9, out of memory, a lost machine) leaves its run
    "running" for ever, and its full pass never opens phase 2 nor closes. No run outlives the
    hard time limit, so one claimed (or, for one-need and one-offer runs, started) longer ago
    is lost: staff read why, and the pass that calls this redoes its needs. Returns how many.
    """
    limit = (now or timezone.now()) - lost_after()
    reason = gettext(
        "Perdu : le worker s'est arrêté pendant ce passage (aucune fin après %(seconds)s s, "
        "la limite d'une tâche). Le passage complet suivant reprend ses besoins."
    ) % {"seconds": settings.CELERY_TASK_TIME_LIMIT}
    running = MatchingRun.objects.filter(status=MatchingRun.Status.RUNNING)
    started_in_task = Q(trigger__in=[MatchingRun.Trigger.NEED, MatchingRun.Trigger.OFFER])
    lost = running.filter(Q(claimed_at__lt=limit) | (started_in_task & Q(started_at__lt=limit)))
    with transaction.atomic():
        parents = list(lost.exclude(parent=None).values_list("parent_id", flat=True))
        reaped = lost.update(status=MatchingRun.Status.FAILED, finished_at=timezone.now(),
                             errors=reason)  # fmt: skip
        # Their passes will never complete: close them now, their other groups do nothing.
        running.filter(pk__in=parents).update(
            status=MatchingRun.Status.FAILED, finished_at=timezone.now(), errors=reason
        )
        running.filter(parent_id__in=parents, claimed_at__isnull=True).update(
            status=MatchingRun.Status.FAILED, finished_at=timezone.now(), errors=reason
        )
    if reaped:
        log.warning("%s matcher run(s) lost with their worker, marked failed", reaped)
    return reaped


def start_full_pass(trigger, started_by=None):
    """The parent run and its phase-1 child runs, one per group, to dispatch.

    Runs lost with a dead worker are closed first. The parent counts the needs lacking
    proposals when it starts: what the pass works on.
    """
    reap_lost_runs()
    sizes = lacking_per_departement()
    groups = full_pass_groups(settings.MATCHING_FULL_PASS_GROUPS, sizes)
    with transaction.atomic():
        parent = MatchingRun.objects.create(
            trigger=trigger, started_by=started_by, groups_total=2 * len(groups),
            needs_considered=sum(sizes.values()),
        )  # fmt: skip
        children = _children(parent, groups, phase=1)
    if not children:
        finish_run(parent, 0, 0, 0, 0)
    return parent, children


@dataclass(frozen=True)
class Group:
    """What one task of a full pass works on: départements, and skills (empty: all of them)."""

    departements: list
    skills: list = field(default_factory=list)


def full_pass_groups(group_count, sizes=None):
    """Groups of a full pass: départements balanced by needs lacking proposals, a département
    heavier than a group's fair share split first into independent skill sets."""
    sizes = dict(lacking_per_departement() if sizes is None else sizes)
    share = sum(sizes.values()) / max(1, group_count)
    groups = []
    for code in sorted(code for code, size in sizes.items() if size > share):
        parts = skill_parts(code, parts=max(1, round(sizes.pop(code) / share)))
        groups += [Group([code], skills) for skills in parts]
    groups += [Group(codes) for codes in departement_groups(group_count - len(groups), sizes)]
    return groups


def skill_parts(code, parts):
    """The skills of a département's needs lacking proposals, in up to `parts` sets no offer
    reaching it links: an offer covers skills of one set only, so solving each set alone
    gives the same proposals as one solve (the flow splits into independent parts, and so do
    coverage and score). [[]] (every skill, one part) when everything is linked."""
    lacking = needs_lacking_proposals().filter(departement=code)
    needs = dict(
        eligible_needs().filter(pk__in=lacking.values("pk")).order_by()
        .values_list("main_skill_id").annotate(n=Count("pk")).values_list("main_skill_id", "n")
    )  # fmt: skip
    components = _linked_skills(set(needs), _skills_carried_together(code, needs))
    if len(components) < 2 or parts < 2:
        return [[]]
    bins = [[] for _ in range(min(parts, len(components)))]
    loads = [0] * len(bins)
    for component in sorted(components, key=lambda c: (-sum(needs[s] for s in c), min(c))):
        lightest = loads.index(min(loads))
        bins[lightest] += component
        loads[lightest] += sum(needs[s] for s in component)
    return [sorted(skills) for skills in bins]


def _skills_carried_together(code, skills):
    """Pairs of these skills that one offer reaching the département carries both of."""
    offers = offers_reaching([code]).values("pk")
    carried = OfferSkill.objects.filter(offer__in=offers, skill_id__in=list(skills))
    pairs = (
        carried.filter(offer__skills__skill_id__in=list(skills)).order_by()
        .values_list("skill_id", "offer__skills__skill_id").distinct()
    )  # fmt: skip
    return {(a, b) for a, b in pairs if a != b}


def _linked_skills(skills, links):
    """Connected sets of skills, given pairs of linked skills."""
    root = {skill: skill for skill in skills}

    def find(skill):
        while root[skill] != skill:
            root[skill] = root[root[skill]]
            skill = root[skill]
        return skill

    for a, b in links:
        if a in root and b in root:
            root[find(a)] = find(b)
    components = defaultdict(list)
    for skill in skills:
        components[find(skill)].append(skill)
    return [sorted(component) for component in components.values()]


def _children(parent, groups, phase):
    return [
        MatchingRun.objects.create(
            trigger=MatchingRun.Trigger.GROUP,
            parent=parent,
            departements=group.departements,
            skills=group.skills,
            phase=phase,
        )  # fmt: skip
        for group in groups
    ]


def offers_reaching(departements, remote=True):
    """Eligible offers acting in these départements or a neighbour, or (when the needs may be
    met remotely) open to remote work."""
    reach = set(departements)
    for code in departements:
        reach.update(engine.NEIGHBOURS.get(code, ()))
    nearby = Q(pk__in=OfferArea.objects.filter(departement__in=reach).values("offer"))
    return eligible_offers().filter(nearby | Q(remote_ok=True) if remote else nearby)


def run_group(child_id):
    """One group of a full pass; returns the next phase's groups to dispatch, if any.

    A second delivery of the same group finds its run finished and does nothing.
    """
    # Claimed by a conditional update: a second delivery, or the redelivery of a group whose
    # worker died mid-run (reaped as lost, redone by the next pass), does nothing.
    claimed = MatchingRun.objects.filter(
        pk=child_id, status=MatchingRun.Status.RUNNING, claimed_at__isnull=True
    ).update(claimed_at=timezone.now())
    if not claimed:
        return []
    child = MatchingRun.objects.get(pk=child_id)
    lacking = needs_lacking_proposals().filter(departement__in=child.departements)
    offers = offers_reaching(child.departements)
    if child.skills:
        lacking = lacking.filter(main_skill_id__in=child.skills)
        carrying = OfferSkill.objects.filter(skill_id__in=child.skills).values("offer_id")
        offers = offers.filter(pk__in=carrying)
    if child.phase == 1:
        lacking = lacking.filter(live=0)
    needs = eligible_needs().filter(pk__in=lacking.values("pk"))
    # A failure is recorded and logged by run_matcher (fail_run). Raising it here would lose
    # the phase-2 groups the last phase-1 group opens, and the pass would stay "running"
    # until reaped; a retry would find the group claimed and do nothing anyway.
    with suppress(Exception):
        run_matcher(child, needs, offers, k=1 if child.phase == 1 else None)
    return _group_done(child)


def _group_done(child):
    """Count the group in its parent: the last of phase 1 opens phase 2, the last closes all."""
    with transaction.atomic():
        parent = MatchingRun.objects.select_for_update().get(pk=child.parent_id)
        parent.groups_done += 1
        parent.save(update_fields=["groups_done"])
        if parent.status != MatchingRun.Status.RUNNING:
            return []  # reaped as lost meanwhile: the next pass does the rest
        if parent.groups_done == parent.groups_total // 2 and child.phase == 1:
            rows = parent.groups.filter(phase=1).order_by("pk")
            groups = [Group(codes, skills) for codes, skills in
                      rows.values_list("departements", "skills")]  # fmt: skip
            return _children(parent, groups, phase=2)
        if parent.groups_done == parent.groups_total:
            _close(parent)
        return []


def _close(parent):
    """Sum the groups' counts into the parent and mark it done.

    The parent counted its needs when it started; offers are counted in phase 1, whose groups
    reach every offer the pass uses.
    """
    first = Q(phase=1)
    totals = parent.groups.aggregate(
        offers=Sum("offers_considered", filter=first),
        candidates=Sum("candidates"), proposals=Sum("proposals_created"),
        inexact=Count("pk", filter=Q(exact=False)), rounds=Max("rounds"),
    )  # fmt: skip
    errors = "\n".join(parent.groups.exclude(errors="").values_list("errors", flat=True))
    parent.offers_considered = totals["offers"] or 0
    parent.candidates = totals["candidates"] or 0
    parent.proposals_created = totals["proposals"] or 0
    parent.exact, parent.rounds = not totals["inexact"], totals["rounds"] or 0
    parent.errors = errors
    parent.status = MatchingRun.Status.FAILED if errors else MatchingRun.Status.SUCCEEDED
    parent.finished_at = timezone.now()
    parent.save()


def run_full_pass_in_process(trigger):
    """A full pass with every group run here, one after the other (no Celery)."""
    parent, children = start_full_pass(trigger)
    while children:
        children = [later for child in children for later in run_group(child.pk)]
    parent.refresh_from_db()
    return parent
