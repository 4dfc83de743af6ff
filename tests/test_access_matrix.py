"""Every page × every kind of person: the whole access table in one place.

Personas: the owner (a member of the association that owns the need, or the volunteer who owns
the offer), a member of another organisation, a volunteer, CRESS staff, and anonymous people.
"""

import pytest
from django.urls import reverse

from accounts.models import Membership, Organisation
from matching.models import Proposal
from tests.factories import MembershipFactory, NeedFactory, OfferFactory, member_of

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind
LOGIN = "login"  # anonymous people are sent to log in


@pytest.fixture
def world():
    """An association with a draft and a published need, a volunteer with an offer."""
    owner = member_of(Kind.ASSOCIATION, role=Membership.Role.ADMIN, name="Asso", postcode="02000")
    association = owner.memberships.get().organisation
    volunteer = member_of(Kind.COMPANY, name="Entreprise", departement="59", postcode="59000")
    offer = OfferFactory(volunteer=volunteer, organisation=volunteer.memberships.get().organisation)
    published = NeedFactory(organisation=association)
    staff = member_of(Kind.CRESS, name="CRESS", departement="59", postcode="59000")
    asked, mission = _asked_and_mission(association, owner, volunteer, staff)
    return {
        "association": association,
        "draft": NeedFactory(organisation=association, status="draft", published_at=None),
        "published": published,
        "proposal": Proposal.objects.create(
            need=published, offer=offer, score=5, parts={}, details={}
        ),
        "offer": offer,
        "asked": asked,
        "mission": mission,
        "hours": mission.hours.get(),
        "request": MembershipFactory(organisation=association, status="pending"),
        "people": {
            "owner": owner,
            "other": member_of(Kind.ASSOCIATION, name="Autre", departement="80", postcode="80000"),
            "volunteer": volunteer,
            "staff": staff,
            "anonymous": None,
        },
    }


def _asked_and_mission(association, owner, volunteer, staff):
    """A proposal approved and waiting for both sides' answers, and a mission under way with
    hours to confirm, both with a second offer of the volunteer (bénévolat)."""
    from missions import services
    from missions.models import Party

    offer = OfferFactory(volunteer=volunteer, organisation=volunteer.memberships.get().organisation,
                         engagement="benevolat", hours_per_month=40)  # fmt: skip
    asked, started = (
        Proposal.objects.create(need=NeedFactory(organisation=association), offer=offer, score=5)
        for _ in range(2)
    )
    for proposal in (asked, started):
        services.approve(proposal.pk, staff, no_commercial_link=True)
    services.answer(started.pk, volunteer, Party.VOLUNTEER, "accepted")
    mission = services.answer(started.pk, owner, Party.ASSOCIATION, "accepted")
    services.log_hours(mission, volunteer, mission.started_at.date(), 90, "Premier rendez-vous")
    return asked, mission


def url_of(world, name):
    pk = {
        "organisation_detail": world["association"].pk,
        "organisation_edit": world["association"].pk,
        "organisation_needs": world["association"].pk,
        "need_create": world["association"].pk,
        "need_detail:draft": world["draft"].pk,
        "need_detail:published": world["published"].pk,
        "need_edit": world["draft"].pk,
        "offer_detail": world["offer"].pk,
        "offer_edit": world["offer"].pk,
        "review_detail": world["proposal"].pk,
        "proposal_answer": world["asked"].pk,
        "mission_detail": world["mission"].pk,
    }
    if name == "membership_approve":
        return reverse(name, args=[world["association"].pk, world["request"].pk])
    if name == "hours_edit":
        return reverse(name, args=[world["mission"].pk, world["hours"].pk])
    if name in pk:
        return reverse(name.split(":")[0], args=[pk[name]])
    return reverse(name)


