"""« Supprimer mon compte »: personal data erased or anonymised everywhere, in one transaction,
while the missions and hours the statistics count stay, without the name."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import personal_data
from accounts.models import Consent, Membership, Organisation
from matching.models import Offer, Proposal
from missions import services
from missions.models import HoursEntry, Message, Mission, Party, StaffNote
from notifications.models import Notification, Preference
from observatory.models import VolunteerCost
from tests.accounts.erasure_checks import (
    dashboard_figures,
    every_row,
    history,
    left_anywhere,
)
from tests.accounts.personal_world import ABOUT_HER, OTHERS_MESSAGE, VOLUNTEER_STRINGS, lived_world
from tests.factories import MembershipFactory, NeedFactory, member_of

pytestmark = pytest.mark.django_db

URL = reverse("account_delete")
PASSWORD = "motdepasse-solide-2026"  # tests.factories.UserFactory's


@pytest.fixture
def world():
    return lived_world()


def delete_account(client, person, password=PASSWORD, **extra):
    client.force_login(person)
    return client.post(URL, {"password": password, **extra})


def her_strings(user):
    return [user.email, *VOLUNTEER_STRINGS.values(), *ABOUT_HER.values()]


def test_the_page_says_what_is_erased_and_what_is_kept(client, world):
    client.force_login(world["people"]["volunteer"])
    page = client.get(URL).content.decode()
    assert "Ce qui est effacé" in page and "Ce qui est gardé, sans votre nom" in page
    assert "les heures données" in page
    assert 'name="password"' in page


def test_it_erases_every_personal_string_of_hers_anywhere(client, world):
    volunteer = world["people"]["volunteer"]
    strings = her_strings(volunteer)
    assert all(left_anywhere([string]) for string in strings)  # each is found before
    response = delete_account(client, volunteer)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert left_anywhere(strings) == []


def test_the_account_row_is_anonymised_not_deleted(client, world):
    volunteer = world["people"]["volunteer"]
    delete_account(client, volunteer)
    volunteer.refresh_from_db()
    assert volunteer.email == f"anonyme-{volunteer.pk}@invalid"
    assert (volunteer.first_name, volunteer.last_name, volunteer.phone) == ("", "", "")
    assert not volunteer.has_usable_password()
    assert not volunteer.is_active
    assert volunteer.anonymised_at is not None
    assert str(volunteer) == "Compte supprimé"


def test_a_deleted_person_is_compte_supprime_everywhere_and_never_the_placeholder(client, world):
    """One wording on the mission page (its messages), the offer page and the review page;
    the placeholder address is shown nowhere, to staff neither."""
    volunteer, mission = world["people"]["volunteer"], world["mission"]
    delete_account(client, volunteer)
    staff, member = world["people"]["staff"], world["people"]["member"]
    client.force_login(member)
    page = client.get(reverse("mission_detail", args=[mission.pk])).content.decode()
    assert "Ancien membre" not in page and "Membre sans nom" not in page
    assert "Compte supprimé" in page
    client.force_login(staff)
    page = client.get(reverse("offer_detail", args=[world["offer"].pk])).content.decode()
    assert "@invalid" not in page and "Membre sans nom" not in page
    assert "Compte supprimé" in page


def test_the_texts_erasure_stores_are_french_whatever_the_page_s_language(client, world):
    """The placeholders are stored once for every reader: in the site's language, not in
    the language the person happened to browse in when deleting."""
    volunteer = world["people"]["volunteer"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    delete_account(client, volunteer)
    world["offer"].refresh_from_db()
    assert world["offer"].title == "Offre d'un compte supprimé"


def test_what_is_hers_goes_and_the_figures_stay(client, world):
    volunteer, mission = world["people"]["volunteer"], world["mission"]
    delete_account(client, volunteer)
    assert not Consent.objects.filter(user=volunteer).exists()
    assert not Membership.objects.filter(user=volunteer).exists()
    assert not Notification.objects.filter(recipient=volunteer).exists()
    assert not Preference.objects.filter(user=volunteer).exists()
    assert not VolunteerCost.objects.filter(volunteer=volunteer).exists()
    assert not StaffNote.objects.filter(proposal__offer__volunteer=volunteer).exists()
    [her_message] = Message.objects.filter(author=volunteer)
    assert her_message.text == "Message supprimé"
    assert Message.objects.filter(mission=mission, text=OTHERS_MESSAGE).exists()
    [offer] = Offer.objects.filter(volunteer=volunteer)
    assert not offer.is_active and offer.description == ""
    [entry] = HoursEntry.objects.filter(mission=mission)
    assert (entry.minutes, entry.day, entry.status) == (90, timezone.localdate(), "confirmed")
    mission.refresh_from_db()
    assert (mission.status, mission.volunteer_id) == ("completed", volunteer.pk)
    assert set(mission.feedback.values_list("rating", "comment")) == {(5, "")}


def test_the_observatory_s_figures_are_the_same_before_and_after(client, world):
    volunteer = world["people"]["volunteer"]
    before = dashboard_figures()
    delete_account(client, volunteer)
    after = dashboard_figures()
    assert history(after) == history(before)
    assert before[0]["hours_given"] == after[0]["hours_given"] == 1.5
    # Today's supply loses her paused offer: she can no longer be proposed.
    assert after[0]["active_volunteers"] == before[0]["active_volunteers"] - 1


def test_a_wrong_password_erases_nothing(client, world):
    """Nothing changes but the log-in throttling's count (django-axes, like the log-in page)."""
    volunteer = world["people"]["volunteer"]
    client.force_login(volunteer)
    before = without_sessions_and_attempts(every_row())
    response = client.post(URL, {"password": "pas-le-bon"})
    assert response.status_code == 200
    assert "Mot de passe incorrect : votre compte n&#x27;a pas été supprimé." in (
        response.content.decode()
    )
    assert without_sessions_and_attempts(every_row()) == before
    assert AccessAttempt.objects.get(username=volunteer.email).failures_since_start == 1
    assert client.get(reverse("profile")).status_code == 200  # still logged in


