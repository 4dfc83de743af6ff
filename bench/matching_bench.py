"""Benchmark of the matcher — not a test. Prints figures, with ratios against baselines of the
same run. Needs PostgreSQL (it creates and fills its own database, `probono_bench` by default).

    .venv/bin/python bench/matching_bench.py                      # 5,000 needs × 50,000 offers
    .venv/bin/python bench/matching_bench.py --needs 500 --offers 5000   # a quick run

Figures:
  1. raw SELECT of the matcher's input rows, then each stage of a full pass (load, candidates,
     solve, write) and total ÷ raw SELECT (target ≤ 6);
  2. one need published → its proposals stored: median over 50 needs, ÷ full pass (≤ 1/40);
  3. peak memory of the full pass, measured in a fresh process (target ≤ 400 MB);
  4. engine score ÷ LP optimum (scipy/HiGHS MILP) on plentiful, scarce and very scarce offers
     (target 1.000), on a candidate set pruned to --lp-per-need pairs per need so HiGHS
     finishes; and the engine over all pairs beside a greedy baseline (score, needs served);
  5. candidate building, vectorised ÷ plain Python loop, on the same data;
  6. needs served per Hauts-de-France département (the rest of France as one more group),
     least-served ÷ best-served, with and without the equity boost, on offers spread over the
     region and on Lille-heavy offers;
  7. the adversarial shape: a scarce one-skill group in one département (--scarce-needs ×
     --scarce-offers, every need ranking the same offers first) against a typical instance of
     the same size, both exact: rounds, time, and the ratio (target ≤ 3).
"""

import argparse
import dataclasses
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import ensure_database  # noqa: E402

HDF = ("02", "59", "60", "62", "80")
HELD_OUT = 50  # needs kept as drafts, published one by one after the full pass


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--needs", type=int, default=5000)
    parser.add_argument("--offers", type=int, default=50000)
    parser.add_argument("--scarce", type=int, default=5000, help="offers, scarce scenario")
    parser.add_argument("--very-scarce", type=int, default=2500, help="offers, very scarce")
    parser.add_argument("--loop-needs", type=int, default=500, help="needs, loop comparison")
    parser.add_argument("--loop-offers", type=int, default=5000, help="offers, loop comparison")
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/probono_bench"
    )
    parser.add_argument("--skip-lp", action="store_true", help="skip the LP comparison")
    parser.add_argument(
        "--lp-per-need", type=int, default=20, help="candidate pairs per need for the LP check"
    )
    parser.add_argument(
        "--relaxed-lp", action="store_true", help="LP relaxation (an upper bound) for the check"
    )
    parser.add_argument("--scarce-needs", type=int, default=2000, help="needs, scarce group")
    parser.add_argument("--scarce-offers", type=int, default=3000, help="offers, scarce group")
    parser.add_argument("--child", choices=["full-pass"], help=argparse.SUPPRESS)
    return parser.parse_args()


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("CELERY_BROKER_URL", None)  # tasks are not what is measured here
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings.dev")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


# Filling PostgreSQL


