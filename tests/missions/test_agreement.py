"""The convention de mécénat de compétences of a mission: generated from the mission's data
(the page and the PDF), none for bénévolat, its signature recorded and shown, who may do what."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from accounts.models import Membership
from missions.agreement import agreement_for, months_between
from missions.models import Event, Message, Mission
from tests.factories import MembershipFactory
from tests.missions.parties import (
    LOGIN,
    PERSONAS,
    as_persona,
    assert_status,
    build_world,
    started_mission,
)
from tests.observatory.test_mecenat_views import pdf_pages

pytestmark = pytest.mark.django_db


def identify(world):
    """Both legal identities complete, a volunteer with a name, a need with its details."""
    company, association = world["company"], world["association"]
    company.legal_form, company.street_address = "SAS", "12 rue Nationale"
    company.save()
    association.legal_form, association.rna = "Association loi 1901", "W022000123"
    association.street_address = "3 place du Marché"
    association.save()
    need = world["need"]
    need.description = "Préparer la demande de subvention FSE+ et son budget."
    need.wished_start = datetime.date(2026, 3, 1)
    need.wished_end = datetime.date(2026, 5, 31)
    need.remote_ok = True
    need.save()


@pytest.fixture
def world(db):
    world = build_world()
    identify(world)
    # The structure's administrator: the one who signs for it and may record the signature
    # ("member" is a plain member).
    admin = MembershipFactory(organisation=world["association"], role=Membership.Role.ADMIN)
    admin.user.first_name, admin.user.last_name = "Claude", "Presidente"
    admin.user.save()
    world["people"]["admin"] = admin.user
    referent = world["people"]["referent"]
    referent.first_name, referent.last_name = "Sacha", "Rh"
    referent.save()
    return world


@pytest.fixture
def mission(world):
    return started_mission(world)


def url(name, mission):
    return reverse(name, args=[mission.pk])


def page_text(response):
    """The page's words as read, tags left out."""
    return " ".join(strip_tags(response.content.decode()).split())


# The document holds the mission's data


def test_the_page_holds_both_legal_identities_the_employee_the_need_dates_hours_and_place(
    client, world, mission
):
    client.force_login(world["people"]["member"])
    response = client.get(url("mission_agreement", mission))
    assert response.status_code == 200
    text = page_text(response)
    company, association = world["company"], world["association"]
    for expected in (
        "Convention de mécénat de compétences",
        # The company: name, form, SIREN, address, represented by its referent.
        "Banque du Nord", "SAS", company.siren, "12 rue Nationale", "59000",
        "représentée par Sacha Rh",
        # The structure: name, form, RNA and SIREN, address, represented by its admin.
        "Les Jardins de Laon", "Association loi 1901", "RNA W022000123", association.siren,
        "3 place du Marché", "02000", "représentée par Claude Presidente",
        # The employee; no job known: a line to fill in.
        "Camille Verbeke", "poste occupé :",
        # The object, the place, the dates and the hours planned: 16 h × 3 months.
        "« Monter un dossier FSE+ »", "Préparer la demande de subvention FSE+ et son budget.",
        "dans le département : 02 – Aisne", "en partie à distance",
        "1 mars 2026", "31 mai 2026",
        "au plus 48 heures (16 heures par mois pendant 3 mois)",
        # What every convention says.
        "reste employé·e et payé·e par l'entreprise", "autorité d'employeur",
        "aucune relation commerciale", "accidents du travail", "Confidentialité",
        "2041-MEC-SD", "il ne les certifie pas", "n'est pas partie à cette convention",
        "Fait à", "en trois exemplaires originaux", "Pour l'entreprise", "Pour la structure",
        "Le ou la salarié·e",
    ):  # fmt: skip
        assert expected in text, expected


def test_missing_legal_details_are_lines_to_fill_in(client, world, mission):
    company = world["company"]
    company.legal_form, company.street_address = "", ""
    company.save()
    client.force_login(world["people"]["member"])
    text = page_text(client.get(url("mission_agreement", mission)))
    assert "forme juridique : (à compléter)" in text
    assert "dont le siège est situé (à compléter), 59000" in text


def test_the_pdf_holds_the_same_data(client, world, mission):
    client.force_login(world["people"]["referent"])
    response = client.get(url("mission_agreement_pdf", mission))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="convention-mecenat')
    pages = pdf_pages(response.content)
    text = " ".join(" ".join(pages).split())
    company, association = world["company"], world["association"]
    for expected in (
        "Convention de mécénat de compétences", "Banque du Nord", "SAS", company.siren,
        "12 rue Nationale", "Sacha Rh", "Les Jardins de Laon", "W022000123", association.siren,
        "3 place du Marché", "Claude Presidente", "Camille Verbeke",
        "Monter un dossier FSE+", "Préparer la demande de subvention FSE+", "02 – Aisne",
        "1 mars 2026", "31 mai 2026", "48 heures", "2041-MEC-SD", "Fait à",
        "Pour la structure",
    ):  # fmt: skip
        assert expected in text, expected
    assert "(à compléter)" not in text  # the screen readers' words, not the paper's
    assert f"Page 1 sur {len(pages)}" in text


