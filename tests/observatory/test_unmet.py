"""Unmet needs: candidate offers, the waiting list, the shortfall table and the equity gauge,
against values computed by hand on small fixed data sets."""

import re
from datetime import date, datetime, time, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from observatory import unmet
from observatory.scope import Selection
from observatory.views_unmet import _end, _gauge_cells
from tests.factories import MembershipFactory, NeedFactory, OfferFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
REGION = ("02", "59", "60", "62", "80")
URL = reverse("observatory_unmet")
EU_FUNDS, ACCOUNTING, RECRUITMENT = "fonds-europeens", "comptabilite-finance", "recrutement"


def days_ago(days):
    """Noon, Paris time, `days` days before today: that many days of waiting."""
    day = timezone.localdate() - timedelta(days=days)
    return datetime.combine(day, time(12), tzinfo=PARIS)


def need(departement, skill=EU_FUNDS, remote=False, waiting=10, status="published", **fields):
    from tests.factories import skill as skill_of

    organisation = OrganisationFactory(departement=departement, postcode=f"{departement}000")
    fields.setdefault("published_at", days_ago(waiting))
    return NeedFactory(
        organisation=organisation, departement=departement, main_skill=skill_of(skill),
        remote_ok=remote, status=status, **fields,
    )  # fmt: skip


def offer(*departements, skills=(EU_FUNDS,), remote=False, active=True):
    return OfferFactory(
        departements=list(departements), skills=[(code, "confirmed") for code in skills],
        remote_ok=remote, is_active=active,
    )  # fmt: skip


@pytest.fixture
def supply():
    """Offers around the Somme (80), whose neighbours are 02, 59, 60, 62 and 76.

    a: EU funds in the Somme; b: in Seine-Maritime (76, a neighbour outside the region);
    c: in the Marne (51: the Aisne's neighbour, not the Somme's); d: accounting in the Somme;
    e: EU funds in the Somme, paused; f: EU funds far away (13), remote; g: the same, not
    remote; h: accounting and EU funds in the Pas-de-Calais (62); i: EU funds in both the
    Somme and the Oise (two areas in reach, counted once).
    """
    offer("80")
    offer("76")
    offer("51")
    offer("80", skills=(ACCOUNTING,))
    offer("80", active=False)
    offer("13", remote=True)
    offer("13")
    offer("62", skills=(ACCOUNTING, EU_FUNDS))
    offer("80", "60")


def candidates_by_title(selection):
    return {n.title: n.candidates for n in unmet.waiting_needs(selection)}


def test_candidate_offers_follow_the_matchers_place_rule(supply):
    """Same département or a neighbour, or remote on both sides; the main skill; active."""
    need("80", title="Somme sur place")  # a, b, h, i
    need("80", remote=True, title="Somme à distance")  # a, b, h, i and f (remote)
    need("02", title="Aisne")  # reach 02, 08, 51, 59, 60, 77, 80: a, c, i
    need("80", skill=ACCOUNTING, title="Somme comptabilité")  # d, h (62 is a neighbour)
    need("59", title="Nord")  # reach 59, 02, 62, 80: a, h, i
    need("62", skill=RECRUITMENT, remote=True, title="Personne")  # nobody has this skill
    assert candidates_by_title(Selection(date(2026, 1, 1), date(2026, 12, 31), REGION)) == {
        "Somme sur place": 4,
        "Somme à distance": 5,
        "Aisne": 3,
        "Somme comptabilité": 2,
        "Nord": 3,
        "Personne": 0,
    }


def test_a_remote_offer_reaches_only_needs_open_to_remote_work():
    """Remote both ways: neither a remote offer for an on-site need nor the reverse."""
    offer("13", remote=True)
    need("80", title="Sur place")
    need("80", remote=True, title="À distance")
    offer("51")  # not remote, not near the Somme: no for either
    selection = Selection(date(2026, 1, 1), date(2026, 12, 31), ("80",))
    assert candidates_by_title(selection) == {"Sur place": 0, "À distance": 1}


