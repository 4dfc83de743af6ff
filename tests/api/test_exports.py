"""The observatory's exports as JSON: the CSV files' rows and columns, scope and filters."""

from datetime import datetime

import pytest
from django.urls import reverse

from observatory import api, export_tables
from observatory.exports import cell_formatter, neutralised
from observatory.scope import Selection
from tests.observatory import test_exports as csv_tests
from tests.observatory.test_exports import PERIOD, download, grow, read_rows

world = csv_tests.world  # the CSV tests' fixture: structures, needs, offers, proposals, missions

# API URL name → (CSV URL name, export table, row serializer)
EXPORTS = {
    "api_export_needs": ("export_needs", export_tables.NEEDS, api.NeedRowSerializer),
    "api_export_offers": ("export_offers", export_tables.OFFERS, api.OfferRowSerializer),
    "api_export_proposals": (
        "export_proposals", export_tables.PROPOSALS, api.ProposalRowSerializer,
    ),
    "api_export_missions": ("export_missions", export_tables.MISSIONS, api.MissionRowSerializer),
}  # fmt: skip


def csv_rows(client, user, name, **params):
    client.force_login(user)
    response = client.get(reverse(EXPORTS[name][0]), params)
    assert response.status_code == 200
    return read_rows(download(response))


def json_rows(as_user, user, name, **params):
    response = as_user(user).get(reverse(name), params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def as_in_the_file(value):
    """A JSON value as the CSV file writes it: date-times in Paris time, text neutralised
    against spreadsheet formulas (the JSON needs none)."""
    to_cell = cell_formatter()
    if isinstance(value, str) and "T" in value:
        try:
            return to_cell(datetime.fromisoformat(value))
        except ValueError:
            pass
    if isinstance(value, str):
        return neutralised(value)
    return to_cell(value)


def same_cell(value, cell):
    if isinstance(value, float | int) and not isinstance(value, bool):
        return float(cell.replace(",", ".")) == value
    return as_in_the_file(value) == cell


@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("params", [PERIOD, {**PERIOD, "departement": "02"}])
def test_the_rows_are_the_csv_file_s(client, as_user, world, cress_staff, name, params):
    header, *rows = csv_rows(client, cress_staff, name, **params)
    objects = json_rows(as_user, cress_staff, name, **params)
    assert rows, "an empty comparison proves nothing"
    assert [str(field.label) for field in EXPORTS[name][2]().fields.values()] == header
    assert len(objects) == len(rows)
    for row, item in zip(rows, objects, strict=True):
        assert len(item) == len(row)
        for value, cell in zip(item.values(), row, strict=True):
            assert same_cell(value, cell), (value, cell)


@pytest.mark.parametrize("name", EXPORTS)
def test_a_page_holds_the_same_rows_as_the_whole_table(world, cress_staff, rf, name):
    """The window the API reads (and its children: skills, areas, answers) is that slice."""
    grow(world, 2)
    table = EXPORTS[name][1]
    request = rf.get("/", PERIOD)
    request.user = cress_staff
    _form, selection = Selection.from_request(request)
    everything = list(table.rows(selection))
    assert len(everything) >= 3
    assert list(table.rows(selection, slice(1, 3))) == everything[1:3]
    assert table.count(selection) == len(everything)


@pytest.mark.parametrize("name", EXPORTS)
def test_a_territorial_reviewer_gets_their_departements_only(
    client, as_user, world, territorial_reviewer, name
):
    from_the_file = [row[0] for row in csv_rows(client, territorial_reviewer, name, **PERIOD)[1:]]
    objects = json_rows(as_user, territorial_reviewer, name, **PERIOD)
    assert [str(item["id"]) for item in objects] == from_the_file
    assert all(item.get("departement", "02 – Aisne") != "59 – Nord" for item in objects)


@pytest.mark.parametrize("name", EXPORTS)
def test_a_territorial_reviewer_cannot_ask_for_another_departement(
    as_user, world, territorial_reviewer, name
):
    response = as_user(territorial_reviewer).get(reverse(name), {"departement": "59", **PERIOD})
    assert response.status_code == 400
    assert "choix valide" in response.json()["departement"][0]
    assert "Nord Solidaire" not in response.content.decode()


def test_a_wrong_period_is_refused_in_french(as_user, cress_staff):
    response = as_user(cress_staff).get(
        reverse("api_export_needs"), {"start": "2026-03-31", "end": "2026-01-01"}
    )
    assert response.status_code == 400
    assert response.json() == {"end": ["La fin de la période doit suivre son début."]}
    response = as_user(cress_staff).get(reverse("api_export_needs"), {"start": "31 mars"})
    assert response.json() == {"start": ["Saisissez une date valide."]}


@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("who", ["association_member", "volunteer"])
def test_people_not_on_staff_get_403(as_user, request, who, name):
    response = as_user(request.getfixturevalue(who)).get(reverse(name))
    assert response.status_code == 403


@pytest.mark.parametrize("name", EXPORTS)
def test_anonymous_people_get_401(api, name):
    assert api.get(reverse(name)).status_code == 401


def test_a_page_past_the_end_is_a_404(as_user, cress_staff, world):
    response = as_user(cress_staff).get(reverse("api_export_needs"), {"page": 2, **PERIOD})
    assert response.status_code == 404
    assert response.json() == {"detail": "Page non valide."}


# The token with its user, the memberships (staff check and scope), the count, then the
# page's rows: one query for needs and missions, three for offers (offers, their skills,
# their areas), two for proposals (with their review; their answers).
QUERIES = {
    "api_export_needs": 4, "api_export_offers": 6, "api_export_proposals": 5,
    "api_export_missions": 4,
}  # fmt: skip


@pytest.mark.parametrize("name", QUERIES)
def test_the_number_of_queries_does_not_grow_with_the_rows(
    as_user, world, cress_staff, django_assert_num_queries, name
):
    client = as_user(cress_staff)
    counts = []
    for more in (0, 12):
        grow(world, more)
        with django_assert_num_queries(QUERIES[name]):
            counts.append(len(client.get(reverse(name), PERIOD).json()["results"]))
    assert counts[1] - counts[0] == 12
