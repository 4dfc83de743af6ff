"""The main flows, played through the pages by the people concerned, for the tests that watch
what leaves the request: task arguments (ids only) and log records (no personal data).

Sign-up belongs to tests/accounts; here: log-ins (one wrong password first), a need published,
the matcher's proposal approved, the three sides' answers, a message, hours logged and
confirmed, notifications e-mailed at once and in the daily digest, an account deleted, and
the retention job warning one account and anonymising another.
"""

from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tasks import apply_retention
from matching.models import Need, Proposal
from missions.models import HoursEntry, Party
from notifications.models import Preference
from notifications.tasks import send_daily_digests, send_missed_emails
from tests.factories import UserFactory
from tests.missions.parties import build_world

PASSWORD = "motdepasse-solide-2026"  # tests.factories.UserFactory's
# Names nobody else has, so a leak cannot hide behind a coincidence.
NAMES = {
    "member": ("Aurélienne", "Vandenbusschère", "03 23 45 67 01"),
    "volunteer": ("Bathilde", "Quennehen-Lurçat", "06 11 22 33 44"),
    "staff": ("Cyprienne", "Dewavrinière", "03 20 00 00 07"),
    "referent": ("Donatienne", "Hochedé-Varlet", "03 20 99 88 77"),
    "other_volunteer": ("Eustachie", "Malbranque-Pottier", "06 98 76 54 32"),
}


def people_strings(people):
    """Every e-mail address, name and phone of the people the flows involve."""
    strings = set()
    for person in people:
        strings.update({person.email, person.first_name, person.last_name, person.phone})
    return {s for s in strings if s}


def play(run_on_commit):
    """Play the flows; `run_on_commit()` is a context manager that runs the transaction's
    on-commit callbacks (the tasks) at its end. Returns the people involved."""
    world = build_world()
    people = world["people"]
    for role, (first, last, phone) in NAMES.items():
        person = people[role]
        person.first_name, person.last_name, person.phone = first, last, phone
        person.save()
    clients = {}

    def client_of(role):
        if role not in clients:
            client = Client()
            wrong = client.post(
                reverse("login"), {"username": people[role].email, "password": "faux"}
            )
            assert wrong.status_code == 200
            logged_in = client.post(
                reverse("login"), {"username": people[role].email, "password": PASSWORD}
            )
            assert logged_in.status_code == 302, role
            clients[role] = client
        return clients[role]

    def post(role, name, args, data=None):
        with run_on_commit():
            response = client_of(role).post(reverse(name, args=args), data or {})
        assert response.status_code in (200, 302), (name, response.status_code)
        return response

    Preference.objects.create(user=people["referent"], email_mode=Preference.EmailMode.DAILY)
    need = world["need"]
    Need.objects.filter(pk=need.pk).update(status=Need.Status.DRAFT, published_at=None)
    post("member", "need_publish", [need.pk])
    proposal = Proposal.objects.get(need=need, offer=world["offer"])
    post("staff", "review_approve", [proposal.pk], {"no_commercial_link": "on"})
    for role, party in (("volunteer", Party.VOLUNTEER), ("referent", Party.EMPLOYER)):
        post(role, "proposal_answer", [proposal.pk], {
            "party": party, f"{party}-decision": "accepted",
            f"{party}-comment": f"Réponse de {NAMES[role][0]} {NAMES[role][1]}",
        })  # fmt: skip
    post("member", "proposal_answer", [proposal.pk], {
        "party": Party.ASSOCIATION, f"{Party.ASSOCIATION}-decision": "accepted",
    })  # fmt: skip
    mission = proposal.mission
    post("volunteer", "mission_message", [mission.pk], {
        "text": f"Bonjour, ici {NAMES['volunteer'][0]}, joignable au {NAMES['volunteer'][2]}",
    })  # fmt: skip
    post("volunteer", "mission_log_hours", [mission.pk], {
        "day": timezone.localdate().isoformat(), "hours": 2, "minutes": 0,
        "description": f"Atelier avec {NAMES['member'][0]} {NAMES['member'][1]}",
    })  # fmt: skip
    entry = HoursEntry.objects.get(mission=mission)
    post("member", "hours_decide", [mission.pk, entry.pk], {"decision": "confirm"})
    with run_on_commit():
        send_daily_digests.delay()
        send_missed_emails.delay()

    post("other_volunteer", "account_delete", [], {"password": PASSWORD})

    long_ago = timezone.now() - timedelta(days=settings.ACCOUNT_RETENTION_INACTIVE_DAYS + 1)
    dormant = UserFactory(first_name="Firmine", last_name="Ghesquièrement", last_login=long_ago)
    warned = UserFactory(
        first_name="Gaspardine", last_name="Wattebledière",
        last_login=long_ago - timedelta(days=settings.ACCOUNT_RETENTION_WARNING_DAYS),
        retention_warned_at=long_ago,
    )  # fmt: skip
    with run_on_commit():
        apply_retention.delay()
    dormant.refresh_from_db()
    warned.refresh_from_db()
    assert dormant.retention_warned_at is not None and warned.anonymised_at is not None
    return [*(people[role] for role in NAMES), dormant]


def dormant_strings():
    return {"Firmine", "Ghesquièrement", "Gaspardine", "Wattebledière"}
