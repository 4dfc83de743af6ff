"""The observatory's dashboard page: who sees which territory, the filter form, each figure
group as an accessible chart and table, French numbers, and a query count that does not grow
with the rows. The figures themselves: tests/observatory/test_figures.py."""

import re
from datetime import date
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from accounts.models import Organisation
from observatory.charts import COUNT, DAYS, HOURS, PERCENT, RATE, bar_chart, count_ticks, formatted
from observatory.scope import Selection
from tests.factories import MembershipFactory, NeedFactory, OrganisationFactory, skill
from tests.observatory.test_figures import at, build_small_territory

pytestmark = pytest.mark.django_db

FIRST_HALF = {"start": "2026-01-01", "end": "2026-06-30"}
GROUPS = 9  # needs, areas, proposals, rejections, declines, delays, offers, population, map


@pytest.fixture
def somme_reviewer(db):
    """A reviewer of a CRESS antenna covering the Somme only."""
    cress = OrganisationFactory(kind=Organisation.Kind.CRESS, departement="80", postcode="80000")
    return MembershipFactory(organisation=cress, review_departements=["80"]).user


@pytest.fixture
def small_territory(db):
    build_small_territory()


def dashboard(client, user, **params):
    client.force_login(user)
    return client.get(reverse("observatory"), params)


def key_figures(response):
    return {str(name): cell.value for name, cell in response.context["key_figures"]}


def table(response, slug):
    """{row label: [cell values]} of a figure group's table."""
    group = next(group for group in response.context["groups"] if group.slug == slug)
    return {str(row.label): [cell.value for cell in row.cells]
            for rows in group.table.groups for row in rows.rows}  # fmt: skip


def text(response):
    return response.content.decode()


def test_staff_see_the_region_over_the_period(client, cress_staff, small_territory):
    response = dashboard(client, cress_staff, **FIRST_HALF)
    assert response.status_code == 200
    assert response.context["selection"] == Selection(
        date(2026, 1, 1), date(2026, 6, 30), ("02", "59", "60", "62", "80")
    )
    assert "Toute la région, du 1 janvier 2026 au 30 juin 2026" in text(response)
    assert key_figures(response) == {
        "Besoins publiés": 5, "Part des besoins servis": 40, "Heures données": 3.5,
        "Bénévoles actifs aujourd'hui": 2,
    }  # fmt: skip


def test_each_group_has_a_table_of_its_numbers(client, cress_staff, small_territory):
    response = dashboard(client, cress_staff, **FIRST_HALF)
    assert table(response, "besoins")["Toujours en attente"] == [1, 20]
    assert table(response, "propositions") == {
        "Proposées (par le moteur ou par intérêt)": [5],
        "Approuvées par la CRESS": [4],
        "Rejetées par la CRESS": [2],
        "Acceptées par toutes les parties": [3],
        "Déclinées par une partie": [1],
    }
    assert table(response, "rejets")["Total"] == [2]
    assert table(response, "delais")["De la publication à la première approbation"] == [4, 3]
    assert table(response, "domaines")["Fonds européens"] == [2, 1, 50]
    assert table(response, "departements")["59 – Nord"][1:4] == [2, 0, 0]


def test_the_five_priority_areas_come_first(client, cress_staff, small_territory):
    html = text(dashboard(client, cress_staff, **FIRST_HALF))
    section = html[html.index('id="domaines"') : html.index('id="propositions"')]
    rows = re.findall(r'<th scope="(?:row|rowgroup)"[^>]*>([^<]+)</th>', section)
    assert rows[:6] == [
        "Domaines prioritaires de l&#x27;étude 2019", "Fonction employeur / RH",
        "Veille réglementaire", "Modèle économique", "Fonds européens", "Commande publique",
    ]  # fmt: skip
    assert rows[6] == "Autres domaines"


def test_numbers_are_written_the_french_way(client, cress_staff, small_territory):
    html = text(dashboard(client, cress_staff, **FIRST_HALF))
    assert "5\xa0992\xa0194 habitants" in html  # the region's population, grouped
    assert ">3,5&nbsp;h<" in html  # hours given
    assert ">50&nbsp;%<" in html  # EU funds' needs served
    assert "50\xa0%" in html  # the same, printed on the chart


