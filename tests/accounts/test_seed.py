"""The `seed_demo` command: the 2019 study's picture of Hauts-de-France, and the demo log-ins."""

import io
import re

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from accounts.demo_data import DEMO_PASSWORD, TOWNS
from accounts.models import Membership, Organisation, User
from missions.models import Mission
from tests.conftest import empty_committed_demo

Kind = Organisation.Kind
ESS_KINDS = (Kind.ASSOCIATION, Kind.OTHER_ESS)
LOGIN_LINE = re.compile(r"^ +(?P<role>[^:\n]+) : (?P<email>\S+@\S+)$", re.MULTILINE)

pytestmark = pytest.mark.django_db


def seed(*args):
    """Run the command and return what it printed."""
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the whole module: tests read it, and undo their own writes on rollback."""
    with django_db_blocker.unblock():
        output = seed()
    yield output
    with django_db_blocker.unblock():
        empty_committed_demo()


@pytest.fixture
def output(seeded):
    """What the command printed when it seeded the module's data."""
    return seeded


@pytest.fixture
def logins(output):
    """The printed demo log-ins, {role label: user}."""
    printed = {m["role"]: m["email"] for m in LOGIN_LINE.finditer(output)}
    return {role: User.objects.get(email=email) for role, email in printed.items()}


def row_counts():
    return (User.objects.count(), Organisation.objects.count(), Membership.objects.count())


def test_it_seeds_the_studys_167_ess_structures_and_362_companies(output):
    """The demo has as many ESS structures and companies as answered the 2019 study."""
    assert Organisation.objects.filter(kind__in=ESS_KINDS).count() == 167
    assert Organisation.objects.filter(kind=Kind.COMPANY).count() == 362
    assert "167 structures de l'ESS" in output
    assert "362 entreprises" in output


def test_it_mixes_associations_with_other_ess_and_a_few_public_bodies(output):
    """Mostly associations, some cooperatives, mutuals or foundations, a few public bodies."""
    associations = Organisation.objects.filter(kind=Kind.ASSOCIATION).count()
    assert 167 / 2 < associations < 167
    assert 0 < Organisation.objects.filter(kind=Kind.PUBLIC_BODY).count() <= 10
    assert "organismes publics" in output


def test_it_seeds_exactly_one_cress_staff_account(output):
    """One person, in a verified CRESS organisation in Lille or Amiens, is CRESS staff."""
    staff = User.objects.filter(
        memberships__organisation__kind=Kind.CRESS,
        memberships__status=Membership.Status.ACTIVE,
    ).distinct()
    assert staff.count() == 1
    cress = Organisation.objects.get(kind=Kind.CRESS)
    assert cress.is_verified
    assert cress.postcode in ("59000", "80000")


def test_it_covers_the_five_departements_with_nord_ahead_of_aisne(output):
    """Every département of the region has structures, and Nord more than Aisne."""
    by_departement = dict(
        Organisation.objects.values_list("departement").annotate(n=Count("pk")).order_by()
    )
    assert set(by_departement) == {"02", "59", "60", "62", "80"}
    assert by_departement["59"] > by_departement["02"]
    assert by_departement["62"] > by_departement["02"]


def test_a_second_run_creates_nothing(output):
    """Running the command again adds no person, structure or membership."""
    before = row_counts()

    second_output = seed()

    assert row_counts() == before
    assert "Rien à ajouter" in second_output


def test_it_is_deterministic():
    """On an empty database the command always seeds the same structures and people."""

    def seed_from_scratch():
        Mission.objects.all().delete()
        Organisation.objects.all().delete()
        User.objects.all().delete()
        seed()
        return (
            set(Organisation.objects.values_list("name", "siren", "siret", "rna", "postcode")),
            set(User.objects.values_list("email", "first_name", "last_name")),
            set(Membership.objects.values_list("user__email", "organisation__name", "role")),
        )

    assert seed_from_scratch() == seed_from_scratch()


def test_every_seeded_organisation_passes_full_clean(output):
    """Identifiers have valid check digits and every postcode lies in its département."""
    for organisation in Organisation.objects.all():
        organisation.full_clean()


def test_every_seeded_organisation_records_its_towns_commune(output):
    """Each structure has the commune of its real town (no INSEE code left blank)."""
    towns = {(d, postcode, name) for d, rows in TOWNS.items() for name, postcode, *_ in rows}
    for organisation in Organisation.objects.all():
        place = (organisation.departement, organisation.postcode, organisation.commune_name)
        assert place in towns, organisation


