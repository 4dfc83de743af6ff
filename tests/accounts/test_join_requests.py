"""Requests to join a structure: its administrators are e-mailed when someone asks, the
person who asked when an administrator accepts or refuses; e-mails leave through a task that
takes ids only, after the transaction commits, and a broker outage never holds the request."""

import json
import re
import time

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import tasks
from accounts.models import Membership, Organisation
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

Role, Status = Membership.Role, Membership.Status


@pytest.fixture
def structure(db):
    return OrganisationFactory(
        kind=Organisation.Kind.COMPANY, name="Banque d'Amiens", departement="80", postcode="80000"
    )


@pytest.fixture
def admin(structure):
    return MembershipFactory(
        organisation=structure, role=Role.ADMIN, user__email="referente@example.org"
    ).user


@pytest.fixture
def asker(db):
    return UserFactory(first_name="Paul", last_name="Durand", email="paul.durand@example.org")


def ask(client, structure, capture, data=None):
    with capture(execute=True):
        return client.post(
            reverse("organisation_join"), {"organisation": structure.pk, **(data or {})}
        )


def decide(client, membership, decision, capture):
    name = "membership_approve" if decision == "approve" else "membership_refuse"
    with capture(execute=True):
        return client.post(reverse(name, args=[membership.organisation_id, membership.pk]))


def link_in(message):
    return re.search(r"https?://[^/\s]+(/\S*)", message.body).group(1)


# Asking


def test_asking_e_mails_each_administrator_of_the_structure(
    client, structure, admin, asker, django_capture_on_commit_callbacks, eager_tasks
):
    """Every active administrator hears of it, with the link to answer; plain members and
    administrators whose own request still waits do not."""
    second = MembershipFactory(organisation=structure, role=Role.ADMIN).user
    MembershipFactory(organisation=structure)  # a plain member
    MembershipFactory(organisation=structure, role=Role.ADMIN, status=Status.PENDING)
    client.force_login(asker)
    ask(client, structure, django_capture_on_commit_callbacks)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([admin.email, second.email])
    message = mail.outbox[0]
    assert len(message.to) == 1  # one e-mail each: no administrator sees the others' address
    assert message.subject == "Probono : Paul Durand demande à rejoindre Banque d'Amiens"
    assert "Paul Durand" in message.body and "Banque d'Amiens" in message.body
    assert link_in(message) == structure.get_absolute_url()
    assert "Banque d&#x27;Amiens" not in message.body  # plain text, not HTML-escaped


