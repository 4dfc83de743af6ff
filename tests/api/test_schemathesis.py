"""schemathesis against the OpenAPI schema, through the WSGI app (no server, no network).

Every operation of /api/schema/ is called with data generated from the schema: never a
server error, and every answer (status code, content type, body) as the schema describes it.
Each operation runs as the person it is for, with their token (a structure's member, a
volunteer, CRESS staff), on a database holding verified structures with published needs, a
draft, an unverified structure's need, offers, and a mission, so that writes and exports
answer with rows, not only with 401s. Ids in paths and bodies are mapped onto real rows.

Bounded for CI: a few examples per operation, derandomized, no Hypothesis database kept.
"""

import datetime

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Organisation
from matching.models import Need, Offer, Proposal, Skill, SkillDomain
from missions.models import HoursEntry, Mission
from tests.factories import NeedFactory, OfferFactory, OrganisationFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
TODAY = datetime.date.today()


# Loaded when the module is collected: the schema is served without a database query.
# (schemathesis.pytest.from_fixture would load it in a fixture, but its lazy schemas fail on
# pytest 9, which removed the node attribute they rename.)
schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())
# The coverage phase (each field's boundaries, wrong types, missing fields, unexpected
# methods) sends only wrong input: valid input comes from the examples and fuzzing phases.
# Both ways it made 3,000 requests in 105 s; this keeps the run near 40 s.
schema.config.phases.coverage.generation.modes = [GenerationMode.NEGATIVE]


@pytest.fixture(autouse=True)
def on_the_tests_connection():
    """Django closes "old" connections at each request's start and end; inside the test's
    transaction that would poison the connection (Django's own test client unhooks it too)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def people(db, association_member, other_member, volunteer, cress_staff):
    """Rows on every side, and each person's token."""
    association = association_member.memberships.get().organisation
    company = volunteer.memberships.get().organisation
    NeedFactory.create_batch(3, organisation=association)
    NeedFactory(organisation=association, status="draft", published_at=None)
    NeedFactory(organisation=other_member.memberships.get().organisation, departement="59")
    unverified = OrganisationFactory(status=Organisation.Status.REGISTERED, name="Pas vérifiée")
    NeedFactory(organisation=unverified)
    offers = [
        OfferFactory(volunteer=volunteer, organisation=company, departements=["02", "59"]),
        OfferFactory(volunteer=volunteer, organisation=company, is_active=False),
    ]
    need = Need.objects.filter(organisation=association, status="published").first()
    proposal = Proposal.objects.create(need=need, offer=offers[0], score=3, status="accepted")
    mission = Mission.objects.create(
        proposal=proposal, need=need, offer=offers[0], volunteer=volunteer
    )
    HoursEntry.objects.create(
        mission=mission, day=TODAY, minutes=90, status="confirmed", description="RDV"
    )
    return {
        "tokens": {
            user: Token.objects.create(user=user).key
            for user in (association_member, volunteer, cress_staff)
        },
        "association_member": association_member,
        "volunteer": volunteer,
        "cress_staff": cress_staff,
        "association": association,
        "company": company,
    }


def owner(path, people):
    """Whose token an operation is called with: the person it is for."""
    if path.startswith("/api/mes-besoins/"):
        return people["association_member"]
    if path.startswith("/api/mes-offres/"):
        return people["volunteer"]
    if path.startswith("/api/exports/"):
        return people["cress_staff"]
    return None


def row_ids(path, people):
    """The ids a path's {id} is mapped onto: rows the caller may reach."""
    if path.startswith("/api/mes-besoins/"):
        return list(Need.objects.filter(organisation=people["association"]).values_list("pk"))
    if path.startswith("/api/mes-offres/"):
        return list(Offer.objects.filter(volunteer=people["volunteer"]).values_list("pk"))
    if path.startswith("/api/besoins/"):
        return list(Need.objects.open_to_volunteers().values_list("pk"))
    if path.startswith("/api/competences/"):
        return list(Skill.objects.values_list("pk"))
    return list(SkillDomain.objects.values_list("pk"))


def pick(value, ids):
    """A generated integer mapped onto one of the ids; anything else left as generated."""
    if isinstance(value, int) and not isinstance(value, bool) and ids:
        return ids[value % len(ids)][0]
    return value


def real_references(body, people):
    """Generated bodies name real skills and the caller's own structure or employer."""
    if not isinstance(body, dict):
        return
    skills = list(Skill.objects.values_list("pk"))
    if "main_skill" in body:
        body["main_skill"] = pick(body["main_skill"], skills)
    if isinstance(body.get("secondary_skills"), list):
        body["secondary_skills"] = [pick(value, skills) for value in body["secondary_skills"]]
    if isinstance(body.get("skills"), list):
        for item in body["skills"]:
            if isinstance(item, dict) and "skill" in item:
                item["skill"] = pick(item["skill"], skills)
    if "organisation" in body and isinstance(body["organisation"], int):
        mine = people["association"] if "main_skill" in body else people["company"]
        body["organisation"] = mine.pk


@schema.parametrize()
@settings(
    max_examples=8,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case, people):
    if "id" in (case.path_parameters or {}):
        case.path_parameters["id"] = pick(case.path_parameters["id"], row_ids(case.path, people))
    real_references(case.body, people)
    headers = {"Accept-Language": "fr"}
    user = owner(case.path, people)
    if user is not None:
        headers["Authorization"] = f"Token {people['tokens'][user]}"
    case.call_and_validate(headers=headers, checks=CHECKS)