def test_a_share_of_nothing_is_a_dash_read_as_such(client, cress_staff):
    html = text(dashboard(client, cress_staff, **FIRST_HALF))
    assert (
        '<span aria-hidden="true">–</span><span class="visually-hidden">sans objet</span>' in html
    )


def test_each_chart_is_a_named_image_a_strict_csp_allows(client, cress_staff, small_territory):
    html = text(dashboard(client, cress_staff, **FIRST_HALF))
    charts = re.findall(r"<svg[^>]*>", html)
    assert len(charts) == GROUPS
    assert all('role="img"' in svg and 'aria-label="' in svg for svg in charts)
    assert 'aria-label="Propositions de binôme"' in html
    assert "<script" not in html and "<style" not in html and "style=" not in html
    assert "http://" not in html.split("<svg", 1)[1].replace('xmlns="http://www.w3.org', "")


def test_every_table_has_a_caption_and_scoped_headers(client, cress_staff, small_territory):
    html = text(dashboard(client, cress_staff, **FIRST_HALF))
    tables = re.findall(r"<table.*?</table>", html, re.S)
    assert len(tables) == GROUPS
    for found in tables:
        assert "<caption>" in found
        assert "<th>" not in found and '<th scope="' in found


def test_a_departement_leaves_the_others_out(client, cress_staff, small_territory):
    response = dashboard(client, cress_staff, departement="80", **FIRST_HALF)
    assert key_figures(response)["Besoins publiés"] == 2
    assert "80 – Somme, du 1 janvier 2026" in text(response)
    assert list(table(response, "departements")) == ["80 – Somme"]


def test_a_wrong_filter_shows_its_errors_and_the_default_figures(
    client, cress_staff, small_territory
):
    response = dashboard(client, cress_staff, start="2026-13-01", end="2026-06-30")
    html = text(response)
    assert "Saisissez une date valide." in html
    assert 'value="2026-13-01"' in html  # what was typed is kept
    assert 'role="alert"' in html
    assert response.context["selection"] == Selection.default(cress_staff)


@pytest.mark.parametrize(
    "params",
    [
        {"start": "0001-01-01", "end": "9999-12-31"},
        {"start": "2026-02-30"},
        {"departement": "<b>59</b>"},
        {"end": "9" * 500},
    ],
)
def test_no_filter_breaks_the_page(client, cress_staff, small_territory, params):
    assert dashboard(client, cress_staff, **params).status_code == 200


def test_a_territorial_reviewer_sees_their_departement_only(
    client, somme_reviewer, small_territory
):
    response = dashboard(client, somme_reviewer, **FIRST_HALF)
    assert response.context["selection"].departements == ("80",)
    assert key_figures(response)["Besoins publiés"] == 2
    assert table(response, "propositions")["Rejetées par la CRESS"] == [1]
    assert [code for code, _ in response.context["form"].fields["departement"].choices] == [
        "",
        "80",
    ]


def test_a_territorial_reviewer_asking_for_the_nord_gets_an_error(
    client, somme_reviewer, small_territory
):
    response = dashboard(client, somme_reviewer, departement="59", **FIRST_HALF)
    assert "Sélectionnez un choix valide. 59 n’en fait pas partie." in text(response)
    assert response.context["selection"].departements == ("80",)
    assert "59 – Nord" not in str(table(response, "departements"))


def test_the_map_and_the_exports_keep_the_selection(client, cress_staff):
    html = text(dashboard(client, cress_staff, departement="62", **FIRST_HALF))
    query = "?start=2026-01-01&amp;end=2026-06-30&amp;departement=62"
    for name in ("observatory_map", "export_needs", "export_offers", "export_proposals",
                 "export_missions"):  # fmt: skip
        assert f'href="{reverse(name)}{query}"' in html


def more_of_everything():
    """The small data set four times over: four times the rows of every table."""
    for _ in range(4):
        build_small_territory()


