"""Published needs and the skills catalogue, for anyone: what volunteers see, nothing more."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Organisation
from matching.models import Skill
from tests.factories import NeedFactory, OrganisationFactory, UserFactory, skill

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_anyone_reads_the_published_needs_of_verified_structures_only(api, association):
    published = NeedFactory(organisation=association)
    NeedFactory(organisation=association, status="draft", published_at=None)
    NeedFactory(organisation=association, status="matched")
    for status in (Organisation.Status.REGISTERED, Organisation.Status.SUSPENDED):
        NeedFactory(organisation=OrganisationFactory(status=status))
    assert ids(api.get(reverse("api_published_needs-list"))) == [published.pk]


@pytest.mark.parametrize("status", ["draft", "cancelled", "completed"])
def test_a_need_not_published_is_not_found(api, association, status):
    need = NeedFactory(organisation=association, status=status, published_at=None)
    response = api.get(reverse("api_published_needs-detail", args=[need.pk]))
    assert response.status_code == 404
    assert response.json() == {"detail": "Non trouvé."}


def test_a_published_need_of_an_unverified_structure_is_not_found(api):
    need = NeedFactory(organisation=OrganisationFactory(status=Organisation.Status.REGISTERED))
    assert api.get(reverse("api_published_needs-detail", args=[need.pk])).status_code == 404


def test_a_published_need_shows_no_contact_details_and_no_name(api):
    """The structure's name, town and département; never who posted it or how to reach them."""
    structure = OrganisationFactory(
        name="Les Jardins de Laon",
        street_address="12 rue des Lilas",
        website="https://jardins.example",
        description="Contact : Mme Durand",
        siren="732829320",
    )
    author = UserFactory(
        first_name="Hortense", last_name="Durand", email="h.durand@jardins.example",
        phone="06 11 22 33 44",
    )  # fmt: skip
    need = NeedFactory(organisation=structure, created_by=author)
    text = api.get(reverse("api_published_needs-detail", args=[need.pk])).content.decode()
    for secret in (
        "Hortense", "Durand", "h.durand", "06 11 22 33 44", "12 rue des Lilas",
        "jardins.example", "732829320",
    ):  # fmt: skip
        assert secret not in text
    organisation = api.get(reverse("api_published_needs-detail", args=[need.pk])).json()[
        "organisation"
    ]
    assert organisation == {
        "name": "Les Jardins de Laon",
        "town": structure.commune_name,
        "departement": "02",
        "departement_label": "02 – Aisne",
    }


def test_a_published_need_names_its_skills_in_the_language_asked(api, association):
    need = NeedFactory(organisation=association, main_skill=skill("fonds-europeens"))
    need.secondary_skills.add(skill("commande-publique"))
    url = reverse("api_published_needs-detail", args=[need.pk])
    french = api.get(url).json()
    english = api.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert french["main_skill"]["name"] == skill("fonds-europeens").name_fr
    assert english["main_skill"]["name"] == skill("fonds-europeens").name_en
    assert [s["code"] for s in french["secondary_skills"]] == ["commande-publique"]


# The same filters as the page, the same needs


@pytest.fixture
def needs_to_filter(association, other_member):
    """Needs differing in each filter's field, in the Aisne and the Nord."""
    nord = other_member.memberships.get().organisation
    in_days = datetime.timedelta
    NeedFactory(
        organisation=association, title="Paie et contrats", main_skill=skill("droit-du-travail")
    )
    NeedFactory(
        organisation=association, main_skill=skill("controle-gestion"), remote_ok=True,
        format="short_session", estimated_hours=2,
    )  # fmt: skip
    secondary = NeedFactory(organisation=nord, title="Bilan annuel", departement="59")
    secondary.secondary_skills.add(skill("droit-du-travail"))
    NeedFactory(
        organisation=nord, departement="59", wished_start=TODAY + in_days(200),
        wished_end=TODAY + in_days(260),
    )  # fmt: skip
    NeedFactory(organisation=association, status="draft", published_at=None)


