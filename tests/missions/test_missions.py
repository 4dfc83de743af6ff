"""The mission page and "my missions": contacts once started, the thread, hours, closing,
feedback; who may do each, and each step allowed and refused."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from matching.models import Need, Proposal
from missions import services
from missions.models import Feedback, HoursEntry, Message, Mission, Party
from tests.factories import NeedFactory
from tests.missions.parties import (
    LOGIN,
    PERSONAS,
    approved,
    as_persona,
    assert_status,
    build_world,
    started_mission,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def mission(world):
    return started_mission(world)


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def today():
    return timezone.localdate()


def log(mission, minutes=90, description="Relecture du dossier"):
    return services.log_hours(mission, mission.volunteer, today(), minutes, description)


def hours_form(day=None, hours="2", minutes="30", description="Atelier budget"):
    return {
        "day": (day or today()).isoformat(),
        "hours": hours,
        "minutes": minutes,
        "description": description,
    }


# Who may do what: every view and action × every persona

MISSION_GET = {
    "staff": 200, "reviewer_in": 200, "reviewer_out": 404, "member": 200, "other_member": 404,
    "volunteer": 200, "other_volunteer": 404, "referent": 200, "anonymous": LOGIN,
}  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_a_mission(client, world, mission, persona):
    response = as_persona(client, world, persona).get(mission.get_absolute_url())
    assert_status(response, MISSION_GET[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_my_missions(client, world, persona):
    response = as_persona(client, world, persona).get(reverse("my_missions"))
    assert_status(response, LOGIN if persona == "anonymous" else 200)


def url(name, mission, *args):
    return reverse(name, args=[mission.pk, *args])


def post_message(world, mission):
    return url("mission_message", mission), {"text": "Bonjour, quand se voit-on ?"}


def post_hours(world, mission):
    return url("mission_log_hours", mission), hours_form()


def post_decision(world, mission):
    return url("hours_decide", mission, log(mission).pk), {"decision": "confirm"}


def post_complete(world, mission):
    return url("mission_complete", mission), {}


def post_abandon(world, mission):
    return url("mission_abandon", mission), {"note": "La structure a fermé."}


def post_feedback(world, mission):
    services.complete(mission, world["people"]["member"])
    persona_side = Party.ASSOCIATION if world["acting"] == "member" else Party.VOLUNTEER
    return url("mission_feedback", mission), {
        "side": persona_side,
        f"{persona_side}-rating": "5",
    }


ACTIONS = {
    # action: (request, statuses by persona in PERSONAS order, what a success leaves)
    "message": (post_message, (302, 302, 404, 302, 404, 302, 404, 302, LOGIN),
                lambda m: Message.objects.filter(mission=m, is_step=False).count() == 1),
    "log_hours": (post_hours, (403, 403, 404, 403, 404, 302, 404, 403, LOGIN),
                  lambda m: HoursEntry.objects.filter(mission=m).count() == 1),
    "decide_hours": (post_decision, (403, 403, 404, 302, 404, 403, 404, 403, LOGIN),
                     lambda m: HoursEntry.objects.get().status == "confirmed"),
    "complete": (post_complete, (403, 403, 404, 302, 404, 302, 404, 403, LOGIN),
                 lambda m: Mission.objects.get().status == "completed"),
    "abandon": (post_abandon, (302, 302, 404, 302, 404, 302, 404, 302, LOGIN),
                lambda m: Mission.objects.get().status == "abandoned"),
    "feedback": (post_feedback, (403, 403, 404, 302, 404, 302, 404, 403, LOGIN),
                 lambda m: Feedback.objects.count() == 1),
}  # fmt: skip


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_act_on_a_mission(client, world, mission, action, persona):
    make_request, statuses, succeeded = ACTIONS[action]
    world["acting"] = persona
    path, data = make_request(world, mission)
    expected = statuses[PERSONAS.index(persona)]
    response = as_persona(client, world, persona).post(path, data)
    assert_status(response, expected)
    assert succeeded(mission) == (expected == 302)


HOURS_EDIT = {
    "staff": 403, "reviewer_in": 403, "reviewer_out": 404, "member": 403, "other_member": 404,
    "volunteer": 200, "other_volunteer": 404, "referent": 403, "anonymous": LOGIN,
}  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_correct_hours(client, world, mission, persona):
    entry = log(mission)
    response = as_persona(client, world, persona).get(url("hours_edit", mission, entry.pk))
    assert_status(response, HOURS_EDIT[persona])


def test_the_mission_actions_reject_get(client, world, mission):
    client = as_persona(client, world, "volunteer")
    for name in (
        "mission_message",
        "mission_log_hours",
        "mission_complete",
        "mission_abandon",
        "mission_feedback",
    ):
        assert client.get(url(name, mission)).status_code == 405


def test_a_benevolat_mission_is_none_of_the_referents_business(client):
    world = build_world(engagement="benevolat")
    mission = started_mission(world)
    assert as_persona(client, world, "referent").get(mission.get_absolute_url()).status_code == 404


def test_an_entry_of_another_mission_is_not_found(client, world, mission):
    elsewhere = started_mission(build_world())
    entry = log(elsewhere)
    response = as_persona(client, world, "volunteer").get(url("hours_edit", mission, entry.pk))
    assert response.status_code == 404


# Contact details: once the mission started, not before


def test_before_the_mission_neither_side_sees_the_others_contacts(client, world):
    proposal = approved(world)
    member, volunteer = world["people"]["member"], world["people"]["volunteer"]
    page = as_persona(client, world, "member").get(reverse("proposal_answer", args=[proposal.pk]))
    assert volunteer.email not in page.content.decode()
    client.force_login(volunteer)
    page = client.get(reverse("proposal_answer", args=[proposal.pk])).content.decode()
    assert member.email not in page and member.phone not in page


def test_the_mission_start_shows_each_side_the_others_contacts(client, world, mission):
    member, volunteer = world["people"]["member"], world["people"]["volunteer"]
    assert Need.objects.get(pk=mission.need_id).status == Need.Status.IN_PROGRESS
    page = as_persona(client, world, "member").get(mission.get_absolute_url()).content.decode()
    for detail in (volunteer.get_full_name(), volunteer.email, volunteer.phone, "Banque du Nord"):
        assert detail in page
    client.force_login(volunteer)
    page = client.get(mission.get_absolute_url()).content.decode()
    for detail in (member.get_full_name(), member.email, member.phone):
        assert detail in page


# The thread


def test_both_sides_and_staff_write_in_the_thread_step_lines_apart(client, world, mission):
    for persona in ("member", "volunteer", "staff"):
        as_persona(client, world, persona).post(
            url("mission_message", mission), {"text": f"Message de {persona}"}
        )
    page = client.get(mission.get_absolute_url()).content.decode()
    assert page.index("Message de member") < page.index("Message de volunteer")
    assert page.index("Message de volunteer") < page.index("Message de staff")
    assert '<li class="notice"><strong>Étape</strong>' in page
    steps = [
        "La CRESS a approuvé le binôme.",
        "Le ou la bénévole a accepté.",
        "L&#x27;employeur (mécénat) a accepté.",
        "La structure a accepté.",
        "la mission commence",
        "Message de member",
    ]
    assert [page.index(step) for step in steps] == sorted(page.index(step) for step in steps)


def test_an_empty_message_is_refused_in_french(client, world, mission):
    response = as_persona(client, world, "member").post(
        url("mission_message", mission), {"text": ""}
    )
    assert response.status_code == 400
    assert "Écrivez un message." in response.content.decode()
    assert not Message.objects.filter(is_step=False).exists()


# Hours


def test_hours_and_minutes_become_minutes(client, world, mission):
    response = as_persona(client, world, "volunteer").post(
        url("mission_log_hours", mission), hours_form(hours="2", minutes="30")
    )
    assert response.status_code == 302
    entry = HoursEntry.objects.get()
    assert (entry.minutes, entry.status, entry.day) == (150, "logged", today())


@pytest.mark.parametrize(
    "data, error",
    [
        (hours_form(hours="0", minutes="0"), "Une saisie va de 15 minutes à 12 heures"),
        (hours_form(hours="12", minutes="30"), "Une saisie va de 15 minutes à 12 heures"),
        (hours_form(hours="deux"), "Un nombre entier d&#x27;heures"),
        (hours_form(minutes="20"), "Choisissez 0, 15, 30 ou 45 minutes."),
        (hours_form(description=""), "Dites en quelques mots ce qui a été fait."),
        (hours_form(day=datetime.date.today() + datetime.timedelta(days=2)), "pas de date future"),
        (hours_form(day=datetime.date.today() - datetime.timedelta(days=30)),
         "La mission a commencé le"),
    ],
)  # fmt: skip
def test_bad_hours_are_refused_in_french_keeping_what_was_typed(
    client, world, mission, data, error
):
    response = as_persona(client, world, "volunteer").post(url("mission_log_hours", mission), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page
    if data["description"]:
        assert data["description"] in page
    assert not HoursEntry.objects.exists()


def test_the_volunteer_corrects_an_entry_until_it_is_confirmed(client, world, mission):
    entry = log(mission, minutes=60)
    client = as_persona(client, world, "volunteer")
    page = client.get(url("hours_edit", mission, entry.pk)).content.decode()
    assert 'name="description"' in page and "Relecture du dossier" in page
    response = client.post(
        url("hours_edit", mission, entry.pk), hours_form(hours="1", minutes="45")
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.minutes, entry.description) == (105, "Atelier budget")


def test_confirmed_hours_can_no_longer_be_edited(client, world, mission):
    entry = log(mission, minutes=60)
    services.decide_hours(entry, world["people"]["member"], confirm=True)
    client = as_persona(client, world, "volunteer")
    response = client.get(url("hours_edit", mission, entry.pk))
    assert response.status_code == 302
    assert texts(response) == ["Ces heures sont confirmées : elles ne peuvent plus être modifiées."]
    client.post(url("hours_edit", mission, entry.pk), hours_form(hours="5"))
    entry.refresh_from_db()
    assert entry.minutes == 60
    page = client.get(mission.get_absolute_url()).content.decode()
    assert url("hours_edit", mission, entry.pk) not in page


def test_a_disputed_entry_goes_back_to_be_confirmed_once_corrected(client, world, mission):
    entry = log(mission, minutes=60)
    services.decide_hours(entry, world["people"]["member"], confirm=False, note="Plutôt 45 min")
    as_persona(client, world, "volunteer").post(
        url("hours_edit", mission, entry.pk), hours_form(hours="0", minutes="45")
    )
    entry.refresh_from_db()
    assert (entry.minutes, entry.status) == (45, "logged")


def test_the_association_confirms_an_entry(client, world, mission):
    entry = log(mission)
    response = as_persona(client, world, "member").post(
        url("hours_decide", mission, entry.pk), {"decision": "confirm"}
    )
    assert texts(response) == ["Heures confirmées."]
    entry.refresh_from_db()
    assert (entry.status, entry.decided_by) == ("confirmed", world["people"]["member"])


def test_a_dispute_needs_a_note(client, world, mission):
    entry = log(mission)
    client = as_persona(client, world, "member")
    response = client.post(url("hours_decide", mission, entry.pk), {"decision": "dispute"})
    assert response.status_code == 400
    assert "Dites ce qui ne va pas dans ces heures." in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "logged"
    client.post(
        url("hours_decide", mission, entry.pk),
        {"decision": "dispute", "note": "Je n'étais pas là ce jour-là"},
    )
    entry.refresh_from_db()
    assert (entry.status, entry.dispute_note) == ("disputed", "Je n'étais pas là ce jour-là")


def test_an_entry_decided_already_is_a_message(client, world, mission):
    entry = log(mission)
    services.decide_hours(entry, world["people"]["member"], confirm=True)
    response = as_persona(client, world, "member").post(
        url("hours_decide", mission, entry.pk), {"decision": "dispute", "note": "non"}
    )
    assert texts(response) == ["Ces heures ont déjà été traitées."]
    assert HoursEntry.objects.get().status == "confirmed"


def test_the_page_totals_the_confirmed_hours(client, world, mission):
    member = world["people"]["member"]
    for minutes in (90, 60):
        services.decide_hours(log(mission, minutes), member, confirm=True)
    log(mission, 45)
    page = as_persona(client, world, "volunteer").get(mission.get_absolute_url()).content
    assert "Heures confirmées par la structure : <strong>2 h 30</strong>" in page.decode()
    assert "en attente de confirmation : 45 min" in page.decode()


# Closing


def test_completing_completes_the_need(client, world, mission):
    response = as_persona(client, world, "volunteer").post(url("mission_complete", mission))
    assert response.status_code == 302
    mission.refresh_from_db()
    assert (mission.status, mission.closed_by) == ("completed", world["people"]["volunteer"])
    assert Need.objects.get(pk=mission.need_id).status == Need.Status.COMPLETED
    assert Proposal.objects.get(pk=mission.proposal_id).status == Proposal.Status.COMPLETED


def test_completing_twice_is_a_message(client, world, mission):
    services.complete(mission, world["people"]["member"])
    response = as_persona(client, world, "volunteer").post(url("mission_complete", mission))
    assert texts(response) == ["Cette mission est déjà close."]


def test_no_hours_are_logged_on_a_closed_mission(client, world, mission):
    services.complete(mission, world["people"]["member"])
    client = as_persona(client, world, "volunteer")
    assert (
        'action="' + url("mission_log_hours", mission)
        not in client.get(mission.get_absolute_url()).content.decode()
    )
    response = client.post(url("mission_log_hours", mission), hours_form())
    assert texts(response) == ["La mission est close : on n'y déclare plus d'heures."]
    assert not HoursEntry.objects.exists()


def test_abandoning_reopens_the_need_and_frees_the_capacity(client, world, mission):
    response = as_persona(client, world, "member").post(
        url("mission_abandon", mission), {"note": "Le projet est reporté."}
    )
    assert response.status_code == 302
    mission.refresh_from_db()
    assert (mission.status, mission.close_note) == ("abandoned", "Le projet est reporté.")
    assert Need.objects.get(pk=mission.need_id).status == Need.Status.PUBLISHED
    engaged = Proposal.objects.filter(offer=mission.offer, status__in=Proposal.ENGAGED)
    assert not engaged.exists()
    # The freed capacity takes a new approval at once (16 h a month: two at a time).
    for _ in range(2):
        approved(world, need=NeedFactory(organisation=world["association"]))
    assert engaged.count() == 2


def test_abandoning_needs_a_note(client, world, mission):
    response = as_persona(client, world, "volunteer").post(url("mission_abandon", mission), {})
    assert response.status_code == 400
    assert "Dites en quelques mots pourquoi la mission s&#x27;arrête." in response.content.decode()
    assert Mission.objects.get().status == "active"


def test_staff_abandon_a_mission(client, world, mission):
    as_persona(client, world, "staff").post(url("mission_abandon", mission), {"note": "Doublon"})
    assert Mission.objects.get().closed_by == world["people"]["staff"]


# Feedback


def feedback(client, mission, side, rating="4", comment="Très utile"):
    return client.post(
        url("mission_feedback", mission),
        {"side": side, f"{side}-rating": rating, f"{side}-comment": comment},
    )


def test_each_side_leaves_feedback_once(client, world, mission):
    services.complete(mission, world["people"]["member"])
    client = as_persona(client, world, "member")
    assert "Votre avis" in client.get(mission.get_absolute_url()).content.decode()
    feedback(client, mission, Party.ASSOCIATION)
    assert "Votre avis" not in client.get(mission.get_absolute_url()).content.decode()
    response = feedback(client, mission, Party.ASSOCIATION, rating="1")
    assert texts(response) == ["Vous avez déjà laissé votre avis."]
    assert Feedback.objects.get().rating == 4
    client.force_login(world["people"]["volunteer"])
    feedback(client, mission, Party.VOLUNTEER, rating="5")
    assert set(Feedback.objects.values_list("side", "rating")) == {
        ("association", 4),
        ("volunteer", 5),
    }


def test_no_feedback_before_the_end(client, world, mission):
    response = feedback(as_persona(client, world, "volunteer"), mission, Party.VOLUNTEER)
    assert texts(response) == ["On laisse son avis une fois la mission terminée."]
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("rating", ["0", "6", ""])
def test_a_rating_is_from_one_to_five(client, world, mission, rating):
    services.complete(mission, world["people"]["member"])
    response = feedback(
        as_persona(client, world, "volunteer"),
        mission,
        Party.VOLUNTEER,
        rating=rating,
        comment="Gardé",
    )
    assert response.status_code == 400
    assert "Gardé" in response.content.decode()
    assert not Feedback.objects.exists()


def test_one_may_not_leave_the_other_sides_feedback(client, world, mission):
    services.complete(mission, world["people"]["member"])
    response = feedback(as_persona(client, world, "volunteer"), mission, Party.ASSOCIATION)
    assert response.status_code == 403


# My missions and query counts


def test_my_missions_lists_mine_not_others(client, world, mission):
    page = as_persona(client, world, "volunteer").get(reverse("my_missions")).content.decode()
    assert "Monter un dossier FSE+" in page
    client.force_login(world["people"]["other_volunteer"])
    assert "Monter un dossier FSE+" not in client.get(reverse("my_missions")).content.decode()


def test_my_missions_lists_the_proposals_waiting_for_my_answer(client, world):
    proposal = approved(world)
    page = as_persona(client, world, "member").get(reverse("my_missions")).content.decode()
    assert reverse("proposal_answer", args=[proposal.pk]) in page


def fill(mission, count):
    member = mission.need.organisation.memberships.get().user
    Message.objects.bulk_create(
        Message(mission=mission, author=member if i % 2 else mission.volunteer, text=f"m{i}")
        for i in range(count)
    )
    statuses = ["logged", "confirmed", "disputed"]
    HoursEntry.objects.bulk_create(
        HoursEntry(mission=mission, day=today(), minutes=60, description=f"h{i}",
                   status=statuses[i % 3], logged_by=mission.volunteer)
        for i in range(count)
    )  # fmt: skip


# session, user, memberships, unread notifications, the mission with its need, offer and
# people, answers with their people, messages with authors, the steps before the mission,
# hours, feedback, offer skills
MISSION_PAGE_QUERIES = 11


@pytest.mark.parametrize("rows", [3, 50])
@pytest.mark.parametrize("persona", ["member", "volunteer", "staff"])
def test_the_mission_page_takes_the_same_queries_for_3_or_50_rows(
    client, world, mission, rows, persona, django_assert_max_num_queries
):
    fill(mission, rows)
    client = as_persona(client, world, persona)
    with django_assert_max_num_queries(MISSION_PAGE_QUERIES):
        response = client.get(mission.get_absolute_url())
    assert response.content.decode().count("<li><p><strong>") == rows


# session, user, memberships, unread notifications, pending answers, missions count, a page
# of missions with their people and hour totals
MY_MISSIONS_QUERIES = 7


@pytest.mark.parametrize("count", [3, 50])
def test_my_missions_takes_the_same_queries_for_3_or_50_missions(
    client, world, count, django_assert_max_num_queries
):
    volunteer = world["people"]["volunteer"]
    for _ in range(count):
        need = NeedFactory(organisation=world["association"], status="in_progress")
        proposal = Proposal.objects.create(
            need=need, offer=world["offer"], score=1, status="accepted"
        )
        Mission.objects.create(
            proposal=proposal, need=need, offer=world["offer"], volunteer=volunteer
        )
    client = as_persona(client, world, "volunteer")
    with django_assert_max_num_queries(MY_MISSIONS_QUERIES):
        response = client.get(reverse("my_missions"))
    assert response.status_code == 200


# The home page: what each side has to do


def home(client, world, persona):
    return as_persona(client, world, persona).get(reverse("home")).content.decode()


def test_home_shows_each_side_the_proposals_waiting_for_its_answer(client, world):
    proposal = approved(world)
    link = reverse("proposal_answer", args=[proposal.pk])
    assert "Propositions de binôme qui attendent notre réponse" in home(client, world, "member")
    assert link in home(client, world, "member")
    assert "Propositions de binôme à accepter ou décliner" in home(client, world, "volunteer")
    assert "Missions en mécénat qui attendent votre accord" in home(client, world, "referent")
    assert link not in home(client, world, "other_member")


def test_home_shows_the_association_the_hours_to_confirm(client, world, mission):
    log(mission)
    page = home(client, world, "member")
    assert mission.get_absolute_url() in page
    assert "1 saisie d'heures à confirmer" in page
    assert mission.get_absolute_url() in home(client, world, "volunteer")
    assert reverse("my_missions") in page  # the "Mes missions" link of the menu
