"""The published needs for anyone (/besoins-publies/): only published needs of verified
structures, never a person; filters in the URL; tags for sharing; the call to act by role."""

import datetime
import re
from html import unescape
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation
from matching.models import Skill
from tests.factories import MembershipFactory, NeedFactory, OrganisationFactory, UserFactory, skill

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
        {"status": "cancelled", "published_at": None},  # cancelled while still a draft
    ],
    ids=["draft", "cancelled-draft"],
)
def test_a_need_never_published_is_neither_listed_nor_shown(client, need, change):
    for field, value in change.items():
        setattr(need, field, value)
    need.save()
    assert titles(client.get(reverse("public_needs"))) == []
    response = client.get(reverse("public_need", args=[need.pk]))
    assert response.status_code == 404
    assert need.title not in response.content.decode()  # nothing of it, not even its title
    assert "plus ouvert" not in response.content.decode()


@pytest.mark.parametrize("status", ["registered", "suspended"])
@pytest.mark.parametrize("need_status", ["published", "cancelled", "matched"])
def test_the_needs_of_a_structure_not_verified_are_neither_listed_nor_shown(
    client, need, somme, status, need_status
):
    need.status = need_status
    need.save()
    somme.status = status
    somme.save()
    assert titles(client.get(reverse("public_needs"))) == []
    response = client.get(reverse("public_need", args=[need.pk]))
    assert response.status_code == 404
    assert need.title not in response.content.decode()
    assert "plus ouvert" not in response.content.decode()


# A shared link to a need no longer open


CLOSED = ["matched", "in_progress", "completed", "cancelled", "expired"]


@pytest.mark.parametrize("status", CLOSED)
def test_a_need_once_published_and_no_longer_open_is_gone_with_the_open_ones_near_it(
    client, need, somme, status
):
    gestion = skill("controle-gestion")
    NeedFactory(organisation=somme, title="Un autre besoin de gestion", main_skill=gestion)
    NeedFactory(title="Gestion dans l'Aisne", departement="02", main_skill=gestion)
    NeedFactory(organisation=somme, title="Fonds européens dans la Somme")
    need.status = status
    need.save()
    assert titles(client.get(reverse("public_needs"))).count(need.title) == 0
    response = client.get(reverse("public_need", args=[need.pk]))
    assert response.status_code == 410  # Gone: it was public, it is no more
    html = unescape(response.content.decode())
    assert "Ce besoin n'est plus ouvert" in html
    assert "Refaire notre plan de financement" in html
    assert '<meta name="robots" content="noindex">' in html
    # The open needs of the same département and skill, and the lists to look further.
    assert "Un autre besoin de gestion" in html
    assert "Gestion dans l'Aisne" not in html and "Fonds européens dans la Somme" not in html
    lists = reverse("public_needs")
    assert f'href="{lists}?departement=80&skill={gestion.pk}"' in html
    assert f'href="{lists}?departement=80"' in html
    assert f'href="{lists}?skill={gestion.pk}"' in html
    assert "Je propose mes compétences" not in html
    assert "Nous cherchons un regard extérieur" not in html  # its description is not shown


def test_a_gone_need_with_nothing_open_near_it_says_so(client, need):
    need.status = "expired"
    need.save()
    response = client.get(reverse("public_need", args=[need.pk]))
    assert response.status_code == 410
    assert "Aucun besoin de cette compétence n'est ouvert dans ce département" in (
        unescape(response.content.decode())
    )


def test_a_gone_need_shows_no_person(client, need, somme):
    need.status = "cancelled"
    need.save()
    html = unescape(client.get(reverse("public_need", args=[need.pk])).content.decode())
    for person in [m.user for m in somme.memberships.all()]:
        for shown in (person.first_name, person.last_name, person.email, person.phone):
            assert shown not in html
    assert "@" not in html


def test_a_gone_need_runs_a_fixed_number_of_queries(client, need, django_assert_num_queries):
    need.status = "matched"
    need.save()
    NeedFactory.create_batch(4, departement="80", main_skill=need.main_skill)
    # the need looked up as published (none), then as once published; the filter's skill;
    # the open needs near it and their secondary skills
    with django_assert_num_queries(5):
        response = client.get(reverse("public_need", args=[need.pk]))
    assert response.status_code == 410


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