def test_waiting_needs_are_published_ones_of_the_territory_longest_first():
    need("80", waiting=3, title="Récent")
    need("02", waiting=40, title="Ancien")
    need("80", waiting=12, title="Moyen")
    need("80", waiting=90, status="matched", title="Servi")
    need("80", waiting=0, status="draft", published_at=None, title="Brouillon")
    need("75", waiting=200, title="Paris")  # outside the region
    region = Selection(date(2026, 1, 1), date(2026, 12, 31), REGION)
    assert [n.title for n in unmet.waiting_needs(region)] == ["Ancien", "Moyen", "Récent"]
    somme = Selection(date(2026, 1, 1), date(2026, 12, 31), ("80",))
    assert [n.title for n in unmet.waiting_needs(somme)] == ["Moyen", "Récent"]


def test_the_shortfall_counts_waiting_needs_and_candidates_per_departement_and_skill(supply):
    """A cell's candidate offers can take at least one of its needs: the remote need's."""
    need("80", title="Somme sur place")  # 4
    need("80", remote=True)  # 5
    need("80", skill=ACCOUNTING)  # 2
    need("02", skill=RECRUITMENT)  # 0
    need("02", skill=RECRUITMENT, remote=True)  # 0
    need("02")  # 3
    need("80", status="in_progress")
    cells = unmet.shortfall_cells(Selection(date(2026, 1, 1), date(2026, 12, 31), REGION))
    # Département, then catalogue order: human resources, ..., public funding, finance.
    assert [(c.departement, c.skill, c.waiting, c.without_candidate, c.candidates)
            for c in cells] == [
        ("02", "Recrutement", 2, 2, 0),
        ("02", "Fonds européens", 1, 0, 3),
        ("80", "Fonds européens", 2, 0, 5),
        ("80", "Comptabilité et finance", 1, 0, 2),
    ]  # fmt: skip
    assert cells[0].domain == "Ressources humaines et fonction employeur"
    assert cells[0].label == "02 – Aisne"
    assert cells[1].is_priority and not cells[0].is_priority


def test_the_shortfall_agrees_with_the_candidates_counted_need_by_need(supply):
    """Two ways of counting the same offers: the table's grouped counts and each need's."""
    bare = offer("13", remote=True)
    bare.areas.all().delete()  # remote, acting nowhere in particular: still a remote candidate
    for code in REGION:
        for skill in (EU_FUNDS, ACCOUNTING, RECRUITMENT):
            need(code, skill=skill)
            need(code, skill=skill, remote=True)
    selection = Selection(date(2026, 1, 1), date(2026, 12, 31), REGION)
    by_need = {}
    for n in unmet.waiting_needs(selection):
        by_need.setdefault((n.departement, n.main_skill.name), []).append(n.candidates)
    expected = [(dep, skill, len(c), c.count(0), max(c)) for (dep, skill), c in by_need.items()]
    cells = unmet.shortfall_cells(selection)
    assert sorted((c.departement, c.skill, c.waiting, c.without_candidate, c.candidates)
                  for c in cells) == sorted(expected)  # fmt: skip
    assert by_need[("80", "Fonds européens")] == [4, 6]  # the bare remote offer counts