@pytest.mark.parametrize("build", [build_small_territory, more_of_everything])
def test_the_page_takes_the_same_queries_whatever_the_rows(
    client, cress_staff, build, django_assert_num_queries
):
    """Session, user, memberships; the 11 figure queries (observatory/figures.py); the 3 of
    the départements' table (observatory/territories.py); unread notifications."""
    build()
    client.force_login(cress_staff)
    with django_assert_num_queries(18):
        response = client.get(reverse("observatory"), FIRST_HALF)
    assert response.status_code == 200


def section(html, slug):
    start = html.index(f'<section class="figure-group" id="{slug}"')
    return html[start : html.index("</section>", start)]


def test_the_chart_prints_the_numbers_of_its_table(client, cress_staff, small_territory):
    """Rounded the same way: EU funds' 1 of 2 needs, and 2 of 3 (67 %, not 66)."""
    for status in ("matched", "in_progress", "published"):
        NeedFactory(departement="02", published_at=at(2, 15), status=status,
                    main_skill=skill("fonction-employeur-rh"))  # fmt: skip
    html = section(text(dashboard(client, cress_staff, **FIRST_HALF)), "domaines")
    printed = re.findall(r'<text [^>]*class="value">([^<]*)<', html)
    shares = re.findall(r'<td class="number">([^<]*&nbsp;%)</td>', html)
    assert "67\xa0%" in printed and "67&nbsp;%" in shares
    assert sorted(printed) == sorted(share.replace("&nbsp;", "\xa0") for share in shares)


# The charts on their own (observatory/charts.py).


def test_count_ticks_are_whole_numbers_from_zero():
    assert count_ticks([0, None]) == [0, 1]
    assert count_ticks([3]) == [0, 1, 2, 3]
    assert count_ticks([7]) == [0, 1, 2, 3, 4, 5, 6, 7]
    assert count_ticks([8]) == [0, 2, 4, 6, 8]
    assert count_ticks([236, 22]) == [0, 50, 100, 150, 200, 250]
    assert count_ticks([1234]) == [0, 200, 400, 600, 800, 1000, 1200, 1400]


def test_numbers_are_formatted_as_the_tables_write_them():
    assert formatted(1234, COUNT) == "1\xa0234"
    assert formatted(2 / 3 * 100, PERCENT) == "67\xa0%"
    assert formatted(3.0, HOURS) == "3"
    assert formatted(3.25, DAYS) == "3,3"
    assert formatted(0.0352, RATE) == "0,04"
    assert formatted(None, RATE) == "–"


def test_a_chart_is_an_svg_image_named_without_script_style_or_ids():
    svg = bar_chart("Besoins « servis »", ["Servis", "Expirés"], [3, None], COUNT, highlight=[0])
    root = ElementTree.fromstring(svg)  # well-formed XML
    svg_ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{svg_ns}svg"
    assert (root.get("role"), root.get("aria-label")) == ("img", "Besoins « servis »")
    assert root.find(f"{svg_ns}title").text == "Besoins « servis »"
    tags = {node.tag.removeprefix(svg_ns) for node in root.iter()}
    assert not tags & {"script", "style", "a", "image", "foreignObject"}
    assert not any(node.get("style") or node.get("id") for node in root.iter())
    assert (
        len(root.findall(f".//{svg_ns}rect[@class='rect reactive tooltip-trigger highlight']")) == 1
    )
    printed = [node.text for node in root.iter(f"{svg_ns}text") if node.get("class") == "value"]
    assert printed == ["3"]  # no bar and no value for None


def test_a_share_on_an_exact_half_rounds_up_like_the_map():
    """57 of 200 needs served is 28.5 %: « 29 % » on the dashboard as on the map (in floats
    0.285 × 100 is 28.4999…, which wrote « 28 % »)."""
    from observatory.charts import PERCENT, formatted
    from observatory.numbers import percent
    from observatory.views_figures import _percent

    assert formatted(_percent(57 / 200), PERCENT) == percent(57 / 200) == "29\u00a0%"


def test_hours_are_written_with_their_unit(client, cress_staff, small_territory):
    page = text(dashboard(client, cress_staff, **FIRST_HALF))
    assert "<dt>Heures données</dt><dd>3,5&nbsp;h</dd>" in page
