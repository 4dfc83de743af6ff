"""E-mail invitations: a company's or public body's referent invites colleagues (a pasted list
or a CSV file, with a report), revokes and sends again; the invited person signs up with the
invited address, confirmed at once, or joins from their account; a used, expired or revoked
invitation, another address, a structure that can no longer take people: a French page, and
nothing created."""

import json
import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts import invitations, personal_data, tasks
from accounts.forms_invitations import BATCH_CAP, Entry, read_csv
from accounts.models import Consent, Invitation, Membership, Organisation, User
from tests.accounts import invitation_world as world
from tests.accounts.invitation_world import SIGNUP, a_user, invitation_to
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

# The world's fixtures, by name.
company, referent, employee, people = world.company, world.referent, world.employee, world.people

Kind = Organisation.Kind
LOGIN = "login"


def as_role(client, people, role):
    if people[role]:
        client.force_login(people[role])
    return client


def send(client, company, capture, addresses="", csv_file=None):
    data = {"addresses": addresses}
    if csv_file is not None:
        data["csv_file"] = csv_file
    with capture(execute=True):
        return client.post(reverse("invitation_send", args=[company.pk]), data)


def csv_upload(content, name="collegues.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def link_in(message):
    return re.search(r"https?://[^/\s]+(/invitation/\S+/)", message.body).group(1)


# Who may invite


REFERENT_URLS = {
    "invitation_list": ("get", ()),
    "invitation_send": ("get", ()),
    "invitation_link_create": ("get", ()),
    "invitation_revoke": ("post", ("invitation",)),
    "invitation_resend": ("post", ("invitation",)),
    "invitation_link_revoke": ("post", ("link",)),
}
# Another company's referent and an association's member: 404, as if it did not exist; a
# plain employee of the company and CRESS staff: 403; anonymous people: the log-in page.
REFUSED = {
    "other_referent": 404,
    "association_member": 404,
    "employee": 403,
    "cress_staff": 403,
    "anonymous": LOGIN,
}


def status_of(response):
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("name", REFERENT_URLS)
@pytest.mark.parametrize("role", REFUSED)
def test_only_the_referent_reaches_the_invitation_pages(client, company, people, name, role):
    """Each page and action of the referent, from every other side: refused, nothing done."""
    from accounts.models import InvitationLink

    invitation = invitation_to(company, "a@example.org", by=people["referent"])
    link = InvitationLink.objects.create(
        organisation=company, expires_at=timezone.now() + timedelta(days=7)
    )
    method, args = REFERENT_URLS[name]
    pks = {"invitation": invitation.pk, "link": link.pk}
    url = reverse(name, args=[company.pk, *(pks[arg] for arg in args)])
    response = getattr(as_role(client, people, role), method)(url)
    assert status_of(response) == REFUSED[role]
    invitation.refresh_from_db()
    link.refresh_from_db()
    assert invitation.revoked_at is None and invitation.sent_at is None
    assert link.revoked_at is None


@pytest.mark.parametrize("name", REFERENT_URLS)
def test_the_referent_reaches_each_page(client, company, referent, name, eager_tasks):
    from accounts.models import InvitationLink

    invitation = invitation_to(company, "a@example.org", by=referent)
    link = InvitationLink.objects.create(
        organisation=company, expires_at=timezone.now() + timedelta(days=7)
    )
    method, args = REFERENT_URLS[name]
    pks = {"invitation": invitation.pk, "link": link.pk}
    url = reverse(name, args=[company.pk, *(pks[arg] for arg in args)])
    client.force_login(referent)
    assert getattr(client, method)(url).status_code == (200 if method == "get" else 302)


def test_a_public_body_s_administrator_invites_its_agents(
    client, django_capture_on_commit_callbacks
):
    mairie = OrganisationFactory(kind=Kind.PUBLIC_BODY, name="Mairie d'Amiens")
    admin = MembershipFactory(organisation=mairie, role=Membership.Role.ADMIN).user
    client.force_login(admin)
    response = send(client, mairie, django_capture_on_commit_callbacks, "agent@amiens.fr")
    assert response.status_code == 200
    assert Invitation.objects.filter(organisation=mairie, email="agent@amiens.fr").exists()


@pytest.mark.parametrize(
    "kind, status, says",
    [
        (Kind.COMPANY, Organisation.Status.REGISTERED, "pas encore vérifié votre structure"),
        (Kind.COMPANY, Organisation.Status.SUSPENDED, "est suspendue par la CRESS"),
        (Kind.ASSOCIATION, Organisation.Status.VERIFIED, "demandez-lui de la rejoindre"),
    ],
)
def test_an_administrator_whose_structure_cannot_take_invitees_is_told_why(
    client, django_capture_on_commit_callbacks, kind, status, says
):
    structure = OrganisationFactory(kind=kind, status=status)
    client.force_login(MembershipFactory(organisation=structure, role=Membership.Role.ADMIN).user)
    page = client.get(reverse("invitation_list", args=[structure.pk]))
    assert page.status_code == 403
    assert says in page.content.decode().replace("&#x27;", "'")
    response = send(client, structure, django_capture_on_commit_callbacks, "a@example.org")
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_the_structure_page_links_its_referent_to_the_invitations(client, company, referent):
    client.force_login(referent)
    page = client.get(company.get_absolute_url()).content.decode()
    assert reverse("invitation_list", args=[company.pk]) in page


def test_the_structure_page_has_no_invitation_link_for_a_plain_member(client, company, employee):
    client.force_login(employee)
    page = client.get(company.get_absolute_url()).content.decode()
    assert reverse("invitation_list", args=[company.pk]) not in page


@pytest.mark.parametrize(
    ("kind", "status", "can_invite"),
    [
        (Kind.COMPANY, Organisation.Status.VERIFIED, True),
        (Kind.PUBLIC_BODY, Organisation.Status.VERIFIED, True),
        (Kind.COMPANY, Organisation.Status.REGISTERED, False),
        (Kind.COMPANY, Organisation.Status.SUSPENDED, False),
        (Kind.ASSOCIATION, Organisation.Status.VERIFIED, False),
    ],
)
def test_the_structure_page_offers_invitations_by_the_invitation_pages_own_rule(
    client, kind, status, can_invite
):
    """One rule (can_receive_invitees), decided by the view: the page shows the link exactly
    when the invitation pages would open."""
    structure = OrganisationFactory(kind=kind, status=status)
    client.force_login(MembershipFactory(organisation=structure, role=Membership.Role.ADMIN).user)
    response = client.get(structure.get_absolute_url())
    assert response.context["can_invite"] is can_invite
    assert (reverse("invitation_list", args=[structure.pk]) in response.content.decode()) is (
        can_invite
    )
    assert (client.get(reverse("invitation_list", args=[structure.pk])).status_code == 200) is (
        can_invite
    )


# Reading the addresses


def test_the_form_shows_the_named_address_format_as_text(client, company, referent):
    """« Prénom Nom <adresse> »: the <adresse> part is text to read, not an HTML tag."""
    client.force_login(referent)
    page = client.get(reverse("invitation_send", args=[company.pk])).content.decode()
    assert "« Prénom Nom &lt;adresse&gt; » est accepté." in page
    assert "<adresse>" not in page


def test_a_pasted_list_is_split_on_lines_commas_and_semicolons(
    client, company, referent, django_capture_on_commit_callbacks
):
    client.force_login(referent)
    pasted = (
        "a@example.org\nB@Example.org, c@example.org;d@example.org\r\n\n"
        "Claire Martin <e@example.org>"
    )
    response = send(client, company, django_capture_on_commit_callbacks, pasted)
    assert response.status_code == 200
    assert set(Invitation.objects.values_list("email", flat=True)) == {
        "a@example.org", "b@example.org", "c@example.org", "d@example.org", "e@example.org",
    }  # fmt: skip
    assert "5 invitations envoyées." in response.content.decode()


def test_the_report_says_who_was_refused_and_why(
    client, company, referent, employee, django_capture_on_commit_callbacks
):
    """Invalid, given twice, a member, a request waiting, invited already: refused; an
    invitation expired does not stop a new one; an account of another employer is invited."""
    requester = a_user(email="demande@example.org")
    MembershipFactory(user=requester, organisation=company, status=Membership.Status.PENDING)
    invitation_to(company, "invitee@example.org")
    invitation_to(company, "expiree@example.org", expires_at=timezone.now() - timedelta(days=1))
    elsewhere = a_user(email="ailleurs@example.org")
    MembershipFactory(user=elsewhere, organisation=OrganisationFactory(kind=Kind.COMPANY))
    client.force_login(referent)
    pasted = "\n".join(
        ["pas-une-adresse", "nouvelle@example.org", "Nouvelle@example.org", employee.email,
         "demande@example.org", "invitee@example.org", "expiree@example.org",
         "ailleurs@example.org"]
    )  # fmt: skip
    response = send(client, company, django_capture_on_commit_callbacks, pasted)
    page = response.content.decode().replace("&#x27;", "'")
    assert "3 invitations envoyées." in page
    assert "5 adresses refusées." in page
    for reason in ("Adresse invalide.", "Déjà dans la liste.", "Déjà membre de la structure.",
                   "A déjà demandé à rejoindre la structure",
                   "Déjà invitée : l'invitation est en attente."):  # fmt: skip
        assert reason in page
    pending = Invitation.objects.pending().filter(organisation=company)
    assert set(pending.values_list("email", flat=True)) == {
        "invitee@example.org", "nouvelle@example.org", "expiree@example.org",
        "ailleurs@example.org",
    }  # fmt: skip


def test_a_csv_file_with_a_byte_order_mark_semicolons_and_a_header(
    client, company, referent, django_capture_on_commit_callbacks
):
    client.force_login(referent)
    content = (
        "\ufeffNom;Courriel;Service\nMartin;claire@example.org;RH\nDurand;;Compta\n;\n"
        "Lefèvre;paul@example.org;DSI\n"
    )
    response = send(client, company, django_capture_on_commit_callbacks,
                    csv_file=csv_upload(content.encode("utf-8")))  # fmt: skip
    page = response.content.decode()
    assert set(Invitation.objects.values_list("email", flat=True)) == {
        "claire@example.org", "paul@example.org",
    }  # fmt: skip
    # Durand has no address and « ; » is a blank row: skipped, not reported as invalid.
    assert "Ligne 3 du fichier" not in page
    assert "refusée" not in page


def test_csv_reading_takes_commas_and_a_column_without_header():
    entries = read_csv(b"Martin,claire@example.org\nDurand,pas-une-adresse\n")
    assert [(entry.source, entry.text) for entry in entries] == [
        ("Ligne 1 du fichier", "claire@example.org"),
        ("Ligne 2 du fichier", "pas-une-adresse"),
    ]


def test_a_csv_file_saved_by_a_french_excel_in_windows_1252_is_read(
    client, company, referent, django_capture_on_commit_callbacks
):
    """Excel's « CSV (séparateur : point-virgule) » in France writes Windows-1252: read when
    the file is not UTF-8, its accented header included."""
    client.force_login(referent)
    content = "Prénom;Nom;Adresse e-mail\nPaul;Lefèvre;paul@example.org\nJosé;Müller;pas-une\n"
    response = send(client, company, django_capture_on_commit_callbacks,
                    csv_file=csv_upload(content.encode("cp1252")))  # fmt: skip
    page = response.content.decode()
    assert set(Invitation.objects.values_list("email", flat=True)) == {"paul@example.org"}
    assert "Ligne 3 du fichier" in page and "Adresse invalide." in page


def test_a_csv_file_in_neither_utf8_nor_windows_1252_is_refused_in_french(
    client, company, referent, django_capture_on_commit_callbacks
):
    client.force_login(referent)
    unreadable = b"\x81\x8d;paul@example.org"  # bytes that Windows-1252 leaves undefined
    response = send(client, company, django_capture_on_commit_callbacks,
                    addresses="a@example.org", csv_file=csv_upload(unreadable))  # fmt: skip
    assert response.status_code == 200
    assert "encodé en UTF-8" in response.content.decode()
    assert "a@example.org" in response.content.decode()  # what was typed is kept
    assert not Invitation.objects.exists()


def test_blank_rows_and_blank_address_cells_are_skipped_silently():
    entries = read_csv(b"Nom;Email;Tel\nA;a@example.org;1\nB; ;2\n;;\n\n  \nC;;3\n")
    assert [(entry.source, entry.text) for entry in entries] == [
        ("Ligne 2 du fichier", "a@example.org")
    ]


def test_the_line_number_is_the_file_s_line_not_the_record_s():
    """A quoted cell may span lines: the report names the line the spreadsheet shows."""
    content = b'Nom;Email\n"Martin\nClaire";claire@example.org\nDurand;pas-une-adresse\n'
    entries = read_csv(content)
    assert [(entry.source, entry.text) for entry in entries] == [
        ("Ligne 2 du fichier", "claire@example.org"),
        ("Ligne 4 du fichier", "pas-une-adresse"),
    ]


def test_old_mac_line_endings_are_read():
    entries = read_csv(b"email\ra@example.org\rb@example.org\r")
    assert [entry.text for entry in entries] == ["a@example.org", "b@example.org"]


def test_a_csv_file_that_cannot_be_read_is_refused_in_french(
    client, company, referent, django_capture_on_commit_callbacks
):
    """An unclosed quote swallows the rest of the file into one field beyond the csv
    module's limit: a form error, not a 500."""
    client.force_login(referent)
    unreadable = b'email\n"claire@example.org\n' + b"y" * 140_000
    response = send(client, company, django_capture_on_commit_callbacks,
                    addresses="a@example.org", csv_file=csv_upload(unreadable))  # fmt: skip
    assert response.status_code == 200
    assert "Le fichier CSV n&#x27;a pas pu être lu" in response.content.decode()
    assert "a@example.org" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    "content",
    [
        # The quote opened on line 3: Alpha alone was sent, the rest swallowed silently.
        b'alpha@example.org\n"bravo@example.org\ncharlie@example.org\ndelta@example.org\n',
        # On line 2: the file was read as holding no address at all.
        b'email\n"alpha@example.org\nbravo@example.org\ncharlie@example.org\n',
    ],
    ids=["quote-on-line-3", "quote-on-line-2"],
)
def test_a_quote_left_open_in_a_small_csv_file_is_refused_and_nothing_sent(
    client, company, referent, django_capture_on_commit_callbacks, eager_tasks, content
):
    """A small file is far from the csv module's field limit: only a strict reading sees the
    quote still open at the end."""
    client.force_login(referent)
    response = send(client, company, django_capture_on_commit_callbacks,
                    csv_file=csv_upload(content))  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "Le fichier CSV n&#x27;a pas pu être lu (un guillemet non fermé ?)" in page
    assert "Collez au moins une adresse" not in page
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_more_than_the_cap_is_refused_whole(
    client, company, referent, django_capture_on_commit_callbacks
):
    client.force_login(referent)
    pasted = "\n".join(f"p{n}@example.org" for n in range(BATCH_CAP + 1))
    response = send(client, company, django_capture_on_commit_callbacks, pasted)
    page = response.content.decode()
    assert f"Au plus {BATCH_CAP} adresses par envoi : la liste en compte {BATCH_CAP + 1}" in page
    assert "p200@example.org" in page
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_exactly_the_cap_is_sent(
    client, company, referent, django_capture_on_commit_callbacks, eager_tasks
):
    client.force_login(referent)
    pasted = "\n".join(f"p{n}@example.org" for n in range(BATCH_CAP))
    send(client, company, django_capture_on_commit_callbacks, pasted)
    assert Invitation.objects.count() == BATCH_CAP
    assert len(mail.outbox) == BATCH_CAP


