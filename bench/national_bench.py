"""National benchmark of the full matching pass — not a test. Prints figures beside targets and
baselines of the same run. Needs PostgreSQL (it fills its own database, `probono_national_bench`
by default) and `redis-server` (it starts a throwaway one).

    .venv/bin/python bench/national_bench.py                           # 100,000 × 1,000,000
    .venv/bin/python bench/national_bench.py --needs 5000 --offers 50000    # a quick run
    .venv/bin/python bench/national_bench.py --keep-data --groups 8    # same data, 8 groups

Needs and offers are spread over the 101 départements in proportion to population
(bench/national.py). The pass runs as production runs it: a redis-server, --workers Celery
workers (`celery -A probono worker --pool=solo --concurrency=1`, so each task runs in the
worker process itself) under probono.settings.production, and the `matching.full_pass` task
sent as Celery beat sends it. Production settings rather than dev: dev turns DEBUG on, and
Django then keeps every SQL query of a task in memory, which would inflate the peak memory
measured; production is also what the time limits and persistent connections are tuned for.
The solo pool does not enforce Celery's time limits (production's prefork pool does): a group
that runs past the soft limit is flagged in the table.

Figures: the fill (separately); the whole pass, from the task sent to the pass closed (target
≤ 120 s), against a raw SELECT of every input row; each group's wait, run time and counts from
its run record; each worker's tasks; each worker's peak memory (VmHWM, target ≤ 2 GB) against
the same worker idle after start-up. --timeout bounds the wait: the workers are then stopped
and whatever the run records hold is printed.
"""

import argparse
import functools
import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import ensure_database  # noqa: E402
from bench.matching_bench import raw_select, timed  # noqa: E402
from bench.national import load_populations, national_instance  # noqa: E402
from tests.processes import BIN, RedisServer, _Child, production_env, wait_for  # noqa: E402

TARGET_WALL_SECONDS = 120
TARGET_PEAK_MB = 2048
COPY_CHUNK = 200_000
NEEDS_PER_ASSOCIATION = 20
OFFERS_PER_COMPANY = 200
OFFERS_PER_VOLUNTEER = 2


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--needs", type=int, default=100_000)
    parser.add_argument("--offers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/probono_national_bench"
    )
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument(
        "--groups", type=int, help="MATCHING_FULL_PASS_GROUPS for the workers (default: setting)"
    )
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds to wait for the pass before stopping"
    )
    parser.add_argument(
        "--keep-data",
        action="store_true",
        help="do not fill again: delete the matcher's proposals and runs, and run a new pass",
    )
    parser.add_argument(
        "--work-mem",
        help="PostgreSQL work_mem for this database's sessions, e.g. 256MB (default: the "
        "server's, as in production)",
    )
    parser.add_argument("--logs", default=None, help="folder for the workers' logs")
    parser.add_argument(
        "--no-stages",
        action="store_true",
        help="skip timing one group's stages in a separate process before the pass",
    )
    parser.add_argument("--child", choices=["stages"], help=argparse.SUPPRESS)
    return parser.parse_args()


