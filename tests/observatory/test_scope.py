"""What an observatory page looks at: the period and the territory, within the viewer's scope."""

from datetime import date, datetime

import pytest
from django.test import RequestFactory
from django.utils import timezone

from accounts.models import Organisation
from matching.models import Need
from observatory import definitions
from observatory.scope import Selection
from tests.factories import MembershipFactory, NeedFactory, OrganisationFactory, member_of

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 28)
REGION = ("02", "59", "60", "62", "80")


@pytest.fixture
def territorial_reviewer(db):
    """A reviewer of the CRESS's Somme antenna: the Somme and the Aisne only."""
    cress = OrganisationFactory(kind=Organisation.Kind.CRESS, departement="80", postcode="80000")
    return MembershipFactory(organisation=cress, review_departements=["80", "02"]).user


def select(user, **params):
    request = RequestFactory().get("/observatoire/", params)
    request.user = user
    return Selection.from_request(request, today=TODAY)


def test_regional_staff_see_the_region_over_the_last_twelve_months(cress_staff):
    form, selection = select(cress_staff)
    assert not form.is_bound
    assert selection == Selection(date(2025, 11, 29), TODAY, REGION)
    assert selection.as_query() == {"start": "2025-11-29", "end": "2026-11-28"}


def test_regional_staff_may_pick_any_departement_on_its_own(cress_staff):
    form, selection = select(cress_staff, departement="75", start="2026-01-01", end="2026-03-31")
    assert form.is_valid()
    assert selection == Selection(date(2026, 1, 1), date(2026, 3, 31), ("75",))
    assert selection.as_query()["departement"] == "75"


def test_a_territorial_reviewer_sees_their_departements_only(territorial_reviewer):
    form, selection = select(territorial_reviewer)
    assert selection.departements == ("02", "80")
    offered = [code for code, _ in form.fields["departement"].choices]
    assert offered == ["", "02", "80"]
    assert form.fields["departement"].choices[0][1] == "Tous mes départements"


def test_a_departement_outside_the_scope_is_refused_and_the_default_kept(territorial_reviewer):
    form, selection = select(territorial_reviewer, departement="59", start="2026-01-01")
    assert not form.is_valid()
    assert "departement" in form.errors
    assert form.data["start"] == "2026-01-01"  # what was typed is kept for the form
    assert selection == Selection.default(territorial_reviewer, TODAY)


def test_a_period_ending_before_it_starts_is_refused_in_french(cress_staff):
    form, selection = select(cress_staff, start="2026-05-01", end="2026-04-01")
    assert form.errors["end"] == ["La fin de la période doit suivre son début."]
    assert selection == Selection.default(cress_staff, TODAY)


def test_a_date_that_is_not_one_is_refused(cress_staff):
    form, _ = select(cress_staff, start="31/02/2026")
    assert "start" in form.errors


def test_the_period_keeps_both_of_its_days(cress_staff):
    """A need published on the last day of the period counts, the day after does not."""
    paris = timezone.get_current_timezone()
    inside = NeedFactory(departement="80", published_at=datetime(2026, 3, 31, 23, 30, tzinfo=paris))
    NeedFactory(departement="80", published_at=datetime(2026, 4, 1, 0, 30, tzinfo=paris))
    NeedFactory(departement="59", published_at=datetime(2026, 3, 15, tzinfo=paris))
    selection = Selection(date(2026, 3, 1), date(2026, 3, 31), ("80",))
    assert list(definitions.needs_posted(selection)) == [inside]


def test_drafts_are_never_posted(cress_staff):
    NeedFactory(departement="80", status=Need.Status.DRAFT, published_at=None)
    selection = Selection(date(2000, 1, 1), date(2100, 1, 1), ("80",))
    assert not definitions.needs_posted(selection).exists()


def test_populations_cover_the_101_departements_and_sum_per_selection():
    people = definitions.population()
    assert len(people) == 101
    selection = Selection(TODAY, TODAY, ("02", "80"))
    assert definitions.population_of(selection) == people["02"] + people["80"]
    assert definitions.per_inhabitants(3, 30_000) == 1
    assert definitions.per_inhabitants(3, 0) is None
    assert definitions.share(1, 4) == 0.25
    assert definitions.share(0, 0) is None


def test_a_volunteer_counts_once_however_many_offers_cover_the_territory():
    from tests.factories import OfferFactory

    volunteer = member_of(Organisation.Kind.COMPANY, departement="59", postcode="59000")
    OfferFactory(volunteer=volunteer, departements=["59", "62"])
    OfferFactory(volunteer=volunteer, departements=["62"])
    OfferFactory(volunteer=volunteer, departements=["62"], is_active=False)
    OfferFactory(departements=["80"])
    selection = Selection(TODAY, TODAY, ("59", "62"))
    assert list(definitions.active_volunteers(selection)) == [volunteer]
    assert definitions.active_offers(selection).count() == 2


@pytest.mark.parametrize("start, end", [("0001-01-01", "2026-01-01"), ("2026-01-01", "9999-12-31")])
def test_a_period_of_centuries_is_refused(cress_staff, start, end):
    form, selection = select(cress_staff, start=start, end=end)
    assert not form.is_valid()
    assert selection == Selection.default(cress_staff, TODAY)


def test_an_end_alone_gives_the_twelve_months_ending_then(cress_staff):
    form, selection = select(cress_staff, end="2020-01-01")
    assert form.is_valid()
    assert (selection.start, selection.end) == (date(2019, 1, 2), date(2020, 1, 1))


def test_a_start_alone_runs_to_today(cress_staff):
    form, selection = select(cress_staff, start="2026-06-01")
    assert form.is_valid()
    assert (selection.start, selection.end) == (date(2026, 6, 1), TODAY)


def test_a_start_alone_after_today_is_refused(cress_staff):
    """It would run backwards to today: the form says so rather than showing a reversed period."""
    form, selection = select(cress_staff, start="2027-06-01")
    assert form.errors["end"] == ["La fin de la période doit suivre son début."]
    assert selection == Selection.default(cress_staff, TODAY)


def test_the_form_shows_the_period_the_page_displays(cress_staff):
    """Asked for one département only, the date fields show the default period's dates."""
    form, _ = select(cress_staff, departement="80")
    assert (form["start"].value(), form["end"].value()) == ("2025-11-29", "2026-11-28")
    unbound, _ = select(cress_staff)
    assert unbound["start"].value() == "2025-11-29"