def test_nothing_given_is_an_error(client, company, referent, django_capture_on_commit_callbacks):
    client.force_login(referent)
    response = send(client, company, django_capture_on_commit_callbacks, "  \n ; ,")
    assert "Collez au moins une adresse, ou joignez un fichier CSV." in response.content.decode()
    assert not Invitation.objects.exists()


# The daily cap: a referent's account taken over must not mail thousands of strangers


@pytest.fixture
def small_daily_cap(settings):
    settings.INVITATIONS_PER_DAY = 3


def test_a_structure_sends_at_most_its_daily_cap_of_invitations(
    client, company, referent, django_capture_on_commit_callbacks, eager_tasks, small_daily_cap
):
    """A list that would go beyond it is refused whole, says how many may still leave today
    and when the count starts again; what was typed is kept."""
    client.force_login(referent)
    send(client, company, django_capture_on_commit_callbacks, "a@example.org\nb@example.org")
    response = send(client, company, django_capture_on_commit_callbacks,
                    "c@example.org\nd@example.org")  # fmt: skip
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 429
    assert "Au plus 3 invitations par jour et par structure" in page
    assert "1 peut encore partir aujourd'hui" in page
    assert "à minuit" in page
    assert "c@example.org" in page and "d@example.org" in page
    assert Invitation.objects.count() == 2
    assert len(mail.outbox) == 2
    send(client, company, django_capture_on_commit_callbacks, "c@example.org")
    assert Invitation.objects.count() == 3


