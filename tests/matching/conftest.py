import pytest

from accounts.models import Membership, Organisation
from tests.factories import MembershipFactory, NeedFactory, OfferFactory, OrganisationFactory


@pytest.fixture
def association(association_member):
    return association_member.memberships.get().organisation


@pytest.fixture
def draft_need(association):
    return NeedFactory(organisation=association, status="draft", published_at=None)


@pytest.fixture
def published_need(association):
    return NeedFactory(organisation=association, title="Monter un dossier FSE+")


@pytest.fixture
def offer(volunteer):
    return OfferFactory(volunteer=volunteer, organisation=volunteer.memberships.get().organisation)


@pytest.fixture
def other_volunteer(db):
    company = OrganisationFactory(
        kind=Organisation.Kind.COMPANY, departement="62", postcode="62000"
    )
    return MembershipFactory(organisation=company).user


@pytest.fixture
def company_referent(offer):
    """The administrator of the offer's company: the HR manager who follows volunteers."""
    return MembershipFactory(organisation=offer.organisation, role=Membership.Role.ADMIN).user


@pytest.fixture
def demo_after_first_pass(db):
    """The state an operator has on day two: the demo seeded and one full pass already run."""
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    call_command("run_matcher", stdout=StringIO())


@pytest.fixture
def committed_demo_after_first_pass(transactional_db, skills_catalogue):
    """Day two, committed, for tests whose web server or worker runs in another process."""
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    call_command("run_matcher", stdout=StringIO())


@pytest.fixture
def point_producers_at():
    """Send this process's tasks to another broker URL for the test, then back."""
    import os

    from probono.celery import app

    before_env, before_url = os.environ.get("CELERY_BROKER_URL"), app.conf.broker_url
    before_eager = app.conf.task_always_eager

    def point(url):
        # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
        os.environ["CELERY_BROKER_URL"] = url
        app.conf.broker_url = url
        app.conf.task_always_eager = False
        app._pool = None
        app.amqp._producer_pool = None

    yield point
    if before_env is None:
        os.environ.pop("CELERY_BROKER_URL", None)
    else:
        os.environ["CELERY_BROKER_URL"] = before_env
    app.conf.broker_url = before_url
    app.conf.task_always_eager = before_eager
    app._pool = None
    app.amqp._producer_pool = None
