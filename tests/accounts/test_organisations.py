"""Registering, seeing, editing and joining organisations, with their identifiers checked."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Organisation
from tests.accounts.test_postcodes import POSTCODES_OF_TWO_DEPARTEMENTS
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
        "postcode": "02000",
        "commune": "02408",
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


def test_a_postcode_of_one_commune_picks_it(member_client):
    """Amiens is the only commune of 80000: no need to choose it, the Somme follows."""
    response = create(member_client, postcode="80000", commune="")
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert (organisation.commune, organisation.departement) == ("80021", "80")


def test_a_postcode_of_several_communes_asks_which_one_and_keeps_the_input(member_client):
    """01200 covers communes of the Ain and Haute-Savoie: the form asks, keeps what was typed."""
    response = create(member_client, postcode="01200", commune="")
    assert response.status_code == 200
    assert response.context["form"].errors["commune"] == [
        "Ce code postal couvre plusieurs communes : choisissez la vôtre."
    ]
    assert '<option value="01033">Valserhône (01 – Ain)</option>' in response.text
    assert '<option value="74109">Éloise (74 – Haute-Savoie)</option>' in response.text
    assert 'value="Les Jardins partagés de Laon"' in response.text
    assert 'value="W022001234"' in response.text
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


@pytest.mark.parametrize(("postcode", "departement", "insee"), POSTCODES_OF_TWO_DEPARTEMENTS)
def test_the_departement_follows_the_chosen_commune(member_client, postcode, departement, insee):
    """Whichever side of a shared postcode the commune lies on, the structure is filed there."""
    response = create(member_client, postcode=postcode, commune=insee)
    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert (organisation.postcode, organisation.commune) == (postcode, insee)
    assert organisation.departement == departement


def test_a_typed_departement_is_ignored(member_client):
    """The département is not asked for: a posted one cannot contradict the commune."""
    create(member_client, departement="59", postcode="80000", commune="80021")
    assert Organisation.objects.get().departement == "80"


def test_a_commune_of_another_postcode_is_not_taken(member_client):
    """Amiens posted with Laon's postcode (say, after the postcode was changed): asked again."""
    response = create(member_client, postcode="02000", commune="80021")
    assert "choisissez la vôtre" in response.context["form"].errors["commune"][0]
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("postcode", ["59999", "97133", "97150"])
def test_it_refuses_an_unknown_postcode_in_french(member_client, postcode):
    """A postcode of no commune of a département (97133 is Saint-Barthélemy's): a French error."""
    response = create(member_client, postcode=postcode, commune="")
    errors = response.context["form"].errors["postcode"]
    assert errors == ["Ce code postal ne correspond à aucune commune d'un département français."]
    assert f'value="{postcode}"' in response.text
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("departement", "postcode", "commune"),
    [
        ("2A", "20000", "2A004"),
        ("2B", "20200", "2B033"),
        ("974", "97400", "97411"),
        ("976", "97600", "97611"),
        ("75", "75011", "75056"),
    ],
)
def test_it_accepts_every_departement_with_its_postcodes(
    member_client, departement, postcode, commune
):
    create(member_client, postcode=postcode, commune=commune)
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
    data = organisation_data(name="Solidarité Somme et Picardie", postcode="80000", commune="80021")
    response = client.post(edit_url(organisation), data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Solidarité Somme et Picardie"


def test_new_identifiers_must_be_verified_again(client, association_admin):
    organisation = association_admin.memberships.get().organisation
    client.force_login(association_admin)
    data = organisation_data(postcode="80000", commune="80021", rna="W802009999")
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


def test_asking_to_join_creates_a_pending_membership(client, organisation_with_admin):
    organisation = organisation_with_admin
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("organisation_join"), {"organisation": organisation.pk})
    membership = Membership.objects.get(user=user)
    assert membership.status == Membership.Status.PENDING
    assert not user.roles


def test_asking_twice_creates_one_request(client, organisation_with_admin):
    user = UserFactory()
    client.force_login(user)
    for _ in range(2):
        client.post(reverse("organisation_join"), {"organisation": organisation_with_admin.pk})
    assert Membership.objects.filter(user=user).count() == 1


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


# The commune on the structure's pages


def test_the_edit_form_lists_the_postcodes_communes_with_the_structures_selected(client):
    """Editing a structure of a many-commune postcode shows its commune chosen in the list."""
    organisation = OrganisationFactory(postcode="02000", commune="02408")
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user
    client.force_login(admin)
    response = client.get(edit_url(organisation))
    assert '<option value="02408" selected>Laon</option>' in response.text
    assert '<option value="02037">Aulnois-sous-Laon</option>' in response.text


def test_changing_the_postcode_to_one_of_another_departement_moves_the_structure(
    client, association_admin
):
    """A new postcode of one commune replaces the old commune, and the département follows."""
    organisation = association_admin.memberships.get().organisation
    client.force_login(association_admin)
    client.post(edit_url(organisation), organisation_data(postcode="59000", commune="80021"))
    organisation.refresh_from_db()
    place = (organisation.postcode, organisation.commune, organisation.departement)
    assert place == ("59000", "59350", "59")


def test_the_structure_page_names_its_commune(client, association_admin):
    """Members read the commune's name next to the postcode, not an INSEE code."""
    organisation = association_admin.memberships.get().organisation
    client.force_login(association_admin)
    response = client.get(organisation.get_absolute_url())
    assert "<dt>Commune</dt><dd>Amiens</dd>" in response.text