def test_addresses_refused_in_the_report_do_not_count_towards_the_cap(
    client, company, referent, django_capture_on_commit_callbacks, eager_tasks, small_daily_cap
):
    client.force_login(referent)
    send(client, company, django_capture_on_commit_callbacks, "a@example.org")
    response = send(client, company, django_capture_on_commit_callbacks,
                    "a@example.org\npas-une-adresse\nb@example.org\nc@example.org")  # fmt: skip
    assert response.status_code == 200
    assert Invitation.objects.count() == 3


def test_sending_again_counts_towards_the_daily_cap(
    client, company, referent, django_capture_on_commit_callbacks, eager_tasks, small_daily_cap
):
    client.force_login(referent)
    send(client, company, django_capture_on_commit_callbacks, "a@b.org\nc@d.org\ne@f.org")
    invitation = Invitation.objects.get(email="a@b.org")
    expires_at = invitation.expires_at
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invitation_resend", args=[company.pk, invitation.pk]), follow=True
        )
    page = response.content.decode().replace("&#x27;", "'")
    assert "Au plus 3 invitations par jour et par structure" in page and "à minuit" in page
    invitation.refresh_from_db()
    assert invitation.expires_at == expires_at and invitation.sent_at is not None
    assert len(mail.outbox) == 3


