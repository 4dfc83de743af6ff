"""factory_boy factories shared by the test suite."""

import factory
from stdnum import luhn

from accounts.models import Membership, Organisation, User


def valid_siren(n):
    """A SIREN with a correct Luhn check digit, distinct for each n."""
    body = f"{n % 10**8:08d}"
    return body + luhn.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password("motdepasse-solide-2026")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.ASSOCIATION
    name = factory.Sequence(lambda n: f"Structure {n}")
    siren = factory.Sequence(lambda n: valid_siren(n + 10_000))
    departement = "02"
    postcode = "02000"
    status = Organisation.Status.VERIFIED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE


def member_of(kind, role=Membership.Role.MEMBER, **organisation_fields):
    """A user with an active membership in a new organisation of that kind."""
    organisation = OrganisationFactory(kind=kind, **organisation_fields)
    return MembershipFactory(organisation=organisation, role=role).user