# page: owner, other organisation's member, volunteer, CRESS staff, anonymous
# (for offers the "owner" column is the association owner, who must not see the offer: the
# volunteer is the offer's owner)
GET_TABLE = {
    "home": (200, 200, 200, 200, 200),
    "accessibility": (200, 200, 200, 200, 200),
    "profile": (200, 200, 200, 200, LOGIN),
    "organisation_detail": (200, 404, 404, 200, LOGIN),
    "organisation_edit": (200, 404, 404, 403, LOGIN),
    "organisation_needs": (200, 404, 404, 200, LOGIN),
    "need_create": (200, 404, 404, 403, LOGIN),
    "need_detail:draft": (200, 404, 404, 200, LOGIN),
    "need_detail:published": (200, 404, 200, 200, LOGIN),
    "need_edit": (200, 404, 404, 403, LOGIN),
    "need_list": (403, 403, 200, 200, LOGIN),
    "offer_create": (403, 403, 200, 403, LOGIN),
    "offer_detail": (404, 404, 200, 200, LOGIN),
    "offer_edit": (404, 404, 200, 403, LOGIN),
    "my_offers": (200, 200, 200, 200, LOGIN),
    "offer_list": (403, 403, 403, 200, LOGIN),
    "verification_list": (403, 403, 403, 200, LOGIN),
    "matcher_runs": (403, 403, 403, 200, LOGIN),
    "proposal_list": (403, 403, 403, 200, LOGIN),
    "review_queue": (403, 403, 403, 200, LOGIN),
    "review_detail": (403, 403, 403, 200, LOGIN),
    "to_handle_first": (403, 403, 403, 200, LOGIN),
    # Everyone's own inbox (following another person's notification: tests/notifications).
    "notification_inbox": (200, 200, 200, 200, LOGIN),
    "notification_preferences": (200, 200, 200, 200, LOGIN),
    # The two sides of an approved proposal and of a mission; staff read both.
    "proposal_answer": (200, 404, 200, 200, LOGIN),
    "my_missions": (200, 200, 200, 200, LOGIN),
    "mission_detail": (200, 404, 200, 200, LOGIN),
    "hours_edit": (403, 404, 200, 403, LOGIN),  # the volunteer's own entry, until confirmed
    "organisation_create": (200, 200, 200, 200, LOGIN),
    "organisation_join": (200, 200, 200, 200, LOGIN),
}
PERSONAS = ("owner", "other", "volunteer", "staff", "anonymous")


@pytest.mark.parametrize("page", GET_TABLE)
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_each_page(client, world, page, persona):
    assert_answer(client, world, persona, "get", url_of(world, page), GET_TABLE[page])


POST_TABLE = {
    "need_publish": (lambda w: reverse("need_publish", args=[w["draft"].pk]),
                     (302, 404, 404, 403, LOGIN)),
    "need_cancel": (lambda w: reverse("need_cancel", args=[w["published"].pk]),
                    (302, 404, 404, 403, LOGIN)),
    "offer_pause": (lambda w: reverse("offer_pause", args=[w["offer"].pk]),
                    (404, 404, 302, 403, LOGIN)),
    "membership_approve": (lambda w: url_of(w, "membership_approve"),
                           (302, 404, 404, 403, LOGIN)),
    "organisation_verify": (lambda w: reverse("organisation_verify", args=[w["association"].pk]),
                            (403, 403, 403, 302, LOGIN)),
    "matcher_full_pass": (lambda w: reverse("matcher_full_pass"), (403, 403, 403, 302, LOGIN)),
    # The review's steps posted empty: staff get the page back with what is missing.
    "review_approve": (lambda w: reverse("review_approve", args=[w["proposal"].pk]),
                       (403, 403, 403, 200, LOGIN)),
    "review_reject": (lambda w: reverse("review_reject", args=[w["proposal"].pk]),
                      (403, 403, 403, 200, LOGIN)),
    "review_bulk_approve": (lambda w: reverse("review_queue"), (403, 403, 403, 200, LOGIN)),
    "note_on_proposal": (lambda w: reverse("note_on_proposal", args=[w["proposal"].pk]),
                         (403, 403, 403, 200, LOGIN)),
    "note_on_need": (lambda w: reverse("note_on_need", args=[w["published"].pk]),
                     (403, 403, 403, 200, LOGIN)),
    "note_on_organisation": (lambda w: reverse("note_on_organisation", args=[w["association"].pk]),
                             (403, 403, 403, 200, LOGIN)),
    "notification_mark_all_read": (lambda w: reverse("notification_mark_all_read"),
                                   (302, 302, 302, 302, LOGIN)),
    "membership_refuse": (lambda w: reverse("membership_refuse", args=[w["association"].pk,
                                                                      w["request"].pk]),
                          (302, 404, 404, 403, LOGIN)),
    "organisation_suspend": (lambda w: reverse("organisation_suspend",
                                               args=[w["association"].pk]),
                             (403, 403, 403, 302, LOGIN)),
    "offer_resume": (lambda w: reverse("offer_resume", args=[w["offer"].pk]),
                     (404, 404, 302, 403, LOGIN)),
    # Posted empty: a side gets what is missing (400 with the form, or a message and a
    # redirect), anyone else is refused. An answer names its side; "" is nobody's side.
    "proposal_answer": (lambda w: reverse("proposal_answer", args=[w["asked"].pk]),
                        (403, 404, 403, 403, LOGIN)),
    "need_interest": (lambda w: reverse("need_interest", args=[w["published"].pk]),
                      (403, 404, 302, 403, LOGIN)),
    "mission_message": (lambda w: reverse("mission_message", args=[w["mission"].pk]),
                        (400, 404, 400, 400, LOGIN)),
    "mission_log_hours": (lambda w: reverse("mission_log_hours", args=[w["mission"].pk]),
                          (403, 404, 400, 403, LOGIN)),
    "hours_edit": (lambda w: url_of(w, "hours_edit"), (403, 404, 200, 403, LOGIN)),
    "hours_decide": (lambda w: reverse("hours_decide", args=[w["mission"].pk, w["hours"].pk]),
                     (400, 404, 403, 403, LOGIN)),
    "mission_abandon": (lambda w: reverse("mission_abandon", args=[w["mission"].pk]),
                        (400, 404, 400, 400, LOGIN)),
    "mission_feedback": (lambda w: reverse("mission_feedback", args=[w["mission"].pk]),
                         (403, 404, 403, 403, LOGIN)),  # the mission is not over yet
    "mission_complete": (lambda w: reverse("mission_complete", args=[w["mission"].pk]),
                         (302, 404, 302, 403, LOGIN)),
}  # fmt: skip