def test_the_daily_cap_is_each_structure_s_and_starts_again_the_next_day(
    company, referent, small_daily_cap
):
    def invite(organisation, addresses, now):
        entries = [Entry("", address) for address in addresses]
        return invitations.invite(organisation, referent, entries, now=now)

    today = timezone.now()
    invite(company, ["a@example.org", "b@example.org", "c@example.org"], today)
    with pytest.raises(invitations.DailyCapReached):
        invite(company, ["d@example.org"], today)
    other = OrganisationFactory(kind=Kind.COMPANY)
    assert len(invite(other, ["d@example.org"], today)) == 1
    assert len(invite(company, ["d@example.org"], today + timedelta(days=1))) == 1
    assert Invitation.objects.filter(organisation=company).count() == 4


# The e-mail and its task


def test_each_invited_address_gets_its_link_by_e_mail(
    client, company, referent, django_capture_on_commit_callbacks, eager_tasks
):
    client.force_login(referent)
    send(client, company, django_capture_on_commit_callbacks, "claire@example.org")
    [message] = mail.outbox
    invitation = Invitation.objects.get()
    assert message.to == ["claire@example.org"]
    assert message.subject == "Invitation à rejoindre Banque du Nord sur Probono"
    assert str(referent) in message.body
    assert link_in(message) == invitation.get_absolute_url()
    assert invitation.sent_at is not None


