"""Registering, seeing, editing and joining organisations, with their identifiers checked."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

VALID_SIREN = "732829320"
VALID_SIRET = "73282932000074"


def organisation_data(**overrides):
    data = {
        "kind": "association",
        "name": "Les Jardins partagés de Laon",
        "siren": "",
        "siret": "",
        "rna": "W022001234",
        "departement": "02",
        "postcode": "02000",
        "website": "",
        "description": "Jardins solidaires et insertion.",
    }
    return {**data, **overrides}


@pytest.fixture
def member_client(client):
    client.force_login(UserFactory())
    return client


def create(client, **overrides):
    return client.post(reverse("organisation_create"), organisation_data(**overrides))


def test_it_registers_an_association_and_makes_its_creator_administrator(member_client):
    response = create(member_client)
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert organisation.status == Organisation.Status.REGISTERED
    membership = organisation.memberships.get()
    assert (membership.role, membership.status) == ("admin", "active")


def test_it_accepts_identifiers_typed_with_spaces(member_client):
    create(member_client, kind="company", rna="", siren="732 829 320", siret="732 829 320 00074")
    organisation = Organisation.objects.get()
    assert (organisation.siren, organisation.siret) == (VALID_SIREN, VALID_SIRET)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("siren", "732829321", "Numéro SIREN invalide"),
        ("siren", "12345", "Numéro SIREN invalide"),
        ("siret", "73282932000075", "Numéro SIRET invalide"),
        ("rna", "W12345", "Numéro RNA invalide"),
        ("rna", "X022001234", "Numéro RNA invalide"),
    ],
)
def test_it_refuses_an_invalid_identifier_in_french_and_keeps_the_input(
    member_client, field, value, message
):
    response = create(member_client, **{field: value})
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert f'value="{value}"' in response.text
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


def test_it_requires_an_identifier_for_an_association(member_client):
    response = create(member_client, rna="")
    assert "Indiquez le numéro RNA" in response.context["form"].errors["rna"][0]
    assert not Organisation.objects.exists()


def test_it_requires_a_siren_or_siret_for_a_company(member_client):
    response = create(member_client, kind="company", rna="")
    assert "Indiquez le SIREN ou le SIRET" in response.context["form"].errors["siren"][0]


def test_it_refuses_an_rna_for_a_company(member_client):
    response = create(member_client, kind="company", siren=VALID_SIREN)
    assert "Seules les associations" in response.context["form"].errors["rna"][0]


def test_it_refuses_a_siret_of_another_siren(member_client):
    response = create(member_client, kind="company", rna="", siren="542107651", siret=VALID_SIRET)
    assert "Le SIRET doit commencer par le SIREN" in response.context["form"].errors["siret"][0]


def test_it_refuses_a_postcode_from_another_departement(member_client):
    """Amiens's postcode with the Aisne chosen: a French error on the postcode, nothing saved."""
    response = create(member_client, postcode="80000")
    errors = response.context["form"].errors["postcode"]
    assert errors == ["Ce code postal n'appartient pas au département choisi (02)."]
    assert 'value="80000"' in response.text
    assert not Organisation.objects.exists()


def test_it_refuses_an_unknown_departement(member_client):
    response = create(member_client, departement="20", postcode="20000")
    assert "Sélectionnez un choix valide" in response.context["form"].errors["departement"][0]
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("departement", "postcode"),
    [("2A", "20000"), ("2B", "20200"), ("974", "97400"), ("976", "97600"), ("75", "75011")],
)
def test_it_accepts_every_departement_with_its_postcodes(member_client, departement, postcode):
    create(member_client, departement=departement, postcode=postcode)
    assert Organisation.objects.get().departement == departement


def test_it_does_not_offer_to_register_a_cress(member_client):
    response = create(member_client, kind="cress", rna="", siren=VALID_SIREN)
    assert "kind" in response.context["form"].errors
    assert not Organisation.objects.exists()


def test_registering_needs_a_login(client):
    response = create(client)
    assert response.status_code == 302
    assert not Organisation.objects.exists()


# Who may see an organisation


def test_a_member_sees_their_organisation(client, association_member):
    organisation = association_member.memberships.get().organisation
    client.force_login(association_member)
    assert client.get(organisation.get_absolute_url()).status_code == 200


def test_a_member_of_another_organisation_gets_a_404(client, association_member, other_member):
    organisation = association_member.memberships.get().organisation
    client.force_login(other_member)
    assert client.get(organisation.get_absolute_url()).status_code == 404