def at(year, month, day, hour=12, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def quarter():
    """Needs published in the first quarter of 2026 in the Aisne, the Nord and the Somme.

    January: Aisne 1/2 served, Nord 3/4, Somme 1/2 → gauge 0.5 / 0.75 = 2/3 (Aisne and Somme
    tie at the bottom: the lower code is named). February: only the Nord posts → undefined.
    March: Aisne 0/1, Somme 0/2 → best share 0, undefined. The quarter: Aisne 1/3, Nord 4/6,
    Somme 1/4 → (1/4) / (2/3) = 0.375.
    """
    for code, status in [("02", "matched"), ("02", "published"),
                         ("59", "in_progress"), ("59", "completed"), ("59", "matched"),
                         ("59", "published"),
                         ("80", "completed"), ("80", "expired")]:  # fmt: skip
        need(code, status=status, published_at=at(2026, 1, 15))
    need("59", status="matched", published_at=at(2026, 2, 1, 0, 30))
    need("59", status="cancelled", published_at=at(2026, 2, 28, 23, 30))
    need("02", status="published", published_at=at(2026, 3, 31, 23, 30))
    need("80", status="cancelled", published_at=at(2026, 3, 2))
    need("80", status="published", published_at=at(2026, 3, 3))
    # Outside the period or the selection, or never published: none counts.
    need("80", status="matched", published_at=at(2025, 12, 31, 23, 30))
    need("80", status="matched", published_at=at(2026, 4, 1, 0, 30))
    need("62", status="matched", published_at=at(2026, 1, 10))
    need("02", status="draft", published_at=None)


FIRST_QUARTER = Selection(date(2026, 1, 1), date(2026, 3, 31), ("02", "59", "80"))


def test_the_gauge_divides_the_least_served_share_by_the_best_served(quarter):
    overall, _ = unmet.equity(FIRST_QUARTER)
    assert overall.value == pytest.approx(0.375)
    # Each end: its code, its share, and the needs served and posted it comes from.
    assert overall.least == ("80", 0.25, 1, 4)
    assert overall.best == ("59", pytest.approx(2 / 3), 4, 6)
    assert overall.departements == 3


def test_the_gauge_history_takes_each_months_cohort_and_leaves_undefined_months_empty(quarter):
    """Fewer than two départements posting, or nobody served: None (« – »), not 0."""
    _, history = unmet.equity(FIRST_QUARTER)
    assert [item.month for item in history] == [date(2026, 1, 1), date(2026, 2, 1),
                                                date(2026, 3, 1)]  # fmt: skip
    january, february, march = (item.gauge for item in history)
    assert january.value == pytest.approx(2 / 3)
    assert (january.least, january.best) == (("02", 0.5, 1, 2), ("59", 0.75, 3, 4))
    assert (february.value, february.departements) == (None, 1)
    assert (march.value, march.departements) == (None, 2)


def test_the_gauge_is_zero_when_a_departement_is_not_served_at_all():
    need("02", status="published", published_at=at(2026, 1, 5))
    need("59", status="matched", published_at=at(2026, 1, 6))
    overall, _ = unmet.equity(Selection(date(2026, 1, 1), date(2026, 1, 31), ("02", "59")))
    assert overall.value == 0


def test_one_departement_alone_has_no_gauge(quarter):
    overall, history = unmet.equity(Selection(date(2026, 1, 1), date(2026, 3, 31), ("59",)))
    assert overall.value is None
    assert [item.gauge.value for item in history] == [None, None, None]


def test_the_history_has_every_month_the_period_touches():
    assert list(unmet.months(date(2025, 11, 29), date(2026, 2, 3))) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1),
    ]  # fmt: skip


# The page


@pytest.fixture
def territorial_reviewer(db):
    """A reviewer of the CRESS's Somme antenna: the Somme and the Aisne only."""
    cress = OrganisationFactory(kind=Organisation.Kind.CRESS, departement="80", postcode="80000")
    return MembershipFactory(organisation=cress, review_departements=["80", "02"]).user


def titles_on(response):
    return [need.title for need, _, _ in response.context["rows"]]


def test_the_page_lists_waiting_needs_with_their_departement_skill_days_and_candidates(
    login, cress_staff, supply
):
    need("80", waiting=30, title="Le plus ancien")
    need("62", skill=RECRUITMENT, waiting=5, title="Sans offre")
    response = login(cress_staff).get(URL)
    assert response.status_code == 200
    assert titles_on(response) == ["Le plus ancien", "Sans offre"]
    assert [(dep, days, n.candidates) for n, dep, days in response.context["rows"]] == [
        ("80 – Somme", 30, 4),
        ("62 – Pas-de-Calais", 5, 0),
    ]
    page = response.content.decode()
    assert "Fonds européens" in page and "Financements publics et commande publique" in page
    assert "Aucune offre" in page  # a need without candidates says so in words


def test_the_territory_picked_narrows_the_list(login, cress_staff):
    need("80", title="Somme")
    need("59", title="Nord")
    response = login(cress_staff).get(URL, {"departement": "59"})
    assert titles_on(response) == ["Nord"]
    assert [cell.departement for cell in response.context["cells"]] == ["59"]


def test_a_territorial_reviewer_sees_only_their_departements(login, territorial_reviewer):
    need("80", title="Somme")
    need("02", title="Aisne", waiting=20)
    need("59", title="Nord", waiting=50)
    response = login(territorial_reviewer).get(URL)
    assert titles_on(response) == ["Aisne", "Somme"]
    assert {cell.departement for cell in response.context["cells"]} == {"02", "80"}


def test_a_reviewer_asking_for_another_departement_is_refused_and_kept_to_theirs(
    login, territorial_reviewer
):
    need("80", title="Somme")
    need("59", title="Nord")
    response = login(territorial_reviewer).get(URL, {"departement": "59"})
    assert response.status_code == 200
    assert "departement" in response.context["form"].errors
    assert titles_on(response) == ["Somme"]


