"""Two submits of the same list at the same moment (a double click, two tabs), with real
threads on PostgreSQL: each address is invited once and e-mailed once."""

import pytest
from django.core import mail

from accounts import invitations
from accounts.forms_invitations import Entry
from accounts.models import Invitation, Membership, Organisation
from tests import concurrency
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.django_db(transaction=True), concurrency.POSTGRESQL_ONLY]

ROUNDS = 10


def at_once(function, times):
    """Run `function` in `times` threads released together; the errors they raised."""
    return concurrency.errors_of(concurrency.collide([(function, ())] * times))


def test_the_same_list_sent_twice_at_once_invites_each_address_once(eager_tasks):
    company = OrganisationFactory(kind=Organisation.Kind.COMPANY, name="Banque du Nord")
    referent = MembershipFactory(organisation=company, role=Membership.Role.ADMIN).user
    for round_ in range(ROUNDS):
        entries = [Entry("", f"r{round_}-p{n}@example.org") for n in range(5)]
        errors = at_once(lambda entries=entries: invitations.invite(company, referent, entries), 2)
        assert errors == []
    emails = list(Invitation.objects.values_list("email", flat=True))
    assert len(emails) == len(set(emails)) == ROUNDS * 5, "one pending invitation per address"
    sent = [message.to[0] for message in mail.outbox]
    assert sorted(sent) == sorted(emails), "one e-mail per address"