def setup_django(database_url, broker_url):
    """This process: dev settings (no SECRET_KEY needed), quiet, sending to the bench's broker."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["CELERY_BROKER_URL"] = broker_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings.dev")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


# Filling PostgreSQL with COPY


def copy_rows(cursor, table, columns, rows):
    """COPY rows (tuples) into table by chunks; None is NULL, booleans are t/f.
    Returns (rows, seconds)."""
    started = time.perf_counter()
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    buffer, count = io.StringIO(), 0
    for row in rows:
        buffer.write(",".join(_csv_field(value) for value in row))
        buffer.write("\n")
        count += 1
        if count % COPY_CHUNK == 0:
            _flush(cursor, sql, buffer)
            buffer = io.StringIO()
    _flush(cursor, sql, buffer)
    return count, time.perf_counter() - started


# Characters that make a CSV field need quotes (a backslash, so that "\\N" stays text).
NEEDS_QUOTES = re.compile(r'[,"\n\\]')


def _csv_field(value):
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    text = value if type(value) is str else str(value)
    if NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def _flush(cursor, sql, buffer):
    buffer.seek(0)
    cursor.copy_expert(sql, buffer)


TRUNCATE = (
    "TRUNCATE matching_proposal, matching_matchingrun, matching_offerarea, matching_offerskill, "
    "matching_offer, matching_need_secondary_skills, matching_need, accounts_membership, "
    "accounts_organisation, accounts_user RESTART IDENTITY CASCADE"
)


def migrated_skills():
    """Migrate the database; the skill ids of the catalogue the migrations seed, in order."""
    from django.core.management import call_command

    from matching.models import Skill

    call_command("migrate", verbosity=0)
    return list(Skill.objects.order_by("pk").values_list("pk", flat=True))


def fill(instance, skills):
    """Organisations per département, volunteers, needs, offers, their skills and areas, and
    earlier rejections, by COPY; {table: rows}. Skill i of the instance is skills[i - 1]."""
    from django.db import connection, transaction
    from django.utils import timezone

    from matching.engine.synthetic import BASE_DAY

    # Written once as text: a million str(datetime) calls cost seconds.
    now = timezone.now().isoformat()
    # Periods move with today, so that needs and offers stay current whenever it runs.
    shift = timezone.localdate() - BASE_DAY - timedelta(days=60)
    counts = {}
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(TRUNCATE)
        counts["TRUNCATE"] = (0, time.perf_counter() - started)
        # The rows are consistent by construction: skip the foreign-key triggers, which Django
        # defers to the commit, where they would check a few million rows one by one.
        cursor.execute("SET LOCAL session_replication_role = replica")
        associations, companies = _organisations(instance)
        counts["accounts_organisation"] = copy_rows(
            cursor,
            "accounts_organisation",
            ("id", "kind", "name", "siren", "siret", "rna", "departement", "postcode",
             "commune", "description", "website", "status", "created_at"),
            _organisation_rows(associations, companies, now),
        )  # fmt: skip
        n_volunteers = max(1, len(instance.offers) // OFFERS_PER_VOLUNTEER)
        counts["accounts_user"] = copy_rows(
            cursor,
            "accounts_user",
            ("id", "password", "is_superuser", "first_name", "last_name", "is_staff",
             "is_active", "date_joined", "email", "phone"),
            ((i, "!", False, "B", str(i), False, True, now, f"v{i}@bench.example.org", "")
             for i in range(1, n_volunteers + 1)),
        )  # fmt: skip
        counts["matching_need"] = copy_rows(
            cursor,
            "matching_need",
            ("id", "title", "description", "departement", "remote_ok", "format",
             "estimated_hours", "wished_start", "wished_end", "status", "published_at",
             "created_at", "updated_at", "organisation_id", "main_skill_id"),
            _need_rows(instance.needs, associations, skills, shift, now),
        )  # fmt: skip
        counts["matching_offer"] = copy_rows(
            cursor,
            "matching_offer",
            ("id", "title", "description", "engagement", "remote_ok", "hours_per_month",
             "available_from", "available_until", "is_active", "created_at", "updated_at",
             "organisation_id", "volunteer_id"),
            _offer_rows(instance.offers, companies, n_volunteers, shift, now),
        )  # fmt: skip
        counts["matching_offerskill"] = copy_rows(
            cursor,
            "matching_offerskill",
            ("offer_id", "skill_id", "level"),
            (
                (o.id, skills[s - 1], level)
                for o in instance.offers
                for s, level in o.skills.items()
            ),
        )
        counts["matching_offerarea"] = copy_rows(
            cursor,
            "matching_offerarea",
            ("offer_id", "departement"),
            ((o.id, code) for o in instance.offers for code in sorted(o.departements)),
        )
        # Pairs CRESS staff rejected earlier: never proposed again (no run: kept by --keep-data).
        counts["matching_proposal"] = copy_rows(
            cursor,
            "matching_proposal",
            ("need_id", "offer_id", "status", "source", "score", "parts", "details", "created_at"),
            ((n, o, "rejected", "matcher", 0, "{}", "{}", now) for n, o in instance.forbidden),
        )
        for table in ("accounts_organisation", "accounts_user", "matching_need", "matching_offer"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM {table}))"
            )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts["ANALYZE"] = (0, time.perf_counter() - started)
    return counts


def _organisations(instance):
    """{département: [organisation ids]}: associations by needs, companies by offers there."""
    needs, offers = defaultdict(int), defaultdict(int)
    for need in instance.needs:
        needs[need.departement] += 1
    for offer in instance.offers:
        offers[_employer_departement(offer)] += 1
    next_id = iter(range(1, 10**9))
    associations = {
        code: [next(next_id) for _ in range(max(1, count // NEEDS_PER_ASSOCIATION))]
        for code, count in sorted(needs.items())
    }
    companies = {
        code: [next(next_id) for _ in range(max(1, count // OFFERS_PER_COMPANY))]
        for code, count in sorted(offers.items())
    }
    return associations, companies


def _employer_departement(offer):
    # The engine's offer does not say which of its départements is home; any fixed one will do.
    return min(offer.departements)


def _organisation_rows(associations, companies, now):
    places = _first_commune_per_departement()
    for kind, by_code in (("association", associations), ("company", companies)):
        for code, ids in by_code.items():
            postcode, commune = places[code]
            for pk in ids:
                yield (pk, kind, f"{kind} {code} {pk}", "", "", "", code, postcode, commune,
                       "", "", "verified", now)  # fmt: skip


def _first_commune_per_departement():
    """{département: (postcode, commune's INSEE code)}, a real one from communes.csv."""
    places = {}
    with (ROOT / "accounts/data/communes.csv").open(encoding="utf-8") as source:
        next(source)
        for line in source:
            postcode, insee, _, code = line.rstrip("\n").split(";")
            places.setdefault(code, (postcode, insee))
    return places


def _need_rows(needs, associations, skills, shift, now):
    # Memoised: the rows share a few hundred distinct days.
    published = functools.cache(
        lambda days: (datetime.fromisoformat(now) - timedelta(days)).isoformat()
    )
    day = functools.cache(lambda start: (start + shift).isoformat())
    for n in needs:
        organisations = associations[n.departement]
        end = n.end or n.start + timedelta(days=180)
        yield (n.id, f"Besoin {n.id}", "Synthétique.", n.departement, n.remote_ok, "mission", 10,
               day(n.start), day(end), "published", published(n.waiting_days), now, now,
               organisations[n.id % len(organisations)], skills[n.skill_id - 1])  # fmt: skip


def _offer_rows(offers, companies, n_volunteers, shift, now):
    per_slot = 8  # MATCHING_HOURS_PER_SLOT's default: hours per month that carry one proposal
    day = functools.cache(lambda start: (start + shift).isoformat())
    for o in offers:
        employers = companies[_employer_departement(o)]
        yield (o.id, f"Offre {o.id}", "", "mecenat", o.remote_ok, per_slot * o.remaining_slots,
               day(o.start), day(o.end) if o.end else None, True, now, now,
               employers[o.id % len(employers)], 1 + o.id % n_volunteers)  # fmt: skip


def reset_matcher_output():
    """Back to the state right after the fill: the matcher's proposals and runs deleted."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM matching_proposal WHERE run_id IS NOT NULL")
        cursor.execute("DELETE FROM matching_matchingrun")
        cursor.execute("VACUUM ANALYZE matching_proposal")
        cursor.execute("VACUUM ANALYZE matching_matchingrun")


def set_work_mem(value):
    """work_mem of every later session on this database (the workers'); None resets it.

    The server's default (4 MB) is what production gets unless tuned: past it, PostgreSQL
    cannot hash an `id IN (subquery)` it must OR with another condition, and scans the
    subquery's rows once per offer instead.
    """
    from django.db import connection

    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        if value:
            cursor.execute(f'ALTER DATABASE "{name}" SET work_mem = %s', [value])
        else:
            cursor.execute(f'ALTER DATABASE "{name}" RESET work_mem')
        cursor.execute("SELECT current_setting('work_mem')")
    return value or "server default"


def data_counts():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM matching_need), (SELECT count(*) FROM matching_offer)"
        )
        return cursor.fetchone()


# The pass, run by Celery workers


class SoloWorker(_Child):
    """`celery -A probono worker --pool=solo --concurrency=1`: tasks run in this very process,
    so its VmHWM is the tasks' peak memory."""

    def __init__(self, env, log_path, name):
        super().__init__(
            [str(BIN / "celery"), "-A", "probono", "worker", "--pool=solo", "--concurrency=1",
             "--loglevel=INFO", "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
             "--without-heartbeat"],
            env, log_path,
        )  # fmt: skip
        assert wait_for(lambda: "ready." in self.output(), timeout=120), self.output()

    def memory_mb(self, field="VmHWM"):
        """A /proc/<pid>/status memory figure in MB; None once the process is gone."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        match = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
        return int(match.group(1)) / 1024 if match else None

    def task_seconds(self):
        """(task name, seconds) of each task this worker finished, from its log."""
        return [
            (name, float(seconds))
            for name, seconds in re.findall(
                r"Task (\S+)\[[^\]]+\] succeeded in ([\d.]+)s", self.output()
            )
        ]


def worker_env(broker_url, groups):
    extra = {"LOG_LEVEL": "INFO"}
    if groups:
        extra["MATCHING_FULL_PASS_GROUPS"] = str(groups)
    return production_env(broker_url, **extra)


def run_pass(args, broker, log_dir, workers):
    """Start the workers (appended to `workers` as they start, so the caller can stop them
    whatever happens), send the full pass, wait for it; (seconds or None, idle MB, sent at)."""
    from django.utils import timezone

    from matching.tasks import full_pass

    env = worker_env(broker.url, args.groups)
    for i in range(args.workers):
        workers.append(SoloWorker(env, log_dir / f"worker{i}.log", f"national{i}"))
    idle = [worker.memory_mb() for worker in workers]
    sent_at = timezone.now()
    full_pass.delay()  # as Celery beat sends it: trigger "schedule"
    finished = watch(sent_at, args.timeout)
    # The pass's own end time, not the polling's: both clocks are this machine's.
    wall = (the_pass(sent_at).finished_at - sent_at).total_seconds() if finished else None
    return wall, idle, sent_at


def the_pass(sent_at):
    from matching.models import MatchingRun

    return MatchingRun.objects.filter(parent=None, started_at__gte=sent_at).first()


# A failed group with no group at work for this long: the pass is stuck, stop waiting.
STUCK_AFTER_SECONDS = 15
# The full_pass task itself takes a second or two; without a run record by then, it failed.
NO_PASS_AFTER_SECONDS = 60


def watch(sent_at, timeout):
    """Wait for the pass to close, printing each group as it ends; False on timeout, or when
    a group failed and nothing has been at work since (the pass will not close by itself)."""
    started = time.monotonic()
    reported, idle_since = set(), None
    while time.monotonic() < started + timeout:
        parent = the_pass(sent_at)
        if parent is None and time.monotonic() > started + NO_PASS_AFTER_SECONDS:
            print(f"   no full pass recorded {NO_PASS_AFTER_SECONDS} s after sending it")
            return False
        if parent is not None:
            if parent.status != parent.Status.RUNNING:
                return True
            groups = list(parent.groups.all())
            for group in groups:
                if group.finished_at and group.pk not in reported:
                    reported.add(group.pk)
                    print(f"   … group {group.pk} (phase {group.phase}) {group.status} at "
                          f"{(group.finished_at - sent_at).total_seconds():.1f} s")  # fmt: skip
            at_work = any(g.claimed_at and not g.finished_at for g in groups)
            failed = any(g.status == g.Status.FAILED for g in groups)
            idle_since = None if at_work or not failed else idle_since or time.monotonic()
            if idle_since and time.monotonic() - idle_since > STUCK_AFTER_SECONDS:
                print("   a group failed and no group is at work: the pass is stuck")
                return False
        time.sleep(0.5)
    return False


# Where a group's time goes: one phase-1 group in a fresh process, rolled back


STAGE_FUNCTIONS = ("load_needs", "load_offers", "existing_pairs", "departement_counts")


def stages_in_child(args):
    """Run child_stages in a fresh process (its peak memory is its own); its figures."""
    command = [sys.executable, __file__, "--child", "stages", "--database-url", args.database_url]
    if args.groups:
        command += ["--groups", str(args.groups)]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=args.timeout, check=False
    )
    if result.returncode:
        return {"error": result.stderr.strip().splitlines()[-1:]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def child_stages(args):
    """The first phase-1 group of a full pass, run here by matcher.run_group itself, with the
    matcher's stages (and the parts of its load) timed; everything it wrote is rolled back."""
    if args.groups:
        os.environ["MATCHING_FULL_PASS_GROUPS"] = str(args.groups)
    os.environ["DEBUG"] = "false"  # no query log in memory: the peak is the matcher's
    os.environ.setdefault("SECRET_KEY", "national-bench-only")  # required once DEBUG is off
    setup_django(args.database_url, "")
    from django.db import transaction

    from matching import matcher
    from matching.models import MatchingRun

    parts = defaultdict(float)
    _time_calls(matcher, STAGE_FUNCTIONS, parts)
    stages = {}
    run_matcher = matcher.run_matcher

    def keeping_stages(*call_args, **kwargs):
        outcome = run_matcher(*call_args, **kwargs)
        stages.update(outcome.stages)
        return outcome

    matcher.run_matcher = keeping_stages
    with transaction.atomic():
        parent, children = matcher.start_full_pass(MatchingRun.Trigger.MANUAL)
        total, _ = timed(matcher.run_group, children[0].pk)
        group = MatchingRun.objects.get(pk=children[0].pk)
        transaction.set_rollback(True)
    print(json.dumps({
        "stages": stages, "load_parts": parts, "total": total, "groups": len(children),
        "departements": len(group.departements), "needs": group.needs_considered,
        "offers": group.offers_considered, "candidates": group.candidates,
        "proposals": group.proposals_created, "exact": group.exact, "rounds": group.rounds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))  # fmt: skip


def _time_calls(module, names, spent):
    """Replace module.name by a twin adding its seconds to spent[name]."""
    for name in names:
        function = getattr(module, name)

        def twin(*call_args, _function=function, _name=name, **kwargs):
            seconds, result = timed(_function, *call_args, **kwargs)
            spent[_name] += seconds
            return result

        setattr(module, name, twin)


def print_stages(figures):
    print("\n4. Where a group's time goes: the first phase-1 group, alone, in a fresh process")
    if "error" in figures:
        print(f"   failed: {figures['error']}")
        return
    total = figures["total"]
    print(
        f"   group 1 of {figures['groups']}: {figures['departements']} départements, "
        f"{figures['needs']} needs, {figures['offers']} offers, {figures['candidates']} "
        f"candidate pairs, {figures['proposals']} proposals, exact {figures['exact']}, "
        f"{figures['rounds']} rounds; peak {figures['peak_mb']:.0f} MB"
    )
    for name, seconds in figures["stages"].items():
        print(f"   {name:<22} {seconds:8.2f} s   {seconds / total:6.1%}")
        if name == "load":
            for part, part_seconds in figures["load_parts"].items():
                print(f"     {part:<20} {part_seconds:8.2f} s")
    print(f"   {'run_group in all':<22} {total:8.2f} s   (everything written is rolled back)")


# Printing


def seconds(later, earlier):
    return f"{(later - earlier).total_seconds():7.1f}" if later and earlier else "      –"


def print_groups(parent):
    from django.conf import settings

    # --pool=solo does not enforce time limits; production's prefork workers do.
    soft_limit = settings.CELERY_TASK_SOFT_TIME_LIMIT
    print(
        f"\n   {'phase':>5} {'départements':<24} {'claimed':>7} {'done':>7} {'run s':>7} "
        f"{'needs':>7} {'offers':>8} {'candidates':>11} {'proposals':>9} {'exact':>5} "
        f"{'rounds':>6}  status"
    )
    groups = parent.groups.order_by("phase", "pk")
    for g in groups:
        codes = ",".join(g.departements)
        codes = codes if len(codes) <= 24 else f"{codes[:17]}… ({len(g.departements)})"
        print(
            f"   {g.phase:>5} {codes:<24} {seconds(g.claimed_at, parent.started_at)} "
            f"{seconds(g.finished_at, parent.started_at)} {seconds(g.finished_at, g.claimed_at)} "
            f"{g.needs_considered:>7} {g.offers_considered:>8} {g.candidates:>11} "
            f"{g.proposals_created:>9} {'yes' if g.exact else 'NO':>5} {g.rounds:>6}  "
            f"{g.status}{(': ' + g.errors.splitlines()[0][:80]) if g.errors else ''}"
            f"{over_limit(g, soft_limit)}"
        )
    print("   (claimed, done: seconds after the pass started; run s: done − claimed)")


def over_limit(group, soft_limit):
    ran = group.claimed_at and group.finished_at and group.finished_at - group.claimed_at
    if ran and ran.total_seconds() > soft_limit:
        return f"  OVER the {soft_limit} s soft time limit (prefork would stop it)"
    return ""


def print_workers(workers, idle):
    print("\n   Workers (--pool=solo: each task runs in the worker process)")
    for i, (worker, idle_mb) in enumerate(zip(workers, idle, strict=True)):
        peak = worker.memory_mb()
        tasks = worker.task_seconds()
        groups = [s for name, s in tasks if name == "matching.full_pass_group"]
        alive = worker.process.poll() is None
        peak_text = f"{peak:7.0f} MB" if peak else "   gone   "
        ratio = f"×{peak / idle_mb:5.1f} idle ({idle_mb:.0f} MB)" if peak and idle_mb else ""
        print(
            f"   worker {i}: peak {peak_text} {ratio}  (target ≤ {TARGET_PEAK_MB} MB)"
            f"{'' if alive else '  DIED'};  groups run: {len(groups)}, "
            f"{sum(groups):.1f} s busy ({', '.join(f'{s:.1f}' for s in groups)})"
        )


def print_matcher_log(workers):
    """The matcher's own log lines (warnings, failures, stage timings if it logs them)."""
    lines = [
        line
        for worker in workers
        for line in worker.output().splitlines()
        if "matching.matcher" in line or "matcher run" in line or "Traceback" in line
    ]
    if lines:
        print("\n   Matcher log lines")
        for line in lines[:40]:
            print(f"   {line[:200]}")


def main():
    args = parse_args()
    if args.child == "stages":
        return child_stages(args)
    broker = RedisServer()
    ensure_database(args.database_url)
    setup_django(args.database_url, broker.url)
    print(
        f"Probono national benchmark — {args.needs} needs × {args.offers} offers over the "
        f"101 départements, seed {args.seed}, {args.workers} solo workers, groups "
        f"{args.groups or 'default (MATCHING_FULL_PASS_GROUPS)'}, PostgreSQL work_mem "
        f"{set_work_mem(args.work_mem)}"
    )
    # Always: the matcher under test may have brought a migration since the data was filled.
    skills = migrated_skills()
    if args.keep_data:
        reset_matcher_output()
        needs, offers = data_counts()
        print(f"kept the data ({needs} needs, {offers} offers); matcher output deleted")
    else:
        make_time, instance = timed(
            national_instance, args.needs, args.offers, args.seed, load_populations(), len(skills)
        )
        print(f"generated the rows in {make_time:.1f} s ({len(skills)} skills)")
        fill_time, counts = timed(fill, instance, skills)
        del instance
        print(f"filled PostgreSQL by COPY in {fill_time:.1f} s (rows, seconds):")
        for table, (count, spent) in counts.items():
            print(f"   {table:<24} {count:>9} {spent:6.1f} s")
    floor = raw_select()
    stages = None if args.no_stages else stages_in_child(args)
    log_dir = Path(args.logs or tempfile.mkdtemp(prefix="national_bench_"))
    log_dir.mkdir(parents=True, exist_ok=True)
    broker.start()
    workers = []
    try:
        wall, idle, sent_at = run_pass(args, broker, log_dir, workers)
        report(wall, floor, workers, idle, sent_at, args)
        if stages:
            print_stages(stages)
    finally:
        for worker in workers:
            worker.stop()
        broker.stop()
    print(f"\n   worker logs: {log_dir}")


def report(wall, floor, workers, idle, sent_at, args):
    parent = the_pass(sent_at)
    print("\n1. The whole full pass (task sent → pass closed)")
    print(f"   raw SELECT of the input rows {floor:8.2f} s   (baseline)")
    if wall is None:
        print(f"   NOT FINISHED (timeout {args.timeout:.0f} s, or stuck): workers stopped")
    else:
        print(
            f"   whole pass                   {wall:8.2f} s   ×{wall / floor:.1f}   "
            f"(target ≤ {TARGET_WALL_SECONDS} s)"
        )
    if parent is None:
        print("   no run record: the full_pass task never ran")
    else:
        print(
            f"   {parent.status}, {parent.groups_done}/{parent.groups_total} groups done; "
            f"{parent.needs_considered} needs lacking proposals, {parent.offers_considered} "
            f"offers, {parent.candidates} candidate pairs, {parent.proposals_created} proposals, "
            f"exact {parent.exact}, most rounds {parent.rounds}"
        )
        print("\n2. Each group (its run record)")
        print_groups(parent)
    print("\n3. Peak memory per worker process (VmHWM)")
    print_workers(workers, idle)
    print_matcher_log(workers)


if __name__ == "__main__":
    main()