def fill(n_needs, n_offers, seed):
    """Synthetic structures, volunteers, needs and offers shaped like Hauts-de-France."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Organisation, User
    from matching.engine.synthetic import BASE_DAY, synthetic_instance
    from matching.models import Need, Offer, OfferArea, OfferSkill, Proposal, Skill

    call_command("migrate", verbosity=0)
    skills = list(Skill.objects.order_by("pk").values_list("pk", flat=True))
    instance = synthetic_instance(n_needs, n_offers, n_skills=len(skills), seed=seed)
    today = timezone.localdate()
    shift = today - BASE_DAY - timedelta(days=60)
    now = timezone.now()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE matching_proposal, matching_matchingrun, matching_offerarea, "
                "matching_offerskill, matching_offer, matching_need_secondary_skills, "
                "matching_need, accounts_membership, accounts_organisation, accounts_user "
                "RESTART IDENTITY CASCADE"
            )
        codes = sorted(
            {n.departement for n in instance.needs}
            | {c for o in instance.offers for c in o.departements}
        )
        organisations = {}
        for kind in (Organisation.Kind.ASSOCIATION, Organisation.Kind.COMPANY):
            organisations[kind] = {
                o.departement: o
                for o in Organisation.objects.bulk_create(
                    Organisation(
                        kind=kind,
                        name=f"{kind} {code}",
                        departement=code,
                        postcode=_postcode(code),
                        status=Organisation.Status.VERIFIED,
                    )
                    for code in codes
                )
            }
        volunteers = User.objects.bulk_create(
            User(email=f"v{i}@bench.example.org", password="!", first_name="B", last_name=str(i))
            for i in range(max(1, n_offers // 20))
        )
        held_out = {n.id for n in instance.needs[:HELD_OUT]}
        Need.objects.bulk_create(
            (
                Need(
                    id=n.id,
                    organisation=organisations["association"][n.departement],
                    title=f"Besoin {n.id}",
                    description="Synthétique.",
                    main_skill_id=skills[n.skill_id - 1],
                    departement=n.departement,
                    remote_ok=n.remote_ok,
                    estimated_hours=10,
                    wished_start=n.start + shift,
                    wished_end=(n.end or n.start + timedelta(days=180)) + shift,
                    status="draft" if n.id in held_out else "published",
                    published_at=None if n.id in held_out else now - timedelta(n.waiting_days),
                )
                for n in instance.needs
            ),
            batch_size=5000,
        )
        Offer.objects.bulk_create(
            (
                Offer(
                    id=o.id,
                    volunteer=volunteers[o.id % len(volunteers)],
                    organisation=organisations["company"][min(o.departements)],
                    title=f"Offre {o.id}",
                    engagement="mecenat",
                    remote_ok=o.remote_ok,
                    hours_per_month=max(4, 8 * o.remaining_slots),
                    available_from=o.start + shift,
                    available_until=o.end + shift if o.end else None,
                )
                for o in instance.offers
            ),
            batch_size=5000,
        )
        OfferSkill.objects.bulk_create(
            (
                OfferSkill(offer_id=o.id, skill_id=skills[s - 1], level=level)
                for o in instance.offers
                for s, level in o.skills.items()
            ),
            batch_size=10000,
        )
        OfferArea.objects.bulk_create(
            (
                OfferArea(offer_id=o.id, departement=c)
                for o in instance.offers
                for c in o.departements
            ),
            batch_size=10000,
        )
        # Pairs CRESS staff rejected earlier: never proposed again.
        Proposal.objects.bulk_create(
            (
                Proposal(need_id=n, offer_id=o, status="rejected", score=0)
                for n, o in instance.forbidden
            ),
            batch_size=5000,
            ignore_conflicts=True,
        )
        for table in ("matching_need", "matching_offer"):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return instance


def _postcode(code):
    if code.startswith("97"):
        return code + "00"
    if code in ("2A", "2B"):
        return "20000" if code == "2A" else "20200"
    return code + "000"


RAW_QUERIES = [
    "SELECT id, main_skill_id, departement, remote_ok, wished_start, wished_end, published_at "
    "FROM matching_need WHERE status = 'published'",
    "SELECT id, remote_ok, available_from, available_until, hours_per_month "
    "FROM matching_offer WHERE is_active",
    "SELECT offer_id, skill_id, level FROM matching_offerskill",
    "SELECT offer_id, departement FROM matching_offerarea",
    "SELECT need_id, offer_id, status FROM matching_proposal",
]


def raw_select():
    """The floor: plain SELECTs of every row the matcher reads, fetched, best of three."""
    from django.db import connection

    def once():
        with connection.cursor() as cursor:
            for sql in RAW_QUERIES:
                cursor.execute(sql)
                cursor.fetchall()

    return min(timed(once)[0] for _ in range(3))


def full_pass_in_child(args):
    """Run the full pass in a fresh process, so its peak memory is its own."""
    command = [
        sys.executable,
        __file__,
        "--child",
        "full-pass",
        "--database-url",
        args.database_url,
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def child_full_pass(args):
    setup_django(args.database_url)
    from matching import matcher
    from matching.models import MatchingRun

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    run = MatchingRun.objects.create(trigger=MatchingRun.Trigger.SCHEDULE, departements=[])
    started = time.perf_counter()
    outcome = matcher.run_matcher(run, matcher.eligible_needs(), matcher.eligible_offers())
    total = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    run.refresh_from_db()
    print(
        json.dumps(
            {
                "stages": outcome.stages,
                "total": total,
                "proposals": outcome.proposals,
                "needs": run.needs_considered,
                "offers": run.offers_considered,
                "candidates": run.candidates,
                "rss_before_mb": before,
                "rss_peak_mb": peak,
            }
        )
    )


def publish_one_by_one():
    """Publish the held-out drafts one at a time and time the matcher's task body for each."""
    from django.utils import timezone

    from matching import matcher
    from matching.models import Need

    durations = []
    for need in Need.objects.filter(status="draft").order_by("pk")[:HELD_OUT]:
        Need.objects.filter(pk=need.pk).update(status="published", published_at=timezone.now())
        durations.append(timed(matcher.propose_for_need, need.pk)[0])
    return durations