def _observatory_rows(kind):
    """The observatory's rows, one module per part (tests/observatory/access_*.py)."""
    from tests.observatory import (
        access_exports,
        access_figures,
        access_mecenat,
        access_receipts,
        access_territories,
        access_unmet,
    )

    parts = (access_figures, access_territories, access_unmet, access_exports, access_mecenat,
             access_receipts)  # fmt: skip
    return {name: row for part in parts for name, row in getattr(part, kind).items()}


OBSERVATORY_GET = _observatory_rows("GET_ROWS")
POST_TABLE |= _observatory_rows("POST_ROWS")


@pytest.mark.parametrize("page", OBSERVATORY_GET)
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_each_observatory_page(client, world, page, persona):
    make_url, statuses = OBSERVATORY_GET[page]
    assert_answer(client, world, persona, "get", make_url(world), statuses)


def assert_answer(client, world, persona, method, url, statuses):
    """The persona's request gets its status in the row (or is sent to log in)."""
    expected = statuses[PERSONAS.index(persona)]
    if world["people"][persona]:
        client.force_login(world["people"][persona])
    response = getattr(client, method)(url)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("action", POST_TABLE)
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_act(client, world, action, persona, eager_tasks):
    make_url, statuses = POST_TABLE[action]
    assert_answer(client, world, persona, "post", make_url(world), statuses)


# Pages every visitor may open, checked elsewhere: Django's own authentication views, the
# language switch, the health endpoint, and following one's own notification (it needs a
# notification of that person: tests/notifications/test_inbox.py).
NOT_IN_THE_TABLES = {
    "login", "logout", "signup", "set_language", "health", "notification_follow",
    "password_change", "password_change_done", "password_reset", "password_reset_done",
    "password_reset_confirm", "password_reset_complete",
}  # fmt: skip


def test_every_url_has_a_row():
    """A new page or action is unfinished until its access rule is in one of the tables."""
    from django.urls import get_resolver

    names = {name for name in get_resolver().reverse_dict if isinstance(name, str)}
    rows = {name.split(":")[0] for name in [*GET_TABLE, *POST_TABLE, *OBSERVATORY_GET]}
    rows |= {"review_queue"}  # its POST is the bulk approval: "review_bulk_approve"
    assert names - rows - NOT_IN_THE_TABLES == set()