def without_sessions_and_attempts(rows):
    return {label: r for label, r in rows.items() if label not in THROTTLING_AND_SESSIONS}


THROTTLING_AND_SESSIONS = {"sessions.Session", "axes.AccessAttempt", "axes.AccessAttemptExpiration"}


def test_an_empty_password_erases_nothing(client, world):
    volunteer = world["people"]["volunteer"]
    response = delete_account(client, volunteer, password="")
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.anonymised_at is None and volunteer.is_active


def test_a_second_erasure_changes_nothing(client, world):
    volunteer = world["people"]["volunteer"]
    assert personal_data.erase(volunteer) is True
    after_first = every_row()
    assert personal_data.erase(volunteer) is False
    assert every_row() == after_first


def test_the_form_sent_again_changes_nothing(client, world):
    """A double click: the second POST comes from a session already ended."""
    volunteer = world["people"]["volunteer"]
    delete_account(client, volunteer)
    after_first = every_row()
    again = client.post(URL, {"password": PASSWORD})
    assert again.status_code == 302 and again["Location"].startswith(reverse("login"))
    assert every_row() == after_first


def test_she_is_logged_out_everywhere(client, world):
    volunteer = world["people"]["volunteer"]
    elsewhere = Client()
    elsewhere.force_login(volunteer)
    assert elsewhere.get(reverse("profile")).status_code == 200
    delete_account(client, volunteer)
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id")]
    for browser in (client, elsewhere):
        response = browser.get(reverse("profile"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_she_cannot_log_in_again(client, world):
    volunteer = world["people"]["volunteer"]
    email = volunteer.email
    delete_account(client, volunteer)
    client.logout()
    response = client.post(reverse("login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_log_in_attempts_recorded_for_her_address_are_deleted(client, world):
    volunteer = world["people"]["volunteer"]
    AccessAttempt.objects.create(
        username=volunteer.email, ip_address="192.0.2.1", user_agent="", http_accept="",
        path_info="/compte/connexion/", failures_since_start=2, get_data="", post_data="",
    )  # fmt: skip
    AccessAttempt.objects.create(
        username="quelquun@example.org", ip_address="192.0.2.1", user_agent="", http_accept="",
        path_info="/compte/connexion/", failures_since_start=1, get_data="", post_data="",
    )  # fmt: skip
    delete_account(client, volunteer)
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [
        "quelquun@example.org"
    ]


def test_a_crafted_post_naming_someone_else_deletes_only_oneself(client, world):
    """No id in the URL: whatever the form names, the logged-in person is the one erased."""
    volunteer, member = world["people"]["volunteer"], world["people"]["other_member"]
    response = delete_account(client, member, user=volunteer.pk, pk=volunteer.pk)
    assert response.status_code == 302
    member.refresh_from_db()
    volunteer.refresh_from_db()
    assert member.anonymised_at is not None
    assert volunteer.anonymised_at is None and volunteer.email.endswith("@example.org")


def test_another_person_s_password_does_not_delete_one_s_account(client, world):
    volunteer, member = world["people"]["volunteer"], world["people"]["member"]
    volunteer.set_password("le-mot-de-passe-de-zephyrine")
    volunteer.save()
    response = delete_account(client, member, password="le-mot-de-passe-de-zephyrine")
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.anonymised_at is None


def test_anonymous_people_are_sent_to_log_in(client):
    for response in (client.get(URL), client.post(URL, {"password": PASSWORD})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_cress_staff_delete_their_own_account_and_their_notes_stay(client, world):
    """A staff member's notes and reviews are the CRESS's records: kept, under the
    anonymised account; admin rights go with the account."""
    staff = world["people"]["staff"]
    staff.is_staff = staff.is_superuser = True
    staff.save()
    note = StaffNote.objects.create(
        author=staff, need=world["need"], text="Structure à rappeler en janvier"
    )
    response = delete_account(client, staff)
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.anonymised_at is not None
    assert not (staff.is_staff or staff.is_superuser or staff.is_active)
    note.refresh_from_db()
    assert (note.author_id, note.text) == (staff.pk, "Structure à rappeler en janvier")


def test_the_only_member_of_a_structure_with_live_needs_is_refused(client, world):
    """Nobody would be left to answer the volunteers: cancel the needs first."""
    alone = member_of(Organisation.Kind.ASSOCIATION, name="Seule à bord", role="admin")
    NeedFactory(organisation=alone.memberships.get().organisation)
    client.force_login(alone)
    page = client.get(URL).content.decode()
    assert "Vous êtes la seule personne de « Seule à bord »" in page
    assert 'name="password"' not in page
    response = client.post(URL, {"password": PASSWORD})
    assert response.status_code == 200
    alone.refresh_from_db()
    assert alone.anonymised_at is None and alone.is_active


def test_the_refusal_links_to_the_structure_s_needs(client, world):
    alone = member_of(Organisation.Kind.ASSOCIATION, name="Seule à bord", role="admin")
    organisation = alone.memberships.get().organisation
    NeedFactory(organisation=organisation)
    client.force_login(alone)
    page = client.get(URL).content.decode()
    needs = reverse("organisation_needs", args=[organisation.pk])
    assert f'<a href="{needs}">' in page
    assert "autres membres continuent" not in page


def test_the_only_member_is_told_the_structure_is_left_empty(client, world):
    """No live need, so no refusal; but nobody else is left in the structure either."""
    alone = member_of(Organisation.Kind.ASSOCIATION, name="Seule à bord", role="admin")
    client.force_login(alone)
    page = client.get(URL).content.decode()
    assert "Vous êtes le seul membre de ces structures" in page
    assert "Seule à bord" in page
    assert "n'auront plus aucun membre" in page


def test_the_page_says_the_missions_are_pseudonymised_and_what_stays(client, world):
    client.force_login(world["people"]["volunteer"])
    page = client.get(URL).content.decode()
    assert "pseudonymisées" in page
    for kept in ("« Compte supprimé »", "le nom de votre employeur", "les compétences"):
        assert kept in page
    assert "sans rien qui vous identifie" not in page


def test_the_only_admin_of_a_structure_with_other_members_names_a_successor_first(client, world):
    """Deliberately changed (a review found a structure left with nobody to accept members
    or edit it): refused, with the way out — name another administrator, then leave."""
    admin = member_of(Organisation.Kind.ASSOCIATION, name="Deux membres", role="admin")
    organisation = admin.memberships.get().organisation
    other = MembershipFactory(organisation=organisation)
    NeedFactory(organisation=organisation)
    client.force_login(admin)
    page = client.get(URL).content.decode()
    assert "Votre compte ne peut pas encore être supprimé" in page
    assert "Deux membres" in page and organisation.get_absolute_url() in page
    assert client.post(URL, {"password": PASSWORD}).status_code == 200
    assert admin.memberships.exists()  # nothing erased
    client.post(reverse("membership_make_admin", args=[organisation.pk, other.pk]))
    assert client.post(URL, {"password": PASSWORD}).status_code == 302
    assert list(organisation.memberships.values_list("user", "role")) == [(other.user_id, "admin")]


def test_her_pending_proposals_are_withdrawn_and_the_people_asked_are_told(client, world):
    volunteer, staff = world["people"]["volunteer"], world["people"]["staff"]
    waiting = Proposal.objects.create(
        need=NeedFactory(organisation=world["association"]), offer=world["offer"], score=3
    )
    services.approve(waiting.pk, staff, no_commercial_link=True)
    delete_account(client, volunteer)
    waiting.refresh_from_db()
    assert waiting.status == Proposal.Status.WITHDRAWN
    member = world["people"]["member"]
    assert Notification.objects.filter(
        recipient=member, key=f"proposal-{waiting.pk}-withdrawn"
    ).exists()
    assert not Notification.objects.filter(recipient=volunteer).exists()


# The seeded demo: a real volunteer with a mission under way, after the first matching pass.

DEMO_MISSION = "Mettre à jour notre document unique d'évaluation des risques"


@pytest.fixture
def demo_volunteer(demo_after_first_pass):
    """The volunteer of the Somme's mission under way (messages, hours, notifications), who
    edited their profile and offer, wrote once more, logged hours, and whose employer
    declared an hourly cost."""
    mission = Mission.objects.select_related("volunteer", "offer").get(
        need__title=DEMO_MISSION, status=Mission.Status.ACTIVE
    )
    volunteer = mission.volunteer
    volunteer.first_name, volunteer.last_name = "Ysaline", "Brocquevielle"
    volunteer.phone = "06 58 14 27 39"
    volunteer.set_password(PASSWORD)
    volunteer.save()
    offer = mission.offer
    offer.title = "Offre-d-Ysaline : prévention des risques"
    offer.description = "Présentation-d-Ysaline : ergonome depuis 2011"
    offer.save()
    services.post_message(mission, volunteer, "Message-d-Ysaline : je vous envoie la grille")
    services.log_hours(mission, volunteer, timezone.localdate(), 60, "Heures-d-Ysaline : grille")
    VolunteerCost.objects.create(
        company=offer.organisation, volunteer=volunteer, year=timezone.localdate().year,
        hourly_cost="38.20",
    )  # fmt: skip
    return volunteer, mission


def test_from_the_demo_nothing_of_the_volunteer_is_left_and_the_figures_stay(
    client, demo_volunteer
):
    volunteer, mission = demo_volunteer
    strings = [
        volunteer.email, volunteer.first_name, volunteer.last_name, volunteer.phone,
        mission.offer.title, mission.offer.description,
        *Message.objects.filter(author=volunteer).values_list("text", flat=True),
        *HoursEntry.objects.filter(mission__volunteer=volunteer).values_list(
            "description", flat=True
        ),
    ]  # fmt: skip
    assert len(strings) >= 11
    assert Notification.objects.filter(recipient=volunteer).exists()
    before = dashboard_figures()
    response = delete_account(client, volunteer)
    assert response.status_code == 302
    assert left_anywhere(strings) == []
    assert history(dashboard_figures()) == history(before)


def test_from_the_demo_the_mission_under_way_goes_on_and_the_structure_is_told(
    client, demo_volunteer
):
    volunteer, mission = demo_volunteer
    minutes = sorted(mission.hours.values_list("minutes", "status"))
    delete_account(client, volunteer)
    mission.refresh_from_db()
    assert mission.status == Mission.Status.ACTIVE
    assert sorted(mission.hours.values_list("minutes", "status")) == minutes
    assert mission.messages.filter(is_step=True, text__startswith="Le ou la bénévole a").exists()
    members = services.people_of(mission.proposal, Party.ASSOCIATION)
    told = Notification.objects.filter(key=f"mission-{mission.pk}-volunteer-left")
    assert set(told.values_list("recipient", flat=True)) == {m.pk for m in members}


def test_every_app_registers_its_part():
    """Erasure and export know every app of the project, in the order apps build on each
    other (erasure runs them backwards, accounts last)."""
    assert [part.name for part in personal_data.parts()] == [
        "accounts", "matching", "notifications", "missions", "observatory",
    ]  # fmt: skip