# Filters, order, pages


def test_filters_by_departement_skill_and_domain_in_the_url(client):
    somme = OrganisationFactory(departement="80", postcode="80000")
    NeedFactory(organisation=somme, title="Somme, gestion", main_skill=skill("controle-gestion"))
    NeedFactory(organisation=somme, title="Somme, fonds européens")
    NeedFactory(title="Aisne, gestion", main_skill=skill("controle-gestion"))
    url = reverse("public_needs")
    assert titles(client.get(url, {"departement": "80"})) == [
        "Somme, fonds européens",
        "Somme, gestion",
    ]
    gestion = skill("controle-gestion")
    assert titles(client.get(url, {"departement": "80", "skill": gestion.pk})) == ["Somme, gestion"]
    assert titles(client.get(url, {"domain": gestion.domain_id})) == [
        "Aisne, gestion",
        "Somme, gestion",
    ]


def test_the_departement_picker_lists_the_region_first(client):
    html = client.get(reverse("public_needs")).content.decode()
    region = html.index('<optgroup label="Hauts-de-France">')
    others = html.index('<optgroup label="Autres départements">')
    assert region < html.index('value="80"') < others < html.index('value="75"')


def test_newest_first_and_twenty_a_page_with_the_filters_kept(client):
    now = timezone.now()
    for days in range(25):
        NeedFactory(
            title=f"Besoin d'il y a {days} jours",
            published_at=now - datetime.timedelta(days=days),
            departement="02",
        )
    first = client.get(reverse("public_needs"), {"departement": "02"})
    assert titles(first)[:2] == ["Besoin d'il y a 0 jours", "Besoin d'il y a 1 jours"]
    assert len(titles(first)) == 20
    assert 'href="?departement=02&amp;page=2"' in first.content.decode()
    second = client.get(reverse("public_needs"), {"departement": "02", "page": 2})
    assert titles(second) == [f"Besoin d'il y a {days} jours" for days in range(20, 25)]


def test_a_filter_that_is_not_one_shows_the_form_error_not_a_500(client):
    response = client.get(reverse("public_needs"), {"departement": "999", "skill": "abc"})
    assert response.status_code == 200
    assert response.context["filter"].errors


def test_with_no_need_at_all_the_page_says_what_to_do(client):
    html = client.get(reverse("public_needs")).content.decode()
    assert "Aucun besoin n'est publié pour le moment." in html
    assert "publiez une offre de compétences" in html
    assert f'href="{reverse("signup")}"' in html


def test_with_no_need_for_the_filters_the_page_says_how_to_widen(client):
    NeedFactory(departement="02")
    html = client.get(reverse("public_needs"), {"departement": "80"}).content.decode()
    assert "Aucun besoin publié ne correspond à ces filtres." in html
    assert f'href="{reverse("public_needs")}"' in html


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_runs_the_same_queries_for_3_and_30_needs(client, django_assert_num_queries, rows):
    for _ in range(rows):  # each need of its own structure
        NeedFactory(main_skill=skill("controle-gestion")).secondary_skills.add(
            skill("fonds-europeens")
        )
    # count, rows with structure, skill and domain, their secondary skills; the filter form's
    # skill and domain choices
    with django_assert_num_queries(5):
        response = client.get(reverse("public_needs"))
    assert len(titles(response)) == min(rows, 20)
    assert "Compétences complémentaires : Fonds européens" in response.content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_filtered_runs_the_same_queries_for_3_and_30_needs(
    client, django_assert_num_queries, rows
):
    NeedFactory.create_batch(rows, departement="59", main_skill=skill("controle-gestion"))
    filters = {"departement": "59", "skill": skill("controle-gestion").pk}
    # as unfiltered, and the chosen skill read to validate the filter
    with django_assert_num_queries(6):
        response = client.get(reverse("public_needs"), filters)
    assert response.context["page"].paginator.count == rows


@pytest.mark.parametrize("secondary", [1, 5])
def test_a_need_s_page_runs_two_queries(client, django_assert_num_queries, secondary):
    need = NeedFactory()
    need.secondary_skills.add(*Skill.objects.for_pickers()[:secondary])
    # the need with its structure, skill and domain; its secondary skills
    with django_assert_num_queries(2):
        response = client.get(reverse("public_need", args=[need.pk]))
    assert len(response.context["secondary_skills"]) == secondary


