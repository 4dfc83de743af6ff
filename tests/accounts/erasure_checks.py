"""What the erasure tests look at: every text stored anywhere, and the observatory's figures."""

import dataclasses
import datetime

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from observatory import figures
from observatory.scope import Selection

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def every_text():
    """Every text and JSON column of every table (Django's, third parties' and ours, the
    many-to-many tables included), as one string per row and column."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        columns = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not columns:
            continue
        for row in model._default_manager.values_list(*columns):
            found.extend(f"{model._meta.label}: {value}" for value in row if value)
    return found


def left_anywhere(strings):
    """The rows where any of these strings is still found (case ignored)."""
    wanted = [s.lower() for s in strings if s]
    return [text for text in every_text() if any(s in text.lower() for s in wanted)]


def every_row():
    """A snapshot of every row of every table, to prove a second erasure changes nothing."""
    return {
        model._meta.label: sorted(
            map(repr, model._default_manager.values_list(*[
                f.attname for f in model._meta.concrete_fields
            ]))
        )
        for model in apps.get_models(include_auto_created=True)
    }  # fmt: skip


def dashboard_figures():
    """The dashboard's figures (observatory.figures.figures_for, what the page calls) over
    the whole region and all time, and per département."""
    start = datetime.date(2000, 1, 1)
    end = timezone.localdate() + datetime.timedelta(days=3 * 365)
    region = tuple(settings.OBSERVATORY_REGION)
    selections = [Selection(start, end, region)] + [
        Selection(start, end, (code,)) for code in region
    ]
    return [dataclasses.asdict(figures.figures_for(selection)) for selection in selections]


# Today's supply, not history: an erased person's offers are paused, so they no longer count.
SUPPLY = ("active_offers", "active_volunteers")


def history(figures_list):
    return [{k: v for k, v in f.items() if k not in SUPPLY} for f in figures_list]