def test_a_wrong_filter_keeps_the_page_and_says_why(login, cress_staff):
    need("80", title="Somme")
    response = login(cress_staff).get(URL, {"start": "31/02/2026", "page": "abc"})
    assert response.status_code == 200
    assert "start" in response.context["form"].errors
    assert titles_on(response) == ["Somme"]  # the default selection, first page
    assert 'value="31/02/2026"' in response.content.decode()  # what was typed is kept


def test_the_page_shows_the_gauge_and_an_undefined_month_as_a_dash(login, cress_staff, quarter):
    """Over the whole region the Pas-de-Calais joins: its one January need was served (1/1),
    so January is 0.5 / 1 and the quarter (1/4) / 1."""
    response = login(cress_staff).get(URL, {"start": "2026-01-01", "end": "2026-03-31"})
    gauge = response.context["gauge"]
    assert (gauge["value"], gauge["least"], gauge["best"], gauge["compared"]) == (
        "0,25", "80 – Somme : 25\u00a0% (1 besoin servi sur 4)",
        "62 – Pas-de-Calais : 100\u00a0% (1 besoin servi sur 1)", 4,
    )  # fmt: skip
    history = response.context["history"]
    assert [(month, row["value"]) for month, row in history] == [
        ("janvier 2026", "0,50"),
        ("février 2026", "–"),
        ("mars 2026", "–"),
    ]
    page = response.content.decode()
    assert "<td>–</td>" in page and "<td>0,50</td>" in page


def test_the_chart_is_a_named_image_with_nothing_a_strict_csp_refuses(login, cress_staff, quarter):
    response = login(cress_staff).get(URL, {"start": "2026-01-01", "end": "2026-03-31"})
    chart = response.context["chart"]
    assert chart.startswith("<svg") and 'role="img"' in chart
    assert 'aria-label="Jauge d&#x27;équité' in chart or "aria-label=\"Jauge d'équité" in chart
    for refused in ("<script", "<style", "style="):
        assert refused not in chart
    page = response.content.decode()
    assert ">Jauge d'équité des besoins publiés chaque mois</caption>" in page


def _grow(count):
    """count needs in each département of the region, with offers to count, across months."""
    for index in range(count):
        for code in REGION:
            need(code, waiting=index + 1, remote=index % 2 == 0)
            need(code, skill=ACCOUNTING, status="matched", published_at=days_ago(40 * index))
            offer(code, remote=index % 3 == 0)


@pytest.mark.parametrize("count", [1, 12])
def test_the_page_makes_the_same_queries_whatever_the_number_of_rows(
    login, cress_staff, django_assert_num_queries, count
):
    """The session and the user; the staff member's memberships (scope); the waiting needs'
    count and page (candidates annotated); the shortfall's needs and offers, grouped; the
    gauge's grouped rows; the unread notifications of the header."""
    _grow(count)
    client = login(cress_staff)
    with django_assert_num_queries(9):
        response = client.get(URL)
    assert response.context["page"].paginator.count == 5 * count


# Numbers are rounded half up, as on the dashboard, never cut off.


def test_the_gauge_and_its_ends_are_rounded_half_up():
    """0.5097 is « 0,51 » and a share of 0.745 « 75 % » (number_format wrote 0,50 and 74 %)."""
    cells = _gauge_cells(unmet.Gauge(0.5097, 2, ("02", 0.745, 149, 200), ("59", 2 / 9, 2, 9)))
    assert cells["value"] == "0,51"
    assert cells["least"].startswith("02 – Aisne : 75\u00a0%")
    assert cells["best"].startswith("59 – Nord : 22\u00a0%")


@pytest.fixture
def two_thirds():
    """January 2026: Aisne 2 served of 3, Nord 3 of 3: the gauge is 2/3 (0.667)."""
    for status in ("matched", "completed", "published"):
        need("02", status=status, published_at=at(2026, 1, 10))
    for _ in range(3):
        need("59", status="in_progress", published_at=at(2026, 1, 12))


def test_the_page_rounds_the_gauge_as_the_dashboard_would(login, cress_staff, two_thirds):
    response = login(cress_staff).get(URL, {"start": "2026-01-01", "end": "2026-01-31"})
    gauge = response.context["gauge"]
    assert gauge["value"] == "0,67"
    assert gauge["least"].startswith("02 – Aisne : 67\u00a0%")
    ((month, row),) = response.context["history"]
    assert (month, row["value"]) == ("janvier 2026", "0,67")