# Sharing


def meta(html, attribute, name):
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return unescape(found.group(1)) if found else None


def test_a_need_s_page_has_its_title_description_canonical_and_share_tags(client, need, settings):
    settings.SITE_URL = "https://probono.example.org/"
    need.description = (
        "Nous cherchons   un regard extérieur\nsur notre modèle économique : "
        "<b>plan de financement</b>, " + "tarifs et subventions, " * 10
    )
    need.save()
    html = client.get(reverse("public_need", args=[need.pk])).content.decode()
    url = f"https://probono.example.org/besoins-publies/{need.pk}/"
    assert "<title>Refaire notre plan de financement · Probono</title>" in html
    description = meta(html, "name", "description")
    assert description.startswith(
        "Nous cherchons un regard extérieur sur notre modèle économique : <b>plan"
    )  # plain text on one line, escaped in the page (the <b> is text, not markup)
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert len(description) <= 160 and description.endswith("…")
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "property", "og:title") == "Refaire notre plan de financement"
    assert meta(html, "property", "og:description") == description
    assert meta(html, "property", "og:url") == url
    assert meta(html, "property", "og:type") == "article"
    assert meta(html, "property", "og:site_name") == "Probono"
    assert meta(html, "property", "og:locale") == "fr_FR"
    assert meta(html, "name", "twitter:card") == "summary"
    assert meta(html, "name", "twitter:title") == "Refaire notre plan de financement"
    assert meta(html, "name", "twitter:description") == description


def test_a_short_description_is_shared_whole(client, need):
    need.description = "Deux séances\nà Amiens."
    need.save()
    html = client.get(reverse("public_need", args=[need.pk])).content.decode()
    assert meta(html, "name", "description") == "Deux séances à Amiens."


def test_the_list_filtered_by_departement_is_a_link_to_share(client, settings):
    settings.SITE_URL = "https://probono.example.org"
    response = client.get(reverse("public_needs"), {"departement": "80", "page": "1"})
    html = response.content.decode()
    assert "<title>Besoins publiés : 80 – Somme · Probono</title>" in html
    assert "<h1>Besoins publiés : 80 – Somme</h1>" in html
    url = "https://probono.example.org/besoins-publies/?departement=80"
    assert meta(html, "property", "og:url") == url
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "property", "og:title") == "Besoins publiés : 80 – Somme"


def test_the_shared_address_keeps_only_the_filters_in_use(client, settings, need):
    """The filter form sends every field, empty ones included, and links pick up trackers:
    the canonical address names only the valid filters chosen, not the order nor the page."""
    settings.SITE_URL = "https://probono.example.org"
    skill_pk = need.main_skill_id
    query = f"?q=&skill={skill_pk}&domain=&departement=&ordering=date&page=1&utm_source=x"
    html = client.get(reverse("public_needs") + query).content.decode()
    url = f"https://probono.example.org/besoins-publies/?skill={skill_pk}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert meta(html, "property", "og:url") == url


def test_an_invalid_filter_is_not_shared(client, settings):
    settings.SITE_URL = "https://probono.example.org"
    html = client.get(reverse("public_needs"), {"skill": "abc"}).content.decode()
    assert '<link rel="canonical" href="https://probono.example.org/besoins-publies/">' in html


# The call to act, by who reads the page


def call_section(client, need):
    html = client.get(reverse("public_need", args=[need.pk])).content.decode()
    return html[html.index('id="je-propose"') :]


def test_anonymous_visitors_are_told_the_steps_and_sent_to_sign_up(client, need):
    section = call_section(client, need)
    assert "confirmez votre adresse e-mail, rattachez-vous à votre employeur" in section
    back = f"?next=%2Fbesoins-publies%2F{need.pk}%2F"
    assert f'<a class="button" href="{reverse("signup")}{back}">Je propose mes compétences</a>' in (
        section
    )
    assert f'href="{reverse("login")}{back}"' in section


