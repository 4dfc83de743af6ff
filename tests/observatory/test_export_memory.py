"""An export of 100,000 rows streams in bounded memory: no list of rows is ever built.

Python's allocations are traced while the file is downloaded, once with 10,000 needs and once
with 100,000. Streaming keeps about one chunk of rows alive at a time, so both peaks are close;
a view that gathered its rows first would peak ten times higher on the second run, and far
above the size of the file itself.
"""

import tracemalloc
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from matching.models import Need, Skill
from tests.factories import OrganisationFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="about a minute on SQLite, whose date filters call Python for each of the "
        "100,000 rows under tracemalloc; CI runs it on PostgreSQL (DATABASE_URL)",
    ),
]

PERIOD = {"start": "2026-01-01", "end": "2026-03-31"}


def add_needs(organisation, count):
    """`count` needs published in the period, in one bulk insert."""
    skill = Skill.objects.get(code="fonds-europeens")
    published = datetime(2026, 2, 1, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
    Need.objects.bulk_create(
        Need(
            organisation=organisation, title=f"Besoin n° {n} : accompagnement au FSE+",
            description="", main_skill=skill, departement="02", estimated_hours=10,
            wished_start=date(2026, 2, 1), wished_end=date(2026, 6, 30),
            status=Need.Status.PUBLISHED, published_at=published,
        )
        for n in range(count)
    )  # fmt: skip


def copy_needs(times):
    """Every need copied `times` over, each copy one INSERT … SELECT: a tenth of the time
    of building 90,000 more with bulk_create."""
    table = connection.ops.quote_name(Need._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(field.column)
        for field in Need._meta.concrete_fields
        if not field.primary_key
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {table}")
        last = cursor.fetchone()[0]
        for _ in range(times):
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table} WHERE id <= %s",
                [last],
            )


def traced_download(client):
    """(peak bytes allocated while the needs' file is built and read, file size, rows)."""
    tracemalloc.start()
    try:
        response = client.get(reverse("export_needs"), PERIOD)
        size = lines = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\r\n")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, size, lines - 1


def test_a_100000_row_export_streams_in_bounded_memory(client, cress_staff):
    client.force_login(cress_staff)
    aisne = OrganisationFactory(name="Les Jardins de Laon", departement="02", postcode="02000")
    add_needs(aisne, 10_000)
    traced_download(client)  # first use: translations, URL resolver, caches
    peak_10k, _, rows = traced_download(client)
    assert rows == 10_000

    copy_needs(9)
    peak_100k, size_100k, rows = traced_download(client)
    assert rows == 100_000

    # Kept in memory, the file would take its size in bytes and its rows more than that (each
    # cell a Python object); streaming stays well under half of it, and where 10,000 rows left
    # it (about 3 MB each time: one chunk of rows read from the database).
    assert peak_100k < size_100k / 2, (peak_100k, size_100k)
    assert peak_100k < 1.5 * peak_10k, (peak_100k, peak_10k)