# The selection form shared by the observatory's pages, and the links to the others.


def selection_form(response):
    """The markup of the observatory's shared selection form on a page."""
    content = response.content.decode()
    start = content.index('<form method="get" class="form selection-form"')
    return content[start : content.index("</form>", start)]


def test_the_selection_form_shows_the_period_looked_at(login, cress_staff):
    """Unbound, or bound by the page number alone: the dates of the last twelve months."""
    client = login(cress_staff)
    today = timezone.localdate()
    first = (today - timedelta(days=364)).isoformat()
    for params in ({}, {"page": "1"}):
        form = selection_form(client.get(URL, params))
        assert f'name="start" value="{first}"' in form
        assert f'name="end" value="{today.isoformat()}"' in form
    assert "observatory/observatory.css" in client.get(URL).content.decode()


def test_the_page_links_to_the_dashboard_and_the_exports_with_its_selection(login, cress_staff):
    response = login(cress_staff).get(
        URL, {"start": "2026-01-01", "end": "2026-03-31", "departement": "80"}
    )
    content = response.content.decode()
    query = "?start=2026-01-01&amp;end=2026-03-31&amp;departement=80"
    for name in ("observatory", "export_needs", "export_offers", "export_proposals",
                 "export_missions"):  # fmt: skip
        assert f'href="{reverse(name)}{query}"' in content


def test_each_end_of_the_gauge_says_how_many_needs_its_share_comes_from(
    login, cress_staff, two_thirds
):
    """A month's swing on a handful of needs shows: 2 of 3, not only 67 %."""
    response = login(cress_staff).get(URL, {"start": "2026-01-01", "end": "2026-01-31"})
    ((_, row),) = response.context["history"]
    assert row["least"] == "02 – Aisne : 67\u00a0% (2 besoins servis sur 3)"
    assert row["best"] == "59 – Nord : 100\u00a0% (3 besoins servis sur 3)"
    assert response.context["gauge"]["least"] == row["least"]


def test_one_need_served_is_written_in_the_singular_and_none_in_words():
    assert _end(("02", 1.0, 1, 1)) == "02 – Aisne : 100\u00a0% (1 besoin servi sur 1)"
    assert _end(("02", 0.0, 0, 2)) == "02 – Aisne : 0\u00a0% (aucun besoin servi sur 2)"


# French: 0 and 1 take the singular.


def test_no_need_lacking_a_candidate_is_not_written_0_besoins(login, cress_staff, supply):
    """Django falls back to English's rule (n == 1) for a French text with no French
    catalogue, which wrote « 0 besoins en attente n'ont aucune offre candidate »."""
    need("80", title="Somme")  # 4 candidate offers
    page = unescape(login(cress_staff).get(URL).content.decode())
    assert "0 besoins" not in page
    assert "Chaque besoin en attente a au moins une offre candidate." in page


def test_one_need_lacking_a_candidate_is_in_the_singular(login, cress_staff):
    need("80", title="Somme")  # no offer at all
    page = unescape(login(cress_staff).get(URL).content.decode())
    assert "1 besoin en attente n'a aucune offre candidate." in page
    assert "1 besoin en attente d'un ou d'une bénévole" in page


def test_no_waiting_need_is_not_written_0_besoins(login, cress_staff):
    page = unescape(login(cress_staff).get(URL).content.decode())
    assert "0 besoins" not in page
    assert "Aucun besoin en attente d'un ou d'une bénévole" in page


# Narrow screens.


def test_each_table_scrolls_in_its_own_named_region(login, cress_staff, supply, quarter):
    """On a 375 px phone the page scrolled sideways (770 px wide): each table now scrolls
    alone, in a region a keyboard can reach and a screen reader names after its caption."""
    need("80", title="Somme")
    response = login(cress_staff).get(URL, {"start": "2026-01-01", "end": "2026-03-31"})
    page = response.content.decode()
    tables = re.findall(r"<table>\s*<caption id=\"([\w-]+)\">", page)
    assert len(tables) == page.count("<table") == 3
    for caption in tables:
        assert (
            f'<div class="unmet-table" role="region" tabindex="0" aria-labelledby="{caption}">'
            in page
        )
    assert "observatory/unmet.css" in page