# Pure engine scenarios


def engine_scenarios(args):
    """Per scenario: the engine over every candidate pair (exact, with pricing) beside the
    greedy baseline; and, for the LP comparison, the engine and the MILP on one candidate set
    pruned to --lp-per-need pairs per need (HiGHS needs minutes beyond that)."""
    from matching import engine
    from matching.engine.reference import reference_optimum
    from matching.engine.synthetic import synthetic_instance

    rows = []
    scenarios = (
        ("plentiful", args.offers),
        ("scarce", args.scarce),
        ("very scarce", args.very_scarce),
    )
    for label, n_offers in scenarios:
        instance = synthetic_instance(args.needs, n_offers, seed=args.seed)
        rows_in = (instance.needs, instance.offers, instance.forbidden)
        candidates = engine.build_candidates(*rows_in)
        optimal = engine.assign(candidates)
        greedy = engine.greedy_assign(optimal.candidates)
        row = {"scenario": label, "offers": n_offers, "engine": optimal, "greedy": greedy}
        if not args.skip_lp:
            pruned = engine.build_candidates(*rows_in, max_per_need=args.lp_per_need)
            row["lp_pairs"] = len(pruned)
            row["lp_engine"] = engine.assign(pruned, exact=False)
            row["lp_time"], row["lp"] = timed(reference_optimum, pruned, relaxed=args.relaxed_lp)
        rows.append(row)
    return rows


def served_share(needs, proposals):
    """Share of needs given a proposal: per Hauts-de-France département, and for the needs
    of every other département together ("autres")."""
    served = {p.need_id for p in proposals}
    groups = {}
    for need in needs:
        groups.setdefault(need.departement if need.departement in HDF else "autres", []).append(
            need.id in served
        )
    order = [*HDF, "autres"]
    return {code: sum(groups[code]) / len(groups[code]) for code in order if code in groups}


def lille_heavy(instance):
    """The same instance with each offer acting only in the busiest of its départements
    (Nord first), as in the demo: offers gather around Lille, the Aisne has few nearby."""
    order = {code: rank for rank, code in enumerate(("59", "62", "60", "80", "02"))}
    offers = tuple(
        dataclasses.replace(
            o, departements=frozenset({min(o.departements, key=lambda c: (order.get(c, 9), c))})
        )
        for o in instance.offers
    )
    return dataclasses.replace(instance, offers=offers)


def equity_effect(args):
    """Least-served ÷ best-served département, with and without the equity boost."""
    from django.conf import settings

    from matching import engine
    from matching.engine.synthetic import synthetic_instance

    base = engine.Weights(**settings.MATCHING_WEIGHTS)
    plain = dataclasses.replace(base, equity=0.0)
    spread = synthetic_instance(args.needs, args.very_scarce, seed=args.seed)
    results = {}
    for shape, instance in (("spread", spread), ("Lille-heavy", lille_heavy(spread))):
        for label, weights in (("with", base), ("without", plain)):
            assignment = engine.match(instance.needs, instance.offers, instance.forbidden, weights)
            shares = served_share(instance.needs, assignment.proposals)
            results[shape, label] = (min(shares.values()) / max(shares.values()), shares)
    return results


def loop_comparison(args):
    from matching import engine
    from matching.engine.synthetic import synthetic_instance

    instance = synthetic_instance(args.loop_needs, args.loop_offers, seed=args.seed)
    vector, fast = timed(
        engine.build_candidates, instance.needs, instance.offers, instance.forbidden
    )
    loop, slow = timed(engine.candidates_loop, instance.needs, instance.offers, instance.forbidden)
    same = len(fast) == len(slow) and (fast.points == slow.points).all()
    return vector, loop, same