GUIDED = (
    "Nous voulons déposer un dossier FSE+ cette année.\n\n"
    "Ce que nous attendons :\n- Un budget prévisionnel du projet\n- Le dossier relu\n\n"
    "Ce que nous préparons de notre côté :\n- Les comptes des deux dernières années"
)


def test_the_convention_holds_what_the_need_asks_and_leaves_deliverables_to_the_parties(
    client, world, mission
):
    """The need's description, as written from a guided template (its expected deliverables
    in it), is the object; « Livrables attendus » is a line the parties fill in by hand."""
    need = world["need"]
    need.description = GUIDED
    need.save()
    assert not hasattr(agreement_for(mission), "deliverables")  # Need has no such field
    client.force_login(world["people"]["member"])
    text = page_text(client.get(url("mission_agreement", mission)))
    pdf = " ".join(
        " ".join(pdf_pages(client.get(url("mission_agreement_pdf", mission)).content)).split()
    )
    for document in (text, pdf):
        for line in GUIDED.splitlines():
            assert line.strip() in document, line
    assert "Livrables attendus, à préciser entre les parties : (à compléter)" in text
    assert "Livrables attendus, à préciser entre les parties :" in pdf


def test_months_are_rounded_to_the_nearest_and_at_least_one():
    day = datetime.date
    assert months_between(day(2026, 3, 1), day(2026, 5, 31)) == 3
    assert months_between(day(2026, 3, 15), day(2026, 4, 14)) == 1
    assert months_between(day(2026, 3, 1), day(2026, 3, 1)) == 1
    assert months_between(day(2026, 3, 2), day(2026, 3, 1)) is None


# Bénévolat: none


@pytest.fixture
def benevolat_mission(db):
    world = build_world(engagement="benevolat")
    return world, started_mission(world)


def test_a_benevolat_mission_has_no_agreement(client, benevolat_mission):
    world, mission = benevolat_mission
    client.force_login(world["people"]["member"])
    response = client.get(mission.get_absolute_url())
    text = page_text(response)
    assert "Pas de convention de mécénat à signer" in text
    assert url("mission_agreement", mission) not in response.content.decode()
    for name in ("mission_agreement", "mission_agreement_pdf"):
        assert client.get(url(name, mission)).status_code == 404
    response = client.post(url("mission_agreement_status", mission), {"status": "signed"})
    assert response.status_code == 404
    assert mission.agreement_status == Mission.AgreementStatus.NONE


# The status: to sign, signed


def record(client, mission, **data):
    return client.post(url("mission_agreement_status", mission), data)


def test_the_mission_page_says_to_sign_with_the_links(client, world, mission):
    client.force_login(world["people"]["volunteer"])
    response = client.get(mission.get_absolute_url())
    text = page_text(response)
    assert "Convention à signer" in text
    assert url("mission_agreement", mission) in response.content.decode()
    assert url("mission_agreement_pdf", mission) in response.content.decode()
    assert "Enregistrer : convention signée" not in text  # not the employee's to record


@pytest.mark.parametrize("persona", ["admin", "referent"])
def test_a_representative_records_it_signed_and_everyone_sees_it(client, world, mission, persona):
    person = world["people"][persona]
    client.force_login(person)
    assert "Enregistrer : convention signée" in page_text(client.get(mission.get_absolute_url()))
    day = timezone.localdate()
    response = record(client, mission, status="signed", signed_on=day.isoformat())
    assert response.status_code == 302
    assert response.url.endswith("#convention")
    mission.refresh_from_db()
    assert mission.agreement_signed_on == day
    assert mission.agreement_recorded_by == person
    assert mission.agreement_recorded_at is not None
    assert mission.agreement_status == Mission.AgreementStatus.SIGNED
    assert Event.objects.filter(mission=mission, verb=Event.Verb.AGREEMENT_SIGNED, actor=person)
    assert Message.objects.filter(mission=mission, is_step=True, text__contains="signée par")
    # Step lines outlive an erased account: the name is read from the record, not written.
    assert not Message.objects.filter(mission=mission, text__contains=person.last_name)
    client.force_login(world["people"]["volunteer"])
    text = page_text(client.get(mission.get_absolute_url()))
    assert "Convention signée" in text
    assert f"Enregistré par {person.get_full_name()}" in text
    assert "Convention signée" in page_text(client.get(url("mission_agreement", mission)))


def test_a_signature_recorded_by_mistake_goes_back_to_sign(client, world, mission):
    client.force_login(world["people"]["admin"])
    record(client, mission, status="signed", signed_on=timezone.localdate().isoformat())
    response = record(client, mission, status="to_sign")
    assert response.status_code == 302
    mission.refresh_from_db()
    assert mission.agreement_signed_on is None and mission.agreement_recorded_by is None
    assert Event.objects.filter(mission=mission, verb=Event.Verb.AGREEMENT_REOPENED).count() == 1