def test_the_task_sends_each_invitation_once_and_never_a_dead_one(company):
    pending = invitation_to(company, "a@example.org")
    revoked = invitation_to(company, "b@example.org", revoked_at=timezone.now())
    expired = invitation_to(company, "c@example.org", expires_at=timezone.now())
    ids = [pending.pk, revoked.pk, expired.pk, 999_999]
    assert tasks.send_invitation_emails(ids) == 1
    assert tasks.send_invitation_emails(ids) == 0
    assert [message.to for message in mail.outbox] == [["a@example.org"]]


def test_the_task_is_queued_with_invitation_ids_only(
    client, company, referent, django_capture_on_commit_callbacks, point_producers_at
):
    from tests.processes import redis_server_or_skip

    redis_server = redis_server_or_skip()
    try:
        point_producers_at(redis_server.url)
        client.force_login(referent)
        send(client, company, django_capture_on_commit_callbacks,
             "claire.martin@example.org\npaul.durand@example.org")  # fmt: skip
        import redis

        queued = redis.Redis.from_url(redis_server.url).lrange("celery", 0, -1)
    finally:
        redis_server.stop()
    ids = sorted(Invitation.objects.values_list("pk", flat=True))
    assert len(queued) == 1
    envelope = json.loads(queued[0])
    assert envelope["headers"]["task"] == "accounts.send_invitation_emails"
    assert envelope["headers"]["argsrepr"] == f"({ids!r},)"
    for word in (b"claire", b"martin", b"paul", b"durand", b"example"):
        assert word not in queued[0].lower()


@pytest.mark.parametrize("outage", ["stopped", "hung"])
def test_inviting_succeeds_at_once_with_the_broker_down(
    client, company, referent, django_capture_on_commit_callbacks, point_producers_at, outage
):
    """The invitations are saved and the report shown; « Renvoyer » sends them later."""
    from tests.processes import broker_down

    with broker_down(outage) as url:
        point_producers_at(url)
        client.force_login(referent)
        started = time.monotonic()
        response = send(client, company, django_capture_on_commit_callbacks, "a@example.org")
        seconds = time.monotonic() - started
    assert response.status_code == 200
    assert "1 invitation envoyée." in response.content.decode()
    assert seconds < 5, f"inviting took {seconds:.1f} s"
    assert Invitation.objects.get().sent_at is None
    assert mail.outbox == []


# Revoke, send again


def test_a_revoked_invitation_no_longer_opens(client, company, referent):
    invitation = invitation_to(company, "a@example.org", by=referent)
    client.force_login(referent)
    response = client.post(reverse("invitation_revoke", args=[company.pk, invitation.pk]))
    assert response.url == reverse("invitation_list", args=[company.pk])
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    client.logout()
    page = client.get(invitation.get_absolute_url())
    assert page.status_code == 410
    assert "a été révoquée par la structure" in page.content.decode()