def test_asking_twice_e_mails_the_administrators_once(
    client, structure, admin, asker, django_capture_on_commit_callbacks, eager_tasks
):
    client.force_login(asker)
    ask(client, structure, django_capture_on_commit_callbacks)
    ask(client, structure, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


def test_a_request_answered_before_its_e_mail_leaves_is_not_e_mailed(structure, admin, asker):
    """The task reads the request again: decided meanwhile, the administrators are not asked."""
    request = MembershipFactory(organisation=structure, user=asker, status=Status.PENDING)
    request.approve()
    assert tasks.send_join_request_email(request.pk, admin.pk) == 0
    assert tasks.send_join_request_email(request.pk + 1000, admin.pk) == 0
    assert mail.outbox == []


def test_the_administrators_e_mail_needs_an_administrator_still(structure, admin, asker):
    request = MembershipFactory(organisation=structure, user=asker, status=Status.PENDING)
    Membership.objects.filter(user=admin).update(role=Role.MEMBER)
    assert tasks.send_join_request_email(request.pk, admin.pk) == 0
    assert mail.outbox == []


# Answering


def test_an_accepted_request_is_e_mailed_to_the_person_who_asked(
    client, structure, admin, asker, django_capture_on_commit_callbacks, eager_tasks
):
    request = MembershipFactory(organisation=structure, user=asker, status=Status.PENDING)
    client.force_login(admin)
    decide(client, request, "approve", django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == [asker.email]
    assert message.subject == "Probono : votre demande pour rejoindre Banque d'Amiens est acceptée"
    assert link_in(message) == reverse("home")


def test_a_refused_request_is_e_mailed_to_the_person_who_asked(
    client, structure, admin, asker, django_capture_on_commit_callbacks, eager_tasks
):
    request = MembershipFactory(organisation=structure, user=asker, status=Status.PENDING)
    client.force_login(admin)
    decide(client, request, "refuse", django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == [asker.email]
    assert message.subject == (
        "Probono : votre demande pour rejoindre Banque d'Amiens n'a pas été acceptée"
    )
    assert link_in(message) == reverse("organisation_join")
    assert not Membership.objects.filter(user=asker).exists()


def test_a_request_decided_twice_is_e_mailed_once(
    client, structure, admin, asker, django_capture_on_commit_callbacks, eager_tasks
):
    """Two administrators answering the same request: the second finds it answered."""
    request = MembershipFactory(organisation=structure, user=asker, status=Status.PENDING)
    client.force_login(admin)
    decide(client, request, "approve", django_capture_on_commit_callbacks)
    response = decide(client, request, "refuse", django_capture_on_commit_callbacks)
    assert response.status_code == 404  # no longer a request waiting
    assert [message.to for message in mail.outbox] == [[asker.email]]
    assert Membership.objects.get(user=asker).status == Status.ACTIVE


def test_the_answer_task_sends_nothing_when_the_answer_no_longer_holds(structure, asker):
    """Accepted: only while the membership is active; refused: only while it is not."""
    assert tasks.send_join_answer_email(asker.pk, structure.pk, True) == 0
    membership = MembershipFactory(organisation=structure, user=asker)
    assert tasks.send_join_answer_email(asker.pk, structure.pk, False) == 0
    assert tasks.send_join_answer_email(asker.pk, structure.pk, True) == 1
    membership.delete()
    assert tasks.send_join_answer_email(asker.pk, structure.pk, False) == 1
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("gone", ["anonymised", "inactive"])
def test_a_deleted_or_deactivated_account_is_e_mailed_nothing(structure, admin, asker, gone):
    request = MembershipFactory(organisation=structure, user=asker, status=Status.PENDING)
    for person in (admin, asker):
        if gone == "anonymised":
            person.anonymised_at = timezone.now()
        else:
            person.is_active = False
        person.save()
    assert tasks.send_join_request_email(request.pk, admin.pk) == 0
    request.approve()
    assert tasks.send_join_answer_email(asker.pk, structure.pk, True) == 0
    request.delete()
    assert tasks.send_join_answer_email(asker.pk, structure.pk, False) == 0
    assert mail.outbox == []


# The broker


def test_the_tasks_are_queued_with_ids_only(
    client, structure, admin, asker, django_capture_on_commit_callbacks, point_producers_at
):
    from tests.processes import redis_server_or_skip

    redis_server = redis_server_or_skip()
    try:
        point_producers_at(redis_server.url)
        client.force_login(asker)
        ask(client, structure, django_capture_on_commit_callbacks)
        request = Membership.objects.get(user=asker)
        client.force_login(admin)
        decide(client, request, "approve", django_capture_on_commit_callbacks)
        import redis

        queued = redis.Redis.from_url(redis_server.url).lrange("celery", 0, -1)
    finally:
        redis_server.stop()
    envelopes = sorted(
        (json.loads(raw)["headers"]["task"], json.loads(raw)["headers"]["argsrepr"])
        for raw in queued
    )
    assert envelopes == [
        ("accounts.send_join_answer_email", f"({asker.pk}, {structure.pk}, True)"),
        ("accounts.send_join_request_email", f"({request.pk}, {admin.pk})"),
    ]
    for raw in queued:
        for word in (b"paul", b"durand", b"referente", b"example", b"amiens"):
            assert word not in raw.lower()


@pytest.mark.parametrize("outage", ["stopped", "hung"])
def test_asking_and_answering_succeed_at_once_with_the_broker_down(
    client, structure, admin, asker, django_capture_on_commit_callbacks, point_producers_at,
    outage,
):  # fmt: skip
    from tests.processes import broker_down

    with broker_down(outage) as url:
        point_producers_at(url)
        client.force_login(asker)
        started = time.monotonic()
        asked = ask(client, structure, django_capture_on_commit_callbacks)
        client.force_login(admin)
        request = Membership.objects.get(user=asker)
        answered = decide(client, request, "approve", django_capture_on_commit_callbacks)
        seconds = time.monotonic() - started
    assert asked.status_code == 302 and answered.status_code == 302
    assert seconds < 10, f"asking and answering took {seconds:.1f} s"
    assert Membership.objects.get(user=asker).status == Status.ACTIVE
    assert mail.outbox == []


# The way back


def test_the_join_page_carries_the_way_back_into_its_forms(client, structure, admin, asker):
    """Come from a need (« Rejoindre mon employeur »): the search and each « Demander à
    rejoindre » keep where to come back to."""
    client.force_login(asker)
    page = client.get(
        reverse("organisation_join"), {"q": "Amiens", "next": "/besoins-publies/12/"}
    ).content.decode()
    assert page.count('name="next" value="/besoins-publies/12/"') == 2  # search, the result


def test_the_join_page_drops_a_way_back_to_another_site(client, structure, asker):
    client.force_login(asker)
    page = client.get(
        reverse("organisation_join"), {"q": "Amiens", "next": "https://evil.example/"}
    ).content.decode()
    assert 'value="https://evil.example/"' not in page


def test_asking_from_a_need_comes_back_to_it_and_says_the_request_waits(
    client, structure, admin, asker, django_capture_on_commit_callbacks
):
    client.force_login(asker)
    response = ask(client, structure, django_capture_on_commit_callbacks,
                   {"next": "/besoins-publies/12/"})  # fmt: skip
    assert response.url == "/besoins-publies/12/"
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert said == [
        "Votre demande est envoyée aux administrateurs de Banque d'Amiens. Elle attend leur "
        "réponse : vous recevrez un e-mail dès qu'ils auront répondu."
    ]


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/", "//evil.example/", "accueil", "javascript:alert(1)"]
)
def test_asking_never_leads_to_another_site(
    client, structure, admin, asker, django_capture_on_commit_callbacks, elsewhere
):
    client.force_login(asker)
    response = ask(client, structure, django_capture_on_commit_callbacks, {"next": elsewhere})
    assert response.url == reverse("home")


def test_asking_without_a_way_back_leads_home_where_the_request_shows(
    client, structure, admin, asker, django_capture_on_commit_callbacks
):
    client.force_login(asker)
    response = ask(client, structure, django_capture_on_commit_callbacks)
    assert response.url == reverse("home")
    page = client.get(response.url).content.decode().replace("&#x27;", "'")
    assert "Elle attend leur réponse" in page
    assert "Votre demande pour rejoindre Banque d'Amiens attend l'accord" in page


# A structure with no administrator to answer


@pytest.fixture
def unanswered(db):
    """A company with members maybe, but no active administrator (a demo company as seeded)."""
    structure = OrganisationFactory(
        kind=Organisation.Kind.COMPANY, name="Avenance Conseil SA", departement="80"
    )
    MembershipFactory(organisation=structure)  # a plain member cannot answer
    MembershipFactory(organisation=structure, role=Role.ADMIN, status=Status.PENDING)
    return structure


NO_ADMINISTRATOR = (
    "Avenance Conseil SA n'a pas encore d'administrateur ni d'administratrice pour accepter "
    "votre demande : demandez à votre employeur de vous inviter (un référent peut vous "
    "envoyer une invitation), ou écrivez à la CRESS."
)


def test_asking_a_structure_without_administrator_is_refused_and_creates_nothing(
    client, unanswered, asker, django_capture_on_commit_callbacks, eager_tasks
):
    """Nobody could answer: the request would wait forever, unseen."""
    client.force_login(asker)
    response = ask(client, unanswered, django_capture_on_commit_callbacks,
                   {"next": "/besoins-publies/12/"})  # fmt: skip
    assert not Membership.objects.filter(user=asker).exists()
    assert mail.outbox == []
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert said == [NO_ADMINISTRATOR]
    # Back to the search, showing that structure, the way back kept.
    assert response.url == reverse("organisation_join") + (
        "?q=Avenance+Conseil+SA&next=%2Fbesoins-publies%2F12%2F"
    )
    page = client.get(response.url).content.decode().replace("&#x27;", "'")
    assert NO_ADMINISTRATOR in page
    assert 'name="next" value="/besoins-publies/12/"' in page


def test_the_search_shows_why_instead_of_the_button_for_a_structure_without_administrator(
    client, structure, admin, unanswered, asker
):
    OrganisationFactory(kind=Organisation.Kind.ASSOCIATION, name="Amis d'Avenance")
    client.force_login(asker)
    page = client.get(reverse("organisation_join"), {"q": "Aven"}).content.decode()
    page = page.replace("&#x27;", "'")
    assert "Demander à rejoindre Avenance Conseil SA" not in page
    assert NO_ADMINISTRATOR in page
    assert (
        "Amis d'Avenance n'a pas encore d'administrateur ni d'administratrice pour accepter "
        "votre demande : écrivez à la CRESS."
    ) in page
    # A structure with an administrator keeps its button.
    page = client.get(reverse("organisation_join"), {"q": "Amiens"}).content.decode()
    assert "Demander à rejoindre Banque d&#x27;Amiens" in page


def test_a_request_already_made_is_still_told_so_when_no_administrator_is_left(
    client, unanswered, asker
):
    MembershipFactory(organisation=unanswered, user=asker, status=Status.PENDING)
    client.force_login(asker)
    response = client.post(reverse("organisation_join"), {"organisation": unanswered.pk})
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert said == ["Vous avez déjà demandé à rejoindre cette structure."]
    assert Membership.objects.filter(user=asker).count() == 1
