"""What search engines read: /robots.txt (everything public open, the private areas closed,
the sitemaps named by their full address) and the sitemap of the pages and the FAQ."""

import re
from urllib.robotparser import RobotFileParser
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from pages.models import Page

pytestmark = pytest.mark.django_db

SITE = "https://probono.example.org"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE + "/"


def robots(client):
    response = client.get("/robots.txt")
    parser = RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return response, parser


def test_robots_txt_names_both_sitemaps_by_their_full_address(client, site):
    response, _parser = robots(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    sitemaps = re.findall(r"^Sitemap: (\S+)$", response.content.decode(), re.MULTILINE)
    assert sitemaps == [SITE + reverse("pages_sitemap"), SITE + reverse("public_needs_sitemap")]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/comprendre/",
        "/comprendre/entreprises/",
        "/questions-frequentes/",
        "/besoins-publies/",
        "/besoins-publies/12/",
        "/besoins-publies/?departement=80",
        "/besoins-publies/sitemap.xml",
        "/comprendre/sitemap.xml",
        "/accessibilite/",
        "/confidentialite/",
    ],
)
def test_public_pages_are_open_to_robots(client, path):
    assert robots(client)[1].can_fetch("*", path)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/api/mes-besoins/",
        "/compte/profil/",
        "/besoins/12/",  # a need's own page, for signed-in people; not /besoins-publies/
        "/offres/",
        "/structures/3/",
        "/missions/4/",
        "/cress/revue/",
        "/mecenat/",
        "/observatoire/",
        "/notifications/",
        "/propositions/5/",
        "/invitation/abc/",
        "/rejoindre/abc/",
    ],
)
def test_private_areas_are_closed_to_robots(client, path):
    assert not robots(client)[1].can_fetch("*", path)


def test_robots_txt_answers_only_reads(client):
    assert client.post("/robots.txt").status_code == 405


def test_the_pages_sitemap_lists_home_the_index_each_page_and_the_faq(client, loaded, site):
    response = client.get(reverse("pages_sitemap"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert ElementTree.fromstring(response.content).tag.endswith("urlset")  # well-formed
    locations = re.findall(r"<loc>([^<]*)</loc>", response.content.decode())
    pages = [SITE + reverse("page_detail", args=[p.slug]) for p in Page.objects.for_index()]
    assert len(pages) == 5
    assert locations == [
        SITE + "/",
        SITE + reverse("pages_index"),
        *pages,
        SITE + reverse("faq"),
    ]
    assert response.content.decode().count("<lastmod>") == len(pages)


@pytest.mark.parametrize("extra", [0, 10])
def test_the_pages_sitemap_runs_one_query(client, loaded, django_assert_num_queries, extra):
    for n in range(extra):
        Page.objects.create(slug=f"page-{n}", title_fr="Page", summary_fr="R.", body_fr="T.")
    with django_assert_num_queries(1):
        response = client.get(reverse("pages_sitemap"))
    assert response.content.decode().count("<loc>") == 5 + extra + 3