def test_sending_again_renews_the_invitation_and_e_mails_it(
    client, company, referent, django_capture_on_commit_callbacks, eager_tasks
):
    invitation = invitation_to(company, "a@example.org", by=referent,
                               expires_at=timezone.now() - timedelta(days=2),
                               sent_at=timezone.now() - timedelta(days=32))  # fmt: skip
    client.force_login(referent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("invitation_resend", args=[company.pk, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert invitation.expires_at > timezone.now() + timedelta(days=29)
    assert [message.to for message in mail.outbox] == [["a@example.org"]]


def test_sending_again_says_the_life_the_invitation_gets(
    client, company, referent, django_capture_on_commit_callbacks, eager_tasks, monkeypatch
):
    """The message reads the constant the invitation's life comes from (INVITATION_DAYS)."""
    from accounts import views_invitations

    monkeypatch.setattr(invitations, "INVITATION_DAYS", 45)
    monkeypatch.setattr(views_invitations, "INVITATION_DAYS", 45)
    invitation = invitation_to(company, "a@example.org", by=referent)
    client.force_login(referent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invitation_resend", args=[company.pk, invitation.pk]), follow=True
        )
    assert "valable à nouveau 45 jours" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=44)


def test_an_accepted_invitation_is_neither_revoked_nor_sent_again(
    client, company, referent, django_capture_on_commit_callbacks, eager_tasks
):
    invitation = invitation_to(company, "", accepted_at=timezone.now())
    client.force_login(referent)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("invitation_resend", args=[company.pk, invitation.pk]))
        client.post(reverse("invitation_revoke", args=[company.pk, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == "joined"
    assert mail.outbox == []


def test_another_company_s_invitation_cannot_be_revoked_through_mine(client, company, referent):
    """The wrong employer in the URL: 404, the other company's invitation untouched."""
    other = OrganisationFactory(kind=Kind.COMPANY)
    theirs = invitation_to(other, "a@example.org")
    client.force_login(referent)
    for name in ("invitation_revoke", "invitation_resend"):
        assert client.post(reverse(name, args=[company.pk, theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "pending"


# The list


def test_the_list_shows_each_invitation_s_status_and_who_joined(client, company, referent):
    now = timezone.now()
    joiner = a_user(first_name="Léa", last_name="Joinville")
    MembershipFactory(user=joiner, organisation=company,
                      joined_through=Membership.JoinedThrough.EMAIL)  # fmt: skip
    invitation_to(company, "", accepted_at=now, accepted_by=joiner)
    invitation_to(company, "attente@example.org")
    invitation_to(company, "expiree@example.org", expires_at=now - timedelta(days=1))
    invitation_to(company, "revoquee@example.org", revoked_at=now)
    client.force_login(referent)
    page = client.get(reverse("invitation_list", args=[company.pk])).content.decode()
    for text in ("Léa Joinville", "Acceptée", "attente@example.org", "En attente",
                 "expiree@example.org", "Expirée", "revoquee@example.org", "Révoquée",
                 "Invitation par e-mail"):  # fmt: skip
        assert text in page


@pytest.mark.parametrize("rows", [3, 50])
def test_the_list_s_queries_are_pinned(client, company, referent, rows, django_assert_num_queries):
    for _ in range(rows):
        joiner = a_user()
        invitation_to(company, "", by=referent, accepted_at=timezone.now(), accepted_by=joiner)
        MembershipFactory(user=joiner, organisation=company,
                          joined_through=Membership.JoinedThrough.EMAIL)  # fmt: skip
    client.force_login(referent)
    # The session, the user, the structure, the user's memberships, the header's unread
    # count, the invitations' count and page (with who sent and accepted them), the links,
    # the members who came by invitation.
    with django_assert_num_queries(9):
        assert client.get(reverse("invitation_list", args=[company.pk])).status_code == 200


def test_the_structure_page_marks_who_joined_by_invitation(client, company, referent):
    MembershipFactory(organisation=company, joined_through=Membership.JoinedThrough.EMAIL)
    client.force_login(referent)
    page = client.get(company.get_absolute_url()).content.decode()
    assert "Arrivée : invitation par e-mail" in page


# The invited person


def test_an_invited_person_signs_up_confirmed_and_attached_to_the_employer(
    client, company, referent, django_capture_on_commit_callbacks, eager_tasks
):
    invitation = invitation_to(company, "claire@example.org", by=referent)
    page = client.get(invitation.get_absolute_url())
    assert page.status_code == 200
    assert 'value="claire@example.org"' in page.content.decode()
    assert "disabled" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        # An address typed in spite of the locked field is ignored: the invited one is taken.
        response = client.post(invitation.get_absolute_url(),
                               {**SIGNUP, "email": "autre@example.org"})  # fmt: skip
    assert response.url == reverse("home")
    user = User.objects.get(email="claire@example.org")
    assert user.email_confirmed_at is not None
    assert Consent.objects.filter(user=user).count() == 1
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.status, membership.role) == (
        company, Membership.Status.ACTIVE, Membership.Role.MEMBER,
    )  # fmt: skip
    assert membership.joined_through == Membership.JoinedThrough.EMAIL
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    assert invitation.email == ""  # erased once accepted
    assert mail.outbox == []  # no confirmation e-mail: the link proved the address
    assert client.get(reverse("home")).wsgi_request.user == user


def test_a_sign_up_with_errors_keeps_the_invitation_and_creates_nothing(client, company):
    invitation = invitation_to(company, "claire@example.org")
    response = client.post(invitation.get_absolute_url(), {**SIGNUP, "privacy_consent": ""})
    assert response.status_code == 200
    assert "Cochez cette case pour créer votre compte" in response.content.decode()
    assert not User.objects.filter(email="claire@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_an_invitation_is_used_once(client, company, django_capture_on_commit_callbacks):
    invitation = invitation_to(company, "claire@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invitation.get_absolute_url(), SIGNUP)
    client.logout()
    second = client.get(invitation.get_absolute_url())
    assert second.status_code == 410
    assert "a déjà servi" in second.content.decode().replace("&#x27;", "'")
    again = client.post(invitation.get_absolute_url(), {**SIGNUP, "last_name": "Bis"})
    assert again.status_code == 410
    assert User.objects.count() == 1  # the first sign-up's only
    assert Membership.objects.filter(organisation=company).count() == 1


def test_an_invitation_accepted_meanwhile_undoes_the_account_being_created(client, company):
    """Two tabs: the second sign-up finds the invitation taken; no account is left behind."""
    invitation = invitation_to(company, "claire@example.org")
    page = client.get(invitation.get_absolute_url())
    assert page.status_code == 200
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    response = client.post(invitation.get_absolute_url(), SIGNUP)
    assert response.status_code == 410
    assert not User.objects.filter(email="claire@example.org").exists()
    assert not Consent.objects.exists()


def test_an_expired_invitation_says_so_and_creates_nothing(client, company):
    invitation = invitation_to(company, "claire@example.org",
                               expires_at=timezone.now() - timedelta(minutes=1))  # fmt: skip
    page = client.get(invitation.get_absolute_url())
    assert page.status_code == 410
    assert "a expiré" in page.content.decode()
    assert client.post(invitation.get_absolute_url(), SIGNUP).status_code == 410
    assert not User.objects.filter(email="claire@example.org").exists()


@pytest.mark.parametrize("token", ["nimporte-quoi", "1.faux", "999999.abc"])
def test_an_unknown_or_forged_token_is_a_french_404(client, company, token):
    invitation_to(company, "claire@example.org")
    page = client.get(reverse("invitation_accept", args=[token]))
    assert page.status_code == 404
    assert "Ce lien d'invitation n'existe pas" in page.content.decode()


def test_a_token_signed_for_another_invitation_does_not_open_this_one(client, company):
    first = invitation_to(company, "a@example.org")
    second = invitation_to(company, "b@example.org")
    number, signature = first.token.split(".", 1)
    forged = f"{second.pk}.{signature}"
    assert client.get(reverse("invitation_accept", args=[forged])).status_code == 404


@pytest.mark.parametrize("status", [Organisation.Status.SUSPENDED, Organisation.Status.REGISTERED])
def test_an_employer_that_can_no_longer_take_people_refuses_its_invitations(
    client, company, status
):
    """The wrong employer: suspended, or its identifiers changed and not verified again."""
    invitation = invitation_to(company, "claire@example.org")
    Organisation.objects.filter(pk=company.pk).update(status=status)
    page = client.get(invitation.get_absolute_url())
    assert page.status_code == 400
    assert "ne peut pas accueillir de nouveaux membres" in page.content.decode()
    assert client.post(invitation.get_absolute_url(), SIGNUP).status_code == 400
    assert not User.objects.filter(email="claire@example.org").exists()


def test_a_logged_in_person_with_the_invited_address_joins_with_a_button(client, company):
    person = a_user(email="claire@example.org")
    invitation = invitation_to(company, "Claire@Example.org")
    client.force_login(person)
    page = client.get(invitation.get_absolute_url()).content.decode()
    assert "Rejoindre Banque du Nord" in page
    assert not Membership.objects.filter(user=person).exists()  # a GET joins nobody
    response = client.post(invitation.get_absolute_url())
    assert response.url == company.get_absolute_url()
    membership = Membership.objects.get(user=person)
    assert membership.status == Membership.Status.ACTIVE
    assert membership.joined_through == Membership.JoinedThrough.EMAIL


def test_a_waiting_request_becomes_a_membership_when_its_invitation_is_accepted(client, company):
    person = a_user(email="claire@example.org")
    MembershipFactory(user=person, organisation=company, status=Membership.Status.PENDING)
    invitation = invitation_to(company, "claire@example.org")
    client.force_login(person)
    client.post(invitation.get_absolute_url())
    assert Membership.objects.get(user=person).status == Membership.Status.ACTIVE


def test_a_person_of_another_employer_joins_a_second_one(client, company):
    person = a_user(email="claire@example.org")
    first = OrganisationFactory(kind=Kind.COMPANY, name="Premier Employeur")
    MembershipFactory(user=person, organisation=first)
    invitation = invitation_to(company, "claire@example.org")
    client.force_login(person)
    assert "Premier Employeur" in client.get(invitation.get_absolute_url()).content.decode()
    client.post(invitation.get_absolute_url())
    assert set(person.memberships.values_list("organisation", flat=True)) == {first.pk, company.pk}


def test_another_address_cannot_use_the_invitation(client, company):
    """An invitation's e-mail must be the account's: a forwarded invitation is refused."""
    other = a_user(email="paul@example.org")
    invitation = invitation_to(company, "claire@example.org")
    client.force_login(other)
    for response in (client.get(invitation.get_absolute_url()),
                     client.post(invitation.get_absolute_url())):  # fmt: skip
        assert response.status_code == 403
        assert "envoyée à une autre adresse e-mail" in response.content.decode()
    assert not Membership.objects.filter(user=other).exists()
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_a_member_already_is_told_so(client, company, employee):
    invitation = invitation_to(company, employee.email)
    client.force_login(employee)
    response = client.get(invitation.get_absolute_url(), follow=True)
    assert "Vous êtes déjà membre de Banque du Nord." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_an_existing_account_logged_out_is_asked_to_log_in(client, company):
    a_user(email="claire@example.org")
    invitation = invitation_to(company, "claire@example.org")
    page = client.get(invitation.get_absolute_url()).content.decode()
    assert "Un compte existe déjà avec l'adresse invitée" in page
    assert f"{reverse('login')}?next=" in page
    assert client.post(invitation.get_absolute_url(), SIGNUP).status_code == 200
    assert User.objects.filter(email="claire@example.org").count() == 1


# Personal data


def test_the_export_holds_the_invitations_sent_to_the_person(company):
    person = a_user(email="claire@example.org")
    invitation_to(company, "claire@example.org")
    invitation_to(company, "autre@example.org")
    data = personal_data.export(person)
    assert [row["email"] for row in data["invitations_received"]] == ["claire@example.org"]
    assert data["invitations_received"][0]["organisation"] == "Banque du Nord"


def test_erasure_deletes_the_invitations_waiting_for_the_address(company):
    person = a_user(email="claire@example.org")
    invitation_to(company, "claire@example.org")
    kept = invitation_to(company, "autre@example.org")
    personal_data.erase(person)
    assert list(Invitation.objects.all()) == [kept]


def test_the_retention_job_erases_the_addresses_no_longer_needed(company):
    now = timezone.now()
    pending = invitation_to(company, "attente@example.org")
    recently_expired = invitation_to(company, "recente@example.org",
                                     expires_at=now - timedelta(days=89))  # fmt: skip
    long_expired = invitation_to(company, "ancienne@example.org",
                                 expires_at=now - timedelta(days=91))  # fmt: skip
    revoked = invitation_to(company, "revoquee@example.org", revoked_at=now)
    assert tasks.erase_invitation_addresses(now) == 2
    emails = dict(Invitation.objects.values_list("pk", "email"))
    assert emails == {
        pending.pk: "attente@example.org",
        recently_expired.pk: "recente@example.org",
        long_expired.pk: "",
        revoked.pk: "",
    }
    assert tasks.erase_invitation_addresses(now) == 0


def test_the_daily_retention_task_runs_the_invitation_cleanup(company):
    invitation_to(company, "revoquee@example.org", revoked_at=timezone.now())
    assert tasks.apply_retention()["invitation_addresses"] == 1
    assert Invitation.objects.get().email == ""


def test_a_claim_lost_to_another_acceptance_undoes_the_whole_transaction(company):
    """Between the page's check and the claim, another tab may accept: the claim fails and
    the account made in the same transaction goes with it."""
    from django.db import transaction

    from accounts import invitations

    invitation = invitation_to(company, "claire@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    with pytest.raises(invitations.Unusable), transaction.atomic():
        user = a_user(email="claire@example.org", email_confirmed_at=None)
        invitations.accept(invitation, user)  # the invitation as the page read it: pending
    assert not User.objects.filter(email="claire@example.org").exists()
    assert not Membership.objects.exists()
