"""Where each person finds the observatory's pages: the header's links and the structure page."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Organisation
from tests.factories import member_of

pytestmark = pytest.mark.django_db
Kind = Organisation.Kind


def header_links(client, user):
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_staff_find_the_observatory_in_the_header(client, cress_staff):
    assert f'href="{reverse("observatory")}"' in header_links(client, cress_staff)


@pytest.mark.parametrize("kind", [Kind.ASSOCIATION, Kind.COMPANY])
def test_others_do_not(client, kind):
    user = member_of(kind, role=Membership.Role.ADMIN)
    assert f'href="{reverse("observatory")}"' not in header_links(client, user)


def test_a_company_referent_finds_the_mecenat_pages(client):
    referent = member_of(Kind.COMPANY, role=Membership.Role.ADMIN)
    assert f'href="{reverse("mecenat_companies")}"' in header_links(client, referent)


def test_a_plain_employee_does_not(client):
    employee = member_of(Kind.COMPANY)
    assert f'href="{reverse("mecenat_companies")}"' not in header_links(client, employee)


def test_an_associations_admin_finds_the_receipts_on_the_structure_page(client):
    admin = member_of(
        Kind.ASSOCIATION,
        role=Membership.Role.ADMIN,
        legal_form="Association loi 1901",
        street_address="3 rue des Jardins",
    )
    association = admin.memberships.get().organisation
    client.force_login(admin)
    page = client.get(reverse("organisation_detail", args=[association.pk])).content.decode()
    assert f'href="{reverse("receipt_list", args=[association.pk])}"' in page
    assert "Association loi 1901" in page
    assert "3 rue des Jardins" in page


def test_a_plain_member_of_the_association_finds_the_receipts_too(client):
    """The treasurer is often a plain member: every member reads the receipt data."""
    member = member_of(Kind.ASSOCIATION)
    association = member.memberships.get().organisation
    client.force_login(member)
    page = client.get(reverse("organisation_detail", args=[association.pk])).content.decode()
    assert f'href="{reverse("receipt_list", args=[association.pk])}"' in page
