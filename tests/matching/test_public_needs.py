"""The published needs for anyone (/besoins-publies/): only published needs of verified
structures, never a person; filters in the URL; tags for sharing; the call to act by role."""

from html import unescape

import pytest
from django.urls import reverse

from accounts.models import Membership, Organisation
from tests.factories import MembershipFactory, NeedFactory, OrganisationFactory, skill

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind


def titles(response):
    return [need.title for need in response.context["page"].object_list]


@pytest.fixture
def somme():
    """A verified association of Amiens, with two people whose names, addresses and phones
    must never be shown."""
    organisation = OrganisationFactory(
        name="Les Restos de la Somme", departement="80", postcode="80000"
    )
    for first, last, email, phone in (
        ("Bérénice", "Quatremare", "berenice.quatremare@example.org", "03 22 11 22 33"),
        ("Anatole", "Vasseur-Pruvost", "anatole.vp@example.org", "+33 6 98 76 54 32"),
    ):
        MembershipFactory(
            organisation=organisation,
            role=Membership.Role.ADMIN,
            user__first_name=first,
            user__last_name=last,
            user__email=email,
            user__phone=phone,
        )
    return organisation


@pytest.fixture
def need(somme):
    return NeedFactory(
        organisation=somme,
        title="Refaire notre plan de financement",
        description="Nous cherchons un regard extérieur sur notre modèle économique.\n"
        "Deux séances à Amiens ou à distance.",
        main_skill=skill("controle-gestion"),
        created_by=somme.memberships.first().user,
    )


def test_anyone_reads_the_list_and_the_need(client, need):
    response = client.get(reverse("public_needs"))
    assert response.status_code == 200
    assert titles(response) == ["Refaire notre plan de financement"]
    page = client.get(reverse("public_need", args=[need.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Refaire notre plan de financement" in html
    assert "Les Restos de la Somme" in html
    assert "Amiens" in html
    assert "80 – Somme" in html


@pytest.mark.parametrize(
    "change",
    [
        {"status": "draft", "published_at": None},
        {"status": "cancelled"},
        {"status": "matched"},
    ],
    ids=["draft", "cancelled", "matched"],
)
def test_a_need_not_published_is_neither_listed_nor_shown(client, need, change):
    for field, value in change.items():
        setattr(need, field, value)
    need.save()
    assert titles(client.get(reverse("public_needs"))) == []
    assert client.get(reverse("public_need", args=[need.pk])).status_code == 404


@pytest.mark.parametrize("status", ["registered", "suspended"])
def test_the_needs_of_a_structure_not_verified_are_neither_listed_nor_shown(
    client, need, somme, status
):
    somme.status = status
    somme.save()
    assert titles(client.get(reverse("public_needs"))) == []
    assert client.get(reverse("public_need", args=[need.pk])).status_code == 404


def test_an_unknown_need_is_a_404(client):
    assert client.get(reverse("public_need", args=[987654])).status_code == 404


def test_no_page_shows_a_person_s_name_email_or_phone(client, need, somme):
    people = [m.user for m in somme.memberships.all()]
    assert need.created_by in people
    for url in (reverse("public_needs"), reverse("public_need", args=[need.pk])):
        html = unescape(client.get(url).content.decode())
        assert "Les Restos de la Somme" in html  # the structure is named
        for person in people:
            for shown in (person.first_name, person.last_name, person.email, person.phone):
                assert shown not in html, (url, shown)
        assert "@" not in html.replace("@context", "")  # no address of any kind


def test_posting_is_refused(client, need):
    assert client.post(reverse("public_needs")).status_code == 405
    assert client.post(reverse("public_need", args=[need.pk])).status_code == 405