def test_associations_have_an_rna_and_the_others_a_siren(output):
    """Associations carry an RNA number; companies and other structures a SIREN."""
    associations = Organisation.objects.filter(kind=Kind.ASSOCIATION)
    assert not associations.filter(rna="").exists()
    assert not Organisation.objects.exclude(kind=Kind.ASSOCIATION).filter(siren="").exists()
    assert Organisation.objects.exclude(siret="").exists()


def test_most_structures_are_verified_some_wait_and_a_couple_are_suspended(output):
    """Statuses look like a live region: mostly verified, some awaiting the CRESS, 1–2 suspended."""
    statuses = Organisation.objects.values("status").annotate(n=Count("pk")).order_by()
    counts = {row["status"]: row["n"] for row in statuses}
    assert counts["verified"] > Organisation.objects.count() / 2
    assert counts["registered"] > 0
    assert 1 <= counts["suspended"] <= 2


def test_ess_structures_have_one_or_two_members_with_one_administrator(output):
    """Each ESS structure has one or two people (board volunteers aside), one of them admin."""
    structures = Organisation.objects.filter(kind__in=ESS_KINDS).annotate(
        admins=Count("memberships", filter=Q(memberships__role=Membership.Role.ADMIN)),
        members=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE)),
    )
    assert {s.admins for s in structures} == {1}
    assert {s.members for s in structures} <= {1, 2, 3}


def test_companies_have_one_to_four_volunteers_and_half_a_referent(output):
    """Companies have 1–4 active volunteers; roughly half have named a referent."""
    companies = Organisation.objects.filter(kind=Kind.COMPANY).annotate(
        admins=Count("memberships", filter=Q(memberships__role=Membership.Role.ADMIN)),
        members=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE)),
    )
    assert {c.members for c in companies} <= {1, 2, 3, 4}
    with_referent = sum(1 for c in companies if c.admins)
    assert 0.3 * 362 < with_referent < 0.7 * 362


def test_emails_are_lower_case_ascii_at_example_org(output):
    """Demo e-mails never point at a real domain and carry no accent or capital."""
    for email in User.objects.values_list("email", flat=True):
        assert re.fullmatch(r"[a-z0-9.-]+@[a-z0-9.-]+\.example\.org", email), email


def test_it_prints_the_five_demo_logins_and_the_password(output):
    """The output lists the demo accounts with their shared password."""
    assert DEMO_PASSWORD in output
    for email in (
        "cress@demo.probono.example.org",
        "tresoriere.aisne@demo.probono.example.org",
        "president.somme@demo.probono.example.org",
        "benevole.lille@demo.probono.example.org",
        "referente.lille@demo.probono.example.org",
    ):
        assert email in output


def test_the_printed_cress_account_is_cress_staff(logins):
    """The account printed as CRESS staff passes the CRESS staff checks."""
    assert logins["Équipe CRESS"].is_cress_staff


def test_the_printed_association_member_is_in_an_aisne_association(logins):
    """The treasurer is a plain member of a verified association in the Aisne."""
    treasurer = logins["Membre d'association"]
    [membership] = treasurer.active_memberships()
    assert treasurer.roles.association_member
    assert membership.role == Membership.Role.MEMBER
    assert membership.organisation.departement == "02"
    assert membership.organisation.is_verified


def test_the_printed_association_admin_administers_an_association(logins):
    """The association administrator is admin of an ESS structure with a request to approve."""
    admin = logins["Administrateur d'association"]
    [membership] = admin.active_memberships()
    assert admin.roles.association_member
    assert admin.is_admin_of(membership.organisation)
    assert membership.organisation.memberships.pending().exists()


def test_the_printed_volunteer_is_an_employee_in_lille(logins):
    """The volunteer works for a company in Lille and is not its referent."""
    volunteer = logins["Bénévole"]
    [membership] = volunteer.active_memberships()
    assert volunteer.roles.volunteer
    assert not volunteer.roles.company_referent
    assert membership.organisation.postcode == "59000"


def test_the_printed_referent_is_the_volunteers_company_referent(logins):
    """The company referent administers the volunteer's company."""
    referent = logins["Référente entreprise"]
    [company] = [m.organisation for m in logins["Bénévole"].active_memberships()]
    assert referent.roles.company_referent
    assert referent.is_admin_of(company)


def test_demo_accounts_log_in_with_the_printed_password(logins):
    """Every printed account accepts the demo password."""
    for user in logins.values():
        assert user.check_password(DEMO_PASSWORD)


def test_the_password_option_resets_the_demo_accounts():
    """--password sets the demo accounts' password, even when they already exist."""
    seed()

    output = seed("--password", "autre-mot-de-passe-2026")

    assert "autre-mot-de-passe-2026" in output
    assert User.objects.get(email="cress@demo.probono.example.org").check_password(
        "autre-mot-de-passe-2026"
    )