def main():
    args = parse_args()
    if args.child == "full-pass":
        return child_full_pass(args)
    ensure_database(args.database_url)
    setup_django(args.database_url)
    print(
        f"Probono matcher benchmark — {args.needs} needs × {args.offers} offers, seed {args.seed}"
    )
    fill_time, _ = timed(fill, args.needs, args.offers, args.seed)
    print(f"filled PostgreSQL in {fill_time:.1f} s")

    floor = raw_select()
    full = full_pass_in_child(args)
    stages = full["stages"]
    print("\n1. Full pass against the raw SELECT of its input rows")
    print(f"   raw SELECT            {floor:8.3f} s   (baseline)")
    for name in ("load", "candidates", "solve", "write"):
        print(f"   {name:<21} {stages[name]:8.3f} s   ×{stages[name] / floor:5.2f}")
    print(
        f"   total                 {full['total']:8.3f} s   ×{full['total'] / floor:5.2f}"
        f"   (target ≤ 6)"
    )
    print(
        f"   {full['needs']} needs, {full['offers']} offers, {full['candidates']} candidate "
        f"pairs, {full['proposals']} proposals written"
    )

    durations = publish_one_by_one()
    median = statistics.median(durations)
    print(f"\n2. One need published → its proposals stored (median of {len(durations)})")
    print(f"   {median:.3f} s = 1/{full['total'] / median:.0f} of the full pass   (target ≤ 1/40)")

    print("\n3. Peak memory of the full pass (fresh process, max RSS)")
    print(
        f"   {full['rss_peak_mb']:.0f} MB in all, {full['rss_peak_mb'] - full['rss_before_mb']:.0f}"
        f" MB above the process after Django start-up   (target ≤ 400 MB)"
    )

    print("\n4. Engine ÷ LP optimum (HiGHS MILP), and a greedy baseline")
    print(
        f"   {'scenario':<12} {'offers':>7} {'covered':>8} {'greedy covered':>15} "
        f"{'greedy÷engine':>14} {'LP pairs':>9} {'engine÷LP':>10} {'LP s':>6}"
    )
    for row in engine_scenarios(args):
        engine_run, greedy = row["engine"], row["greedy"]
        lp = row.get("lp")
        if lp:
            ratio = f"{row['lp_engine'].total_points / lp.total_points:.3f}"
            if lp.covered != row["lp_engine"].covered:
                ratio += " (coverage ≠)"
        print(
            f"   {row['scenario']:<12} {row['offers']:>7} {engine_run.covered:>8} "
            f"{greedy.covered:>15} {greedy.total_points / engine_run.total_points:>14.3f} "
            f"{row.get('lp_pairs', 0):>9} {ratio if lp else 'skipped':>10} "
            f"{row.get('lp_time') or 0:>6.1f}"
        )

    vector, loop, same = loop_comparison(args)
    print(f"\n5. Candidate building on {args.loop_needs} needs × {args.loop_offers} offers")
    print(
        f"   vectorised {vector:.3f} s, Python loop {loop:.3f} s: ×{loop / vector:.0f} faster"
        f"{'' if same else '   RESULTS DIFFER'}"
    )

    equity = equity_effect(args)
    print(
        f"\n6. Needs served per département, very scarce offers ({args.very_scarce}): least ÷ best"
    )
    for shape in ("spread", "Lille-heavy"):
        for label in ("with", "without"):
            ratio, shares = equity[shape, label]
            detail = ", ".join(f"{code} {share:.0%}" for code, share in shares.items())
            print(f"   {shape:<11} {label:<7} equity boost: {ratio:.3f}   ({detail})")

    shapes = adversarial_shape(args)
    print(f"\n7. Adversarial shape, {args.scarce_needs} needs × {args.scarce_offers} offers, exact")
    for label, (seconds, result, candidates) in shapes.items():
        print(
            f"   {label:<13} {seconds:7.2f} s   {result.rounds} solve(s), exact {result.exact}, "
            f"{candidates.considered} candidate pairs, {len(result.candidates)} in the last "
            f"working set, {result.covered} needs covered"
        )
    ratio = shapes["scarce group"][0] / shapes["typical"][0]
    print(f"   scarce ÷ typical: ×{ratio:.2f}   (target ≤ 3)")


def adversarial_shape(args):
    """The engine, exact, on a scarce one-skill group and on a typical instance of the same
    size (needs × offers); best of three runs each, so a busy machine weighs less."""
    from django.conf import settings

    from matching import engine
    from matching.engine.synthetic import scarce_group_instance, synthetic_instance

    size = (args.scarce_needs, args.scarce_offers)
    rows = {}
    for label, instance in (
        ("typical", synthetic_instance(*size, seed=args.seed)),
        ("scarce group", scarce_group_instance(*size, seed=args.seed)),
    ):
        best = None
        for _ in range(3):
            started = time.perf_counter()
            candidates = engine.build_candidates(
                instance.needs, instance.offers, instance.forbidden,
                max_per_need=settings.MATCHING_MAX_CANDIDATES_PER_NEED,
            )  # fmt: skip
            result = engine.assign(candidates)
            seconds = time.perf_counter() - started
            best = min(best or (seconds, result, candidates), (seconds, result, candidates),
                       key=lambda row: row[0])  # fmt: skip
        rows[label] = best
    return rows


if __name__ == "__main__":
    main()