def test_recording_twice_changes_nothing(client, world, mission):
    client.force_login(world["people"]["admin"])
    day = timezone.localdate().isoformat()
    record(client, mission, status="signed", signed_on=day)
    client.force_login(world["people"]["referent"])
    response = record(client, mission, status="signed", signed_on=day)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "C'était déjà enregistré : rien n'a changé."
    )
    mission.refresh_from_db()
    assert mission.agreement_recorded_by == world["people"]["admin"]
    assert Event.objects.filter(mission=mission, verb=Event.Verb.AGREEMENT_SIGNED).count() == 1


def _future():
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def _before_start():
    return (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    "data, error",
    [
        ({"status": "signed"}, "Indiquez la date de la signature."),
        ({"status": "signed", "signed_on": "31/02/2026"}, "Date invalide."),
        ({"status": "signed", "signed_on": "le 3 mars"}, "Date invalide."),
        ({"status": "signed", "signed_on": "future"}, "ne peut pas être dans le futur"),
        ({"status": "signed", "signed_on": "before"}, "avant son début"),
        ({}, "Dites si la convention est signée."),
        ({"status": "maybe"}, "Dites si la convention est signée."),
    ],
)
def test_a_bad_post_gets_a_clear_error_and_records_nothing(client, world, mission, data, error):
    data = dict(data)
    typed = {"future": _future(), "before": _before_start()}.get(data.get("signed_on"))
    if typed:
        data["signed_on"] = typed
    client.force_login(world["people"]["referent"])
    response = record(client, mission, **data)
    assert response.status_code == 400
    text = page_text(response)
    assert "Le formulaire contient des erreurs" in text
    assert error in text
    if data.get("signed_on"):
        assert f'value="{data["signed_on"]}"' in response.content.decode()  # kept as typed
    mission.refresh_from_db()
    assert mission.agreement_signed_on is None
    assert not Event.objects.filter(mission=mission, verb=Event.Verb.AGREEMENT_SIGNED).exists()


# Who may read it, who may record it


READ = {
    "staff": 200, "reviewer_in": 200, "reviewer_out": 404, "member": 200, "admin": 200,
    "other_member": 404, "volunteer": 200, "other_volunteer": 404, "referent": 200,
    "anonymous": LOGIN,
}  # fmt: skip
# The structure's administrators and the company's referents; the plain member, the employee
# and CRESS staff read it but may not record it; anyone the mission is not for: 404.
RECORD = {**READ, "staff": 403, "reviewer_in": 403, "member": 403, "volunteer": 403,
          "admin": 302, "referent": 302}  # fmt: skip
ALL = (*PERSONAS, "admin")


@pytest.mark.parametrize("persona", ALL)
@pytest.mark.parametrize("name", ["mission_agreement", "mission_agreement_pdf"])
def test_who_may_read_the_agreement(client, world, mission, persona, name):
    assert_status(as_persona(client, world, persona).get(url(name, mission)), READ[persona])


@pytest.mark.parametrize("persona", ALL)
def test_who_may_record_the_signature(client, world, mission, persona):
    response = record(
        as_persona(client, world, persona),
        mission,
        status="signed",
        signed_on=timezone.localdate().isoformat(),
    )
    assert_status(response, RECORD[persona])
    mission.refresh_from_db()
    assert (mission.agreement_signed_on is not None) == (RECORD[persona] == 302)


@pytest.mark.parametrize("persona", ALL)
def test_the_form_is_shown_to_who_may_record_it(client, world, mission, persona):
    if READ[persona] != 200:
        return
    response = as_persona(client, world, persona).get(mission.get_absolute_url())
    shown = "Enregistrer : convention signée" in page_text(response)
    assert shown == (RECORD[persona] == 302)


def test_an_administrator_who_left_the_structure_may_no_longer_record(client, world, mission):
    admin = world["people"]["admin"]
    admin.memberships.all().delete()
    client.force_login(admin)
    response = record(client, mission, status="signed", signed_on=timezone.localdate())
    assert response.status_code == 404


def test_staff_see_the_status_in_the_missions_to_handle_first(client, world, mission, settings):
    idle_since = timezone.now() - datetime.timedelta(days=settings.MISSION_IDLE_DAYS + 1)
    Mission.objects.filter(pk=mission.pk).update(started_at=idle_since)
    client.force_login(world["people"]["staff"])
    assert "Convention à signer" in page_text(client.get(reverse("to_handle_first")))
    Mission.objects.filter(pk=mission.pk).update(
        agreement_signed_on=idle_since.date(), agreement_recorded_at=timezone.now()
    )
    assert "Convention signée" in page_text(client.get(reverse("to_handle_first")))


def test_names_with_markup_characters_come_out_as_typed(client, world, mission):
    company = world["company"]
    company.name = "Durand & Fils <b>Nord</b>"
    company.save()
    need = world["need"]
    need.description = "Budget <b>urgent</b> < 5 000 € & dossier"
    need.save()
    client.force_login(world["people"]["referent"])
    response = client.get(url("mission_agreement_pdf", mission))
    assert response.status_code == 200
    # reportlab draws each escaped character as a string of its own: compared without spaces.
    text = "".join("".join(pdf_pages(response.content)).split())
    assert "Durand&Fils<b>Nord</b>" in text
    assert "Budget<b>urgent</b><5000€&dossier" in text
