"""The demo's past year: `history.json` (drawn once by `build_history.py`), which the
`seed_demo_history` command loads on top of the seeded demo."""

import json
from datetime import time, timedelta
from functools import cache
from pathlib import Path

HISTORY = Path(__file__).resolve().parent / "history.json"
# Volunteers log their hours in the evening of the day they gave them; the structure confirms
# (or disputes) them two days later. The file's dates rely on it: keep both files in step.
HOURS_LOGGED_AT = time(19, 0)
HOURS_DECIDED_AFTER = timedelta(days=2)


@cache
def history():
    """The history file, read once."""
    return json.loads(HISTORY.read_text(encoding="utf-8"))


def history_needs():
    """The needs of the history in the database, found as the seed finds them: by their
    structure's RNA or SIREN and their title."""
    from accounts.models import Organisation
    from matching.models import Need

    keys = {(*need["structure"], need["title"]) for need in history()["needs"]}
    rows = Need.objects.filter(title__in={title for *_, title in keys}).values_list(
        "pk", "organisation__kind", "organisation__rna", "organisation__siren", "title"
    )
    ids = []
    for pk, kind, rna, siren, title in rows:
        key = ("rna", rna) if kind == Organisation.Kind.ASSOCIATION else ("siren", siren)
        if (*key, title) in keys:
            ids.append(pk)
    return Need.objects.filter(pk__in=ids)


def history_offers():
    """The past offers of the history in the database, found as the seed finds them: by their
    volunteer's e-mail and their title."""
    from matching.models import Offer

    keys = {(offer["volunteer"], offer["title"]) for offer in history()["offers"]}
    rows = Offer.objects.filter(title__in={title for _, title in keys}).values_list(
        "pk", "volunteer__email", "title"
    )
    return Offer.objects.filter(pk__in=[pk for pk, *key in rows if tuple(key) in keys])
