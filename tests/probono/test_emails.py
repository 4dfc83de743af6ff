"""E-mails: the subject and text part carry what people typed, the HTML part escapes it."""

import datetime
import html

import pytest
from django.core import mail

from matching import services
from tests.factories import NeedFactory

pytestmark = pytest.mark.django_db

TITLE = """L'atelier <vélo> & « café "solidaire" »"""


@pytest.fixture
def reminder(association_member):
    """The expiry reminder of a need whose title holds every character HTML escapes."""
    organisation = association_member.memberships.get().organisation
    today = datetime.date.today()
    NeedFactory(
        organisation=organisation,
        title=TITLE,
        wished_start=today - datetime.timedelta(days=30),
        wished_end=today + datetime.timedelta(days=5),
    )
    assert services.send_expiry_reminders(today) == 1
    return mail.outbox[0]


def test_the_subject_is_not_html_escaped(reminder):
    assert reminder.subject == f"Probono : votre besoin « {TITLE} » arrive à échéance"


def test_the_text_part_is_not_html_escaped(reminder):
    assert f"« {TITLE} »" in reminder.body
    assert "&#x27;" not in reminder.body
    assert "&amp;" not in reminder.body


def test_the_html_part_stays_escaped(reminder):
    [(body, mimetype)] = reminder.alternatives
    assert mimetype == "text/html"
    assert html.escape(TITLE) in body
    assert "<vélo>" not in body


def test_no_reminder_of_the_demo_escapes_a_title(demo_after_first_pass):
    """The demo's own needs, a third of whose titles hold an apostrophe, each reminded once."""
    from matching.models import Need

    today = datetime.date.today()
    due = Need.objects.published().filter(title__contains="'")
    due.update(wished_start=today, wished_end=today + datetime.timedelta(days=3))
    titles = set(due.values_list("title", flat=True))
    assert len(titles) > 20
    services.send_expiry_reminders(today)
    sent = {message.subject: message.body for message in mail.outbox}
    assert all(f"« {title} »" in " ".join(sent) for title in titles)
    assert not any("&#x27;" in subject + body for subject, body in sent.items())
