"""factory_boy factories shared by the test suite."""

import datetime

import factory
from django.utils import timezone
from stdnum import luhn

from accounts.communes import communes_of
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
    email_confirmed_at = factory.LazyFunction(timezone.now)


def first_commune(postcode, departement):
    """The INSEE code of a commune of that postcode in that département ("" if none)."""
    found = [c.insee for c in communes_of(postcode) if c.departement == departement]
    return found[0] if found else ""


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.ASSOCIATION
    name = factory.Sequence(lambda n: f"Structure {n}")
    siren = factory.Sequence(lambda n: valid_siren(n + 10_000))
    departement = "02"
    postcode = "02000"
    commune = factory.LazyAttribute(lambda o: first_commune(o.postcode, o.departement))
    status = Organisation.Status.VERIFIED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE


NEW_PASSWORD = "Un-jardin-a-Laon-2026"  # one the password validators accept


def signup_form(**fields):
    """The sign-up form as a newcomer fills it in, with `fields` changed."""
    return {
        "email": "claire.martin@example.org",
        "first_name": "Claire",
        "last_name": "Martin",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "privacy_consent": "on",
        **fields,
    }


def member_of(kind, role=Membership.Role.MEMBER, **organisation_fields):
    """A user with an active membership in a new organisation of that kind."""
    organisation = OrganisationFactory(kind=kind, **organisation_fields)
    return MembershipFactory(organisation=organisation, role=role).user


def skill(code):
    """A skill of the shipped catalogue, by code."""
    from matching.models import Skill

    return Skill.objects.get(code=code)


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "matching.Need"
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Besoin {n}")
    description = "Nous cherchons un accompagnement."
    main_skill = factory.LazyFunction(lambda: skill("fonds-europeens"))
    departement = factory.SelfAttribute("organisation.departement")
    estimated_hours = 10
    wished_start = factory.LazyFunction(lambda: datetime.date.today())
    wished_end = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=90))
    status = "published"
    published_at = factory.LazyFunction(timezone.now)


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "matching.Offer"
        skip_postgeneration_save = True

    volunteer = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.COMPANY)
    title = factory.Sequence(lambda n: f"Offre {n}")
    engagement = "mecenat"
    hours_per_month = 8
    available_from = factory.LazyFunction(lambda: datetime.date.today())

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        """skills=[("fonds-europeens", "expert"), ...]; one confirmed skill by default."""
        from matching.models import OfferSkill

        for code, level in extracted or [("fonds-europeens", "confirmed")]:
            OfferSkill.objects.create(offer=self, skill=skill(code), level=level)

    @factory.post_generation
    def departements(self, create, extracted, **kwargs):
        from matching.models import OfferArea

        for code in extracted or ["59"]:
            OfferArea.objects.create(offer=self, departement=code)