def test_a_volunteer_is_sent_to_the_need_s_page_where_they_raise_their_hand(
    client, need, volunteer
):
    client.force_login(volunteer)
    section = call_section(client, need)
    detail = reverse("need_detail", args=[need.pk])
    assert f'<a class="button" href="{detail}#interest">Je propose mes compétences</a>' in section
    page = client.get(detail)
    assert page.status_code == 200
    assert reverse("need_interest", args=[need.pk]) in page.content.decode() or (
        reverse("offer_create") in page.content.decode()
    )


@pytest.mark.parametrize(
    ("who", "says"),
    [
        ("association_member", "Votre compte est celui d'une structure de l'ESS"),
        ("cress_staff", "En tant qu'équipe de la CRESS"),
    ],
)
def test_association_members_and_cress_staff_get_no_button_but_a_line(
    client, need, request, who, says
):
    client.force_login(request.getfixturevalue(who))
    section = call_section(client, need)
    assert says in section
    assert 'class="button"' not in section


def test_the_structure_s_own_members_are_sent_to_manage_it(client, need, somme):
    client.force_login(somme.memberships.first().user)
    section = call_section(client, need)
    assert "C'est un besoin de votre structure" in section
    assert 'class="button"' not in section


def test_an_account_without_employer_is_told_to_join_one(client, need):
    client.force_login(UserFactory())
    section = call_section(client, need)
    back = reverse("public_need", args=[need.pk]).replace("/", "%2F")
    assert f'href="{reverse("organisation_join")}?next={back}"' in section  # and back here
    assert 'class="button"' not in section


def test_an_account_waiting_for_its_employer_s_answer_is_told_so(client, need):
    """Asked to join, not accepted yet: the need says the request waits (and the e-mail that
    will come), not « rattachez-vous d'abord » again."""
    person = UserFactory()
    employer = OrganisationFactory(kind=Organisation.Kind.COMPANY, name="Banque du Nord")
    MembershipFactory(user=person, organisation=employer, status=Membership.Status.PENDING)
    client.force_login(person)
    section = call_section(client, need)
    assert "Votre demande pour rejoindre Banque du Nord attend" in section
    assert "rattachez-vous d&#x27;abord" not in section and "rattachez-vous d'abord" not in section


def test_an_unconfirmed_account_reads_the_need_and_is_told_to_confirm(client, need):
    client.force_login(UserFactory(email_confirmed_at=None))
    section = call_section(client, need)
    assert f'href="{reverse("email_confirmation_required")}"' in section
    assert 'class="button"' not in section


# The sitemap


def test_the_sitemap_lists_the_published_needs_only(client, need, settings):
    settings.SITE_URL = "https://probono.example.org"
    draft = NeedFactory(status="draft", published_at=None)
    suspended = NeedFactory(organisation=OrganisationFactory(status="suspended"))
    response = client.get(reverse("public_needs_sitemap"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert ElementTree.fromstring(response.content).tag.endswith("urlset")  # well-formed
    locations = re.findall(r"<loc>([^<]*)</loc>", response.content.decode())
    assert locations == [
        "https://probono.example.org/besoins-publies/",
        f"https://probono.example.org/besoins-publies/{need.pk}/",
    ]
    assert draft.pk != need.pk and suspended.pk != need.pk  # neither a draft nor suspended


@pytest.mark.parametrize("rows", [3, 30])
def test_the_sitemap_runs_one_query(client, django_assert_num_queries, rows):
    NeedFactory.create_batch(rows)
    with django_assert_num_queries(1):
        response = client.get(reverse("public_needs_sitemap"))
    assert response.content.decode().count("<loc>") == rows + 1


@pytest.mark.parametrize(
    ("filters", "title"),
    [
        ({"skill": "controle-gestion"}, "Besoins publiés : Contrôle de gestion"),
        (
            {"departement": "80", "skill": "controle-gestion"},
            "Besoins publiés : Contrôle de gestion, 80 – Somme",
        ),
    ],
)
def test_the_list_filtered_by_skill_names_the_skill_in_its_title(client, filters, title):
    query = {**filters, "skill": skill(filters["skill"]).pk}
    html = client.get(reverse("public_needs"), query).content.decode()
    assert skill("controle-gestion").name == "Contrôle de gestion"
    assert meta(html, "property", "og:title") == title
    assert meta(html, "name", "twitter:title") == title
    assert f"<h1>{title}</h1>" in unescape(html)