QUERIES = [
    "",
    "departement=59",
    "remote_ok=true",
    "remote_ok=false",
    "format=short_session",
    "ordering=date",
    "ordering=-date",
    "q=paie",
    "departement=02&remote_ok=false&ordering=date",
    f"available_from={TODAY + datetime.timedelta(days=150)}",
    f"available_until={TODAY + datetime.timedelta(days=10)}",
]


@pytest.mark.parametrize("query", QUERIES)
def test_filters_give_the_same_needs_as_the_page(api, client, volunteer, needs_to_filter, query):
    client.force_login(volunteer)
    page = client.get(f"{reverse('need_list')}?{query}")
    on_the_page = [need.pk for need in page.context["page"].object_list]
    assert ids(api.get(f"{reverse('api_published_needs-list')}?{query}")) == on_the_page


@pytest.mark.parametrize("field", ["skill", "domain"])
def test_the_skill_and_domain_filters_give_the_same_needs_as_the_page(
    api, client, volunteer, needs_to_filter, field
):
    """By the skill's (or its domain's) id; a secondary skill counts, as on the page."""
    travail = skill("droit-du-travail")
    query = f"{field}={travail.pk if field == 'skill' else travail.domain_id}"
    client.force_login(volunteer)
    page = client.get(f"{reverse('need_list')}?{query}")
    on_the_page = [need.pk for need in page.context["page"].object_list]
    assert on_the_page  # not a vacuous equality
    assert ids(api.get(f"{reverse('api_published_needs-list')}?{query}")) == on_the_page


def test_a_wrong_filter_value_is_refused_in_french(api):
    response = api.get(reverse("api_published_needs-list"), {"departement": "999", "skill": "x"})
    assert response.status_code == 400
    body = response.json()
    assert "choix valide" in body["departement"][0]
    assert "choix valide" in body["skill"][0]


@pytest.mark.parametrize("page", ["0", "2", "abc", "99999999999999999999"])
def test_a_page_out_of_range_is_a_json_404_in_french(api, association, page):
    NeedFactory(organisation=association)
    response = api.get(reverse("api_published_needs-list"), {"page": page})
    assert response.status_code == 404
    assert response.json() == {"detail": "Page non valide."}


@pytest.mark.parametrize("rows", [3, 50])
def test_the_published_needs_list_runs_3_queries(api, django_assert_num_queries, rows):
    """Count, rows with structure, skill and domain, and their secondary skills."""
    for need in NeedFactory.create_batch(rows):
        need.secondary_skills.add(skill("droit-du-travail"))
    with django_assert_num_queries(3):
        response = api.get(reverse("api_published_needs-list"))
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [3, 50])
def test_the_filtered_list_runs_4_queries(api, django_assert_num_queries, rows):
    """As unfiltered, and the chosen skill read to validate the filter."""
    NeedFactory.create_batch(rows, departement="02", main_skill=skill("controle-gestion"))
    filters = {"skill": skill("controle-gestion").pk, "departement": "02"}
    with django_assert_num_queries(4):
        response = api.get(reverse("api_published_needs-list"), filters)
    assert response.json()["count"] == rows


# The catalogue


def test_the_catalogue_lists_the_active_skills_in_order_with_their_domain(api):
    retired = skill("droit-du-travail")
    Skill.objects.filter(pk=retired.pk).update(is_active=False)
    with_domain = api.get(reverse("api_skills-list")).json()
    assert [row["id"] for row in with_domain] == [s.pk for s in Skill.objects.for_pickers()]
    assert retired.pk not in [row["id"] for row in with_domain]
    first = Skill.objects.for_pickers().first()
    assert with_domain[0]["domain"] == {
        "id": first.domain_id, "code": first.domain.code, "name": first.domain.name_fr,
    }  # fmt: skip


def test_the_catalogue_runs_1_query_and_the_domains_1(api, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert api.get(reverse("api_skills-list")).status_code == 200
    with django_assert_num_queries(1):
        assert api.get(reverse("api_domains-list")).status_code == 200


def test_the_public_endpoints_refuse_writes(api):
    response = api.post(reverse("api_published_needs-list"), {}, format="json")
    assert response.status_code == 405
    assert "non autorisée" in response.json()["detail"]