def test_anonymous_people_are_sent_to_log_in(client, association_member):
    organisation = association_member.memberships.get().organisation
    response = client.get(organisation.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_cress_staff_see_any_organisation(client, association_member, cress_staff):
    organisation = association_member.memberships.get().organisation
    client.force_login(cress_staff)
    assert client.get(organisation.get_absolute_url()).status_code == 200


def test_a_pending_member_cannot_see_the_organisation_yet(client, association_member):
    organisation = association_member.memberships.get().organisation
    pending = MembershipFactory(organisation=organisation, status=Membership.Status.PENDING).user
    client.force_login(pending)
    assert client.get(organisation.get_absolute_url()).status_code == 404


# Who may change an organisation


@pytest.fixture
def organisation_with_admin(association_admin):
    return association_admin.memberships.get().organisation


def edit_url(organisation):
    return reverse("organisation_edit", args=[organisation.pk])


def test_an_administrator_edits_their_organisation(client, association_admin):
    organisation = association_admin.memberships.get().organisation
    client.force_login(association_admin)
    data = organisation_data(
        name="Solidarité Somme et Picardie", departement="80", postcode="80000"
    )
    response = client.post(edit_url(organisation), data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Solidarité Somme et Picardie"


def test_new_identifiers_must_be_verified_again(client, association_admin):
    organisation = association_admin.memberships.get().organisation
    client.force_login(association_admin)
    data = organisation_data(departement="80", postcode="80000", rna="W802009999")
    client.post(edit_url(organisation), data)
    organisation.refresh_from_db()
    assert organisation.status == Organisation.Status.REGISTERED


def test_a_plain_member_cannot_edit(client, organisation_with_admin):
    member = MembershipFactory(organisation=organisation_with_admin).user
    client.force_login(member)
    assert client.get(edit_url(organisation_with_admin)).status_code == 403
    client.post(edit_url(organisation_with_admin), organisation_data(name="Piraté"))
    organisation_with_admin.refresh_from_db()
    assert organisation_with_admin.name == "Solidarité Somme"


def test_a_member_of_another_organisation_cannot_edit(
    client, organisation_with_admin, other_member
):
    client.force_login(other_member)
    assert client.get(edit_url(organisation_with_admin)).status_code == 404


def test_anonymous_people_cannot_edit(client, organisation_with_admin):
    assert client.get(edit_url(organisation_with_admin)).status_code == 302


def test_cress_staff_do_not_edit_a_structure_they_verify(
    client, organisation_with_admin, cress_staff
):
    client.force_login(cress_staff)
    assert client.get(edit_url(organisation_with_admin)).status_code == 403


# Joining


def test_it_finds_organisations_by_name_siren_or_rna(client):
    OrganisationFactory(name="Les Restos de Soissons", siren=VALID_SIREN)
    client.force_login(UserFactory())
    for query in ("restos", VALID_SIREN):
        response = client.get(reverse("organisation_join"), {"q": query})
        assert [o.name for o in response.context["results"]] == ["Les Restos de Soissons"]


def test_asking_to_join_creates_a_pending_membership(client):
    organisation = OrganisationFactory()
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("organisation_join"), {"organisation": organisation.pk})
    membership = Membership.objects.get(user=user)
    assert membership.status == Membership.Status.PENDING
    assert not user.roles


def test_asking_twice_creates_one_request(client):
    organisation = OrganisationFactory()
    client.force_login(UserFactory())
    for _ in range(2):
        client.post(reverse("organisation_join"), {"organisation": organisation.pk})
    assert Membership.objects.count() == 1


def test_a_suspended_organisation_cannot_be_joined(client):
    organisation = OrganisationFactory(status=Organisation.Status.SUSPENDED)
    client.force_login(UserFactory())
    response = client.post(reverse("organisation_join"), {"organisation": organisation.pk})
    assert response.status_code == 404
    assert not Membership.objects.exists()


def approve_url(membership):
    return reverse("membership_approve", args=[membership.organisation_id, membership.pk])


@pytest.fixture
def join_request(organisation_with_admin):
    return MembershipFactory(organisation=organisation_with_admin, status=Membership.Status.PENDING)


def test_an_administrator_approves_a_request(client, association_admin, join_request):
    client.force_login(association_admin)
    client.post(approve_url(join_request))
    join_request.refresh_from_db()
    assert join_request.status == Membership.Status.ACTIVE


def test_an_administrator_refuses_a_request(client, association_admin, join_request):
    client.force_login(association_admin)
    url = reverse("membership_refuse", args=[join_request.organisation_id, join_request.pk])
    client.post(url)
    assert not Membership.objects.filter(pk=join_request.pk).exists()


def test_a_plain_member_cannot_approve(client, organisation_with_admin, join_request):
    member = MembershipFactory(organisation=organisation_with_admin).user
    client.force_login(member)
    assert client.post(approve_url(join_request)).status_code == 403
    join_request.refresh_from_db()
    assert join_request.status == Membership.Status.PENDING


def test_an_outsider_cannot_approve(client, join_request, other_member):
    client.force_login(other_member)
    assert client.post(approve_url(join_request)).status_code == 404


def test_anonymous_people_cannot_approve(client, join_request):
    assert client.post(approve_url(join_request)).status_code == 302
    join_request.refresh_from_db()
    assert join_request.status == Membership.Status.PENDING


def test_approving_needs_a_post(client, association_admin, join_request):
    client.force_login(association_admin)
    assert client.get(approve_url(join_request)).status_code == 405


@pytest.mark.parametrize("value", ["abc", "", "1 OR 1=1"])
def test_a_malformed_join_request_is_a_404_not_a_crash(client, value):
    client.force_login(UserFactory())
    response = client.post(reverse("organisation_join"), {"organisation": value})
    assert response.status_code == 404
    assert not Membership.objects.exists()
