"""Every URL × every role × GET and POST: the whole access table of Probono in one place.

One row per URL name (a name may have several rows, "name#variant", for targets that differ:
a draft and a published need). Each row gives the status each role SHOULD get, first for a
GET, then for a POST, in the order of ROLES. A POST is sent empty: a role that may act gets
the form back with what is missing (200 or 400) or a message and a redirect (302), anyone
else the refusal. Anonymous people are sent to log in (LOGIN) where a page needs it.
A view that answers one method only answers the other with 405 (or refuses first).

The world (build_world) is built once per row; each request runs in a savepoint rolled back
after it, so a POST of one role (publishing, completing a mission) changes nothing for the
next. A URL name without a row fails test_every_url_has_a_row.
"""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Membership, Organisation
from matching.models import NeedTemplate, Proposal
from pages.models import Page, Question
from tests.factories import MembershipFactory, NeedFactory, OfferFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind
LOGIN = "login"  # a redirect to the log-in page

ROLES = (
    "association_a",  # administrator of association A (Aisne, 02): its needs, mission, receipts
    "association_b",  # member of association B (Somme, 80): must see nothing of A
    "volunteer",  # employee of company C (Nord, 59): the offer, the proposals, the mission
    "other_volunteer",  # agent of a public body (62), with an offer of their own
    "company_referent",  # administrator of company C: its mécénat pages, the employer's side
    "cress_staff",  # the regional CRESS: reviews every département
    "territorial_reviewer",  # a CRESS reviewer of the Somme (80) only: not A's département
    "anonymous",
)


# The world


def build_world():
    """Two associations, a company with a volunteer and its referent, a public agent, the
    regional CRESS and a reviewer of the Somme; A's needs at every stage of their life."""
    from missions import services
    from missions.models import HoursEntry, Party

    cress = OrganisationFactory(kind=Kind.CRESS, name="CRESS", departement="59", postcode="59000")
    asso_a = OrganisationFactory(name="Association A", departement="02", postcode="02000")
    asso_b = OrganisationFactory(name="Association B", departement="80", postcode="80000")
    company = OrganisationFactory(
        kind=Kind.COMPANY, name="Entreprise C", departement="59", postcode="59000"
    )
    public_body = OrganisationFactory(
        kind=Kind.PUBLIC_BODY, name="Mairie", departement="62", postcode="62000"
    )
    people = {
        "association_a": _member(asso_a, Membership.Role.ADMIN),
        "association_b": _member(asso_b),
        "volunteer": _member(company),
        "other_volunteer": _member(public_body),
        "company_referent": _member(company, Membership.Role.ADMIN),
        "cress_staff": _member(cress),
        "territorial_reviewer": _member(cress, review_departements=["80"]),
        "anonymous": None,
    }
    volunteer, staff = people["volunteer"], people["cress_staff"]
    offer = OfferFactory(volunteer=volunteer, organisation=company, hours_per_month=40,
                         departements=["02", "59", "80"])  # fmt: skip
    other_offer = OfferFactory(volunteer=people["other_volunteer"], organisation=public_body,
                               engagement="benevolat", departements=["62", "80"])  # fmt: skip
    published = NeedFactory(organisation=asso_a)
    # B's need in the Somme, proposed with the public agent's offer: what the territorial
    # reviewer may review.
    somme_need = NeedFactory(organisation=asso_b)

    def proposal(need, offer=offer):
        return Proposal.objects.create(need=need, offer=offer, score=5, parts={}, details={})

    # A proposal approved, waiting for the three sides (mécénat: the employer answers too),
    # and one all sides accepted: a mission under way, with hours confirmed (the receipt's)
    # and hours waiting for the structure.
    asked, started = (
        proposal(NeedFactory(organisation=asso_a)),
        proposal(NeedFactory(organisation=asso_a)),
    )
    for approved in (asked, started):
        services.approve(approved.pk, staff, no_commercial_link=True)
    services.answer(started.pk, volunteer, Party.VOLUNTEER, "accepted")
    services.answer(started.pk, people["company_referent"], Party.EMPLOYER, "accepted")
    mission = services.answer(started.pk, people["association_a"], Party.ASSOCIATION, "accepted")
    today = mission.started_at.date()
    confirmed = services.log_hours(mission, volunteer, today, 120, "Atelier")
    services.decide_hours(confirmed, people["association_a"], confirm=True)
    logged = services.log_hours(mission, volunteer, today, 90, "Premier rendez-vous")
    assert logged.status == HoursEntry.Status.LOGGED
    pk = {
        "asso_a": asso_a.pk,
        "company": company.pk,
        "draft": NeedFactory(organisation=asso_a, status="draft", published_at=None).pk,
        "published": published.pk,
        "filled": started.need_id,  # published, then its mission started: no longer open
        "offer": offer.pk,
        "proposal": proposal(published).pk,
        "somme_proposal": proposal(somme_need, other_offer).pk,
        "asked": asked.pk,
        "mission": mission.pk,
        "hours": logged.pk,
        "request": MembershipFactory(organisation=asso_a, status="pending").pk,
        "a_member": MembershipFactory(organisation=asso_a).pk,
        "year": today.year,
        "skill": published.main_skill_id,
        "template": NeedTemplate.objects.create(
            code="modele",
            main_skill=published.main_skill,
            title_fr="Modèle",
            explanation_fr="Pourquoi.",
            deliverables_fr="Un livrable",
            estimated_hours=10,
        ).pk,
        "domain": published.main_skill.domain_id,
        # A public page and a question of the FAQ (pages/), as load_pages makes them.
        "page": Page.objects.create(
            slug="acteurs-publics", title_fr="Acteurs publics", summary_fr="R.", body_fr="T."
        ).slug,
        "question": Question.objects.create(key="q", question_fr="Q ?", answer_fr="R.").pk,
        # A's administrator's link to confirm their address, with a token that is not one.
        "uid": urlsafe_base64_encode(force_bytes(people["association_a"].pk)),
        "wrong_token": "cdzk8w-0123456789abcdef0123456789abcdef",
        # C's invitation to an address nobody of the world has, and C's shareable link.
        **invitations_of(company, people["company_referent"]),
    }
    return SimpleNamespace(people=people, pk=pk, sessions=sessions_of(people))


def invitations_of(company, referent):
    from accounts import invitations
    from accounts.forms_invitations import Entry

    invitations.invite(company, referent, [Entry("", "invitee@example.org")])
    invitation = company.invitations.get()
    link = invitations.create_link(company, referent, days=30)
    return {
        "invitation": invitation.pk,
        "invitation_token": invitation.token,
        "link": link.pk,
        "link_token": link.token,
    }


def sessions_of(people):
    """Each role's session key, logged in once: every request of the role carries it."""
    sessions = {}
    for role, user in people.items():
        if user:
            client = Client()
            client.force_login(user)
            sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


def _member(organisation, role=Membership.Role.MEMBER, **fields):
    return MembershipFactory(organisation=organisation, role=role, **fields).user


@pytest.fixture
def world():
    return build_world()


# The table


@dataclass(frozen=True)
class Row:
    """The URL's arguments (keys of the world's pks), its GET and POST statuses by role."""

    args: tuple
    get: tuple
    post: tuple
    query: str = ""
    json: bool = False  # the API's: its POST sends an empty JSON object, "{}"


def everyone(status):
    return (status,) * len(ROLES)


L = LOGIN
LOGGED_IN = (200, 200, 200, 200, 200, 200, 200, L)
STAFF_ONLY = (403, 403, 403, 403, 403, 200, 200, L)
ONLY_POST = everyone(405)  # require_POST comes first: anonymous people get it too
ONLY_GET = everyone(405)
# A's organisation page and its members' list: A's members and CRESS staff (the territorial
# reviewer too: staff read every structure's and need's page; they act only in their
# départements).
A_AND_STAFF = (200, 404, 404, 404, 404, 200, 200, L)
A_MANAGES = (200, 404, 404, 404, 404, 403, 403, L)  # A's admin; staff see it, may not change it
# The volunteer's offer: theirs to change; CRESS staff see it but may not change it.
OFFER_OWNER = (404, 404, 200, 404, 404, 403, 403, L)
OFFER_OWNER_ACTS = (404, 404, 302, 404, 404, 403, 403, L)
# Review of A's proposal: regional staff; the Somme's reviewer gets a 404, as if it did not exist.
REVIEW_OF_A = (403, 403, 403, 403, 403, 200, 404, L)
# The company referent's pages for company C: its referent only; CRESS staff get a 403
# (hourly costs are salary data), anyone else a 404 (the volunteer too, a plain employee).
REFERENT = (404, 404, 404, 404, 200, 403, 403, L)
# A's mécénat receipts: A's members; staff 403 (the valuation comes from salaries).
RECEIPTS = (200, 404, 404, 404, 404, 403, 403, L)
# A's mission with the volunteer, mécénat: A, the volunteer and C's referent are its sides;
# regional staff read it; the Somme's reviewer and outsiders get a 404.
MISSION_SIDES = (200, 404, 200, 404, 200, 200, 404, L)
CONFIRMED = (302, 302, 302, 302, 302, 302, 302, L)
# C's invitations: its referent; C's plain employee and staff 403, anyone else 404.
INVITER = (404, 404, 403, 404, 200, 403, 403, L)
INVITER_ACTS = (404, 404, 403, 404, 302, 403, 403, L)
# The API, through the session (DRF's own answers: 401 without credentials, 403 for a missing
# role, 404 for another's row, 405 for a method the endpoint has not, 400 for "{}").
OPEN_API = everyone(200)
API_READ_ONLY = everyone(405)
ASSOCIATION_MEMBERS = (200, 200, 403, 403, 403, 403, 403, 401)
VOLUNTEERS = (403, 403, 200, 200, 200, 403, 403, 401)
API_STAFF = (403, 403, 403, 403, 403, 200, 200, 401)
API_STAFF_NO_POST = (403, 403, 403, 403, 403, 405, 405, 401)

# fmt: off
ROWS = {
    #                       association_a    volunteer       company_referent      territorial
    #                            association_b     other_volunteer     cress_staff         anonymous
    "home": Row((),
        get=                 (200, 200, 200, 200, 200, 200, 200, 200),
        post=                (200, 200, 200, 200, 200, 200, 200, 200)),
    "accessibility": Row((),
        get=                 (200, 200, 200, 200, 200, 200, 200, 200),
        post=                (200, 200, 200, 200, 200, 200, 200, 200)),
    "privacy": Row((),
        get=                 (200, 200, 200, 200, 200, 200, 200, 200),
        post=                (200, 200, 200, 200, 200, 200, 200, 200)),
    # Public pages and FAQ (pages/): anyone reads them; only CRESS staff edit them (an empty
    # POST: the form again with what is missing).
    "pages_index": Row((), get=everyone(200), post=everyone(200)),
    "page_detail": Row(("page",), get=everyone(200), post=everyone(200)),
    "faq": Row((), get=everyone(200), post=everyone(200)),
    # For search engines: robots.txt and the sitemap of the pages, the FAQ and the home page.
    "robots_txt": Row((), get=everyone(200), post=everyone(405)),
    "pages_sitemap": Row((), get=everyone(200), post=everyone(405)),
    "page_edit": Row(("page",), get=STAFF_ONLY, post=STAFF_ONLY),
    "question_create": Row((), get=STAFF_ONLY, post=STAFF_ONLY),
    "question_edit": Row(("question",), get=STAFF_ONLY, post=STAFF_ONLY),
    # E-mail confirmation: everyone here is confirmed already, sent home; a wrong link is a
    # page saying how to get a new one (400), whoever follows it.
    "email_confirmation_required": Row((), get=CONFIRMED, post=CONFIRMED),
    "email_confirmation_resend": Row((), get=ONLY_POST, post=CONFIRMED),
    "email_confirm": Row(("uid", "wrong_token"), get=everyone(400), post=everyone(400)),
    # Accounts and structures
    "profile": Row((), get=LOGGED_IN, post=LOGGED_IN),  # posted empty: the form's errors
    # One's own data (no id: always the logged-in person's): the page, and its POST the JSON
    # file; deleting the account posted without the password: the form's errors.
    "personal_data": Row((), get=LOGGED_IN, post=LOGGED_IN),
    "account_delete": Row((), get=LOGGED_IN, post=LOGGED_IN),
    "organisation_create": Row((), get=LOGGED_IN, post=LOGGED_IN),
    # A POST names the structure to join; empty, it names none.
    "organisation_join": Row((),
        get=LOGGED_IN,
        post=                (404, 404, 404, 404, 404, 404, 404, L)),
    "organisation_detail": Row(("asso_a",), get=A_AND_STAFF, post=A_AND_STAFF),
    "organisation_edit": Row(("asso_a",), get=A_MANAGES, post=A_MANAGES),
    "membership_approve": Row(("asso_a", "request"),
        get=ONLY_POST,
        post=                (302, 404, 404, 404, 404, 403, 403, L)),
    "membership_refuse": Row(("asso_a", "request"),
        get=ONLY_POST,
        post=                (302, 404, 404, 404, 404, 403, 403, L)),
    # Its administrators (CRESS staff only for a structure left without: tests/accounts).
    "membership_make_admin": Row(("asso_a", "a_member"),
        get=ONLY_POST,
        post=                (302, 404, 404, 404, 404, 403, 403, L)),
    "verification_list": Row((), get=STAFF_ONLY, post=STAFF_ONLY),
    "organisation_verify": Row(("asso_a",),
        get=ONLY_POST,
        post=                (403, 403, 403, 403, 403, 302, 404, L)),
    "organisation_suspend": Row(("asso_a",),
        get=ONLY_POST,
        post=                (403, 403, 403, 403, 403, 302, 404, L)),
    # Needs
    "organisation_needs": Row(("asso_a",), get=A_AND_STAFF, post=A_AND_STAFF),
    "need_create": Row(("asso_a",), get=A_MANAGES, post=A_MANAGES),
    # A need from a template (matching/views_guided.py): as need_create. The preview without
    # answers first sends A's members back to the questions.
    "guided_need_choose": Row(("asso_a",), get=A_MANAGES, post=A_MANAGES),
    "guided_need_answers": Row(("asso_a", "template"), get=A_MANAGES, post=A_MANAGES),
    "guided_need_preview": Row(("asso_a", "template"),
        get=                 (302, 404, 404, 404, 404, 403, 403, L),
        post=                (302, 404, 404, 404, 404, 403, 403, L)),
    "need_detail#draft": Row(("draft",), get=A_AND_STAFF, post=A_AND_STAFF),
    # Published: every volunteer reads it (the referent is one, an employee of C).
    "need_detail#published": Row(("published",),
        get=                 (200, 404, 200, 200, 200, 200, 200, L),
        post=                (200, 404, 200, 200, 200, 200, 200, L)),
    "need_edit": Row(("draft",), get=A_MANAGES, post=A_MANAGES),
    "need_publish": Row(("draft",),
        get=ONLY_POST,
        post=                (302, 404, 404, 404, 404, 403, 403, L)),
    "need_cancel": Row(("published",),
        get=ONLY_POST,
        post=                (302, 404, 404, 404, 404, 403, 403, L)),
    # The published needs for anyone, signed in or not (matching/views_public.py): only a
    # published need of a verified structure; nothing to post.
    "public_needs": Row((), get=everyone(200), post=everyone(405)),
    "public_needs#filtered": Row((), get=everyone(200), post=everyone(405),
                                 query="?departement=02"),
    "public_need": Row(("published",), get=everyone(200), post=everyone(405)),
    "public_need#draft": Row(("draft",), get=everyone(404), post=everyone(405)),
    # Once published, now closed: « Ce besoin n'est plus ouvert » (410 Gone) for everyone.
    "public_need#filled": Row(("filled",), get=everyone(410), post=everyone(405)),
    "public_needs_sitemap": Row((), get=everyone(200), post=everyone(405)),
    "need_list": Row((),
        get=                 (403, 403, 200, 200, 200, 200, 200, L),
        post=                (403, 403, 200, 200, 200, 200, 200, L)),
    # "I'm interested", posted without an offer: a volunteer is told to pick one (302); A's
    # members and staff see the need but are no volunteers.
    "need_interest": Row(("published",),
        get=ONLY_POST,
        post=                (403, 404, 302, 302, 302, 403, 403, L)),
    # Offers
    "offer_create": Row((),
        get=                 (403, 403, 200, 200, 200, 403, 403, L),
        post=                (403, 403, 200, 200, 200, 403, 403, L)),
    "my_offers": Row((), get=LOGGED_IN, post=LOGGED_IN),
    # The employer's referent reads its employees' offers.
    "offer_detail": Row(("offer",),
        get=                 (404, 404, 200, 404, 200, 200, 200, L),
        post=                (404, 404, 200, 404, 200, 200, 200, L)),
    "offer_edit": Row(("offer",), get=OFFER_OWNER, post=OFFER_OWNER),
    "offer_pause": Row(("offer",), get=ONLY_POST, post=OFFER_OWNER_ACTS),
    "offer_resume": Row(("offer",), get=ONLY_POST, post=OFFER_OWNER_ACTS),
    "offer_list": Row((), get=STAFF_ONLY, post=STAFF_ONLY),
    # The matcher and the review (CRESS staff)
    "matcher_runs": Row((), get=STAFF_ONLY, post=STAFF_ONLY),
    "matcher_full_pass": Row((),
        get=ONLY_POST,
        post=                (403, 403, 403, 403, 403, 302, 302, L)),
    "proposal_list": Row((), get=STAFF_ONLY, post=STAFF_ONLY),
    # Need templates (CRESS staff); created and edited posted empty: the form's errors.
    "need_template_list": Row((), get=STAFF_ONLY, post=STAFF_ONLY),
    "need_template_create": Row((), get=STAFF_ONLY, post=STAFF_ONLY),
    "need_template_edit": Row(("template",), get=STAFF_ONLY, post=STAFF_ONLY),
    # Its POST is the bulk approval, empty: the queue again with what is missing.
    "review_queue": Row((), get=STAFF_ONLY, post=STAFF_ONLY),
    "review_detail": Row(("proposal",), get=REVIEW_OF_A, post=REVIEW_OF_A),
    # B's proposal, in the Somme: the territorial reviewer's to review.
    "review_detail#somme": Row(("somme_proposal",), get=STAFF_ONLY, post=STAFF_ONLY),
    # Approve, reject and notes posted empty: the review page again with what is missing.
    "review_approve": Row(("proposal",), get=ONLY_POST, post=REVIEW_OF_A),
    "review_reject": Row(("proposal",), get=ONLY_POST, post=REVIEW_OF_A),
    "note_on_proposal": Row(("proposal",), get=ONLY_POST, post=REVIEW_OF_A),
    "note_on_need": Row(("published",), get=ONLY_POST, post=REVIEW_OF_A),
    "note_on_organisation": Row(("asso_a",), get=ONLY_POST, post=REVIEW_OF_A),
    "to_handle_first": Row((), get=STAFF_ONLY, post=STAFF_ONLY),
    # Notifications: everyone's own.
    "notification_inbox": Row((), get=LOGGED_IN, post=LOGGED_IN),
    "notification_preferences": Row((), get=LOGGED_IN, post=LOGGED_IN),
    "notification_mark_all_read": Row((),
        get=                 (405, 405, 405, 405, 405, 405, 405, L),
        post=                (302, 302, 302, 302, 302, 302, 302, L)),
    # The two sides of an approved proposal: A, the volunteer and (mécénat) C's referent;
    # regional staff read it. An answer posted empty names no side: refused.
    "proposal_answer": Row(("asked",),
        get=MISSION_SIDES,
        post=                (403, 404, 403, 404, 403, 403, 404, L)),
    "my_missions": Row((), get=LOGGED_IN, post=LOGGED_IN),
    "mission_detail": Row(("mission",), get=MISSION_SIDES, post=MISSION_SIDES),
    # Posted empty: the sides and staff in scope get the page back with what is missing.
    "mission_message": Row(("mission",),
        get=ONLY_POST,
        post=                (400, 404, 400, 404, 400, 400, 404, L)),
    "mission_abandon": Row(("mission",),
        get=ONLY_POST,
        post=                (400, 404, 400, 404, 400, 400, 404, L)),
    "mission_log_hours": Row(("mission",),  # the volunteer's
        get=ONLY_POST,
        post=                (403, 404, 400, 404, 403, 403, 404, L)),
    "hours_edit": Row(("mission", "hours"),  # the volunteer's own entry, until confirmed
        get=                 (403, 404, 200, 404, 403, 403, 404, L),
        post=                (403, 404, 200, 404, 403, 403, 404, L)),
    "hours_decide": Row(("mission", "hours"),  # the structure's
        get=ONLY_POST,
        post=                (400, 404, 403, 404, 403, 403, 404, L)),
    "mission_complete": Row(("mission",),  # the structure and the volunteer
        get=ONLY_POST,
        post=                (302, 404, 302, 404, 403, 403, 404, L)),
    # Feedback names its side: posted empty, it names none (and the mission is not over).
    "mission_feedback": Row(("mission",),
        get=ONLY_POST,
        post=                (403, 404, 403, 404, 403, 403, 404, L)),
    # Mécénat: the convention the three parties sign, read by the mission's sides and staff in
    # scope (missions/views_agreement.py); A's administrator and C's referent record it signed
    # (posted empty: the mission page with what is missing); the volunteer and staff may not.
    "mission_agreement": Row(("mission",), get=MISSION_SIDES, post=ONLY_GET),
    "mission_agreement_pdf": Row(("mission",), get=MISSION_SIDES, post=ONLY_GET),
    "mission_agreement_status": Row(("mission",),
        get=ONLY_POST,
        post=                (400, 404, 403, 404, 400, 403, 404, L)),
    # The observatory (CRESS staff; a territorial reviewer sees their départements: the
    # figures' own tests, tests/observatory/).
    "observatory": Row((), get=STAFF_ONLY, post=STAFF_ONLY),
    "observatory#selection": Row((), get=STAFF_ONLY, post=STAFF_ONLY,
                                 query="?start=2026-01-01&end=2026-06-30&departement=80"),
    "observatory_map": Row((), get=STAFF_ONLY, post=ONLY_GET),
    "observatory_unmet": Row((), get=STAFF_ONLY, post=ONLY_GET),
    "export_needs": Row((), get=STAFF_ONLY, post=ONLY_GET),
    "export_offers": Row((), get=STAFF_ONLY, post=ONLY_GET),
    "export_proposals": Row((), get=STAFF_ONLY, post=ONLY_GET),
    "export_missions": Row((), get=STAFF_ONLY, post=ONLY_GET),
    # Mécénat: the company referent's pages; its one company's dashboard straight away.
    "mecenat_companies": Row((),
        get=                 (403, 403, 403, 403, 302, 403, 403, L),
        post=ONLY_GET),
    "company_dashboard": Row(("company",), get=REFERENT, post=ONLY_GET),
    "company_statement": Row(("company", "year"), get=REFERENT, post=ONLY_GET),
    "company_statement_csv": Row(("company", "year"), get=REFERENT, post=ONLY_GET),
    "company_statement_pdf": Row(("company", "year"), get=REFERENT, post=ONLY_GET),
    # The costs posted empty change nothing (a cost not sent is left as it is): saved, back
    # to the statement. The year's declaration posted empty: the form with what is missing.
    "company_costs": Row(("company", "year"),
        get=REFERENT,
        post=                (404, 404, 404, 404, 302, 403, 403, L)),
    "company_year": Row(("company", "year"),
        get=REFERENT,
        post=                (404, 404, 404, 404, 400, 403, 403, L)),
    "receipt_list": Row(("asso_a",), get=RECEIPTS, post=RECEIPTS),
    "receipt_detail": Row(("asso_a", "company", "year"), get=RECEIPTS, post=RECEIPTS),
    # The REST API (/api/): anyone reads published needs and the catalogue; a structure's
    # members their own needs, volunteers their own offers (the referent is one); CRESS staff
    # the exports (a territorial reviewer their départements').
    "api_published_needs-list": Row((), get=OPEN_API, post=API_READ_ONLY, json=True),
    "api_published_needs-detail": Row(("published",), get=OPEN_API, post=API_READ_ONLY,
                                      json=True),
    "api_skills-list": Row((), get=OPEN_API, post=API_READ_ONLY, json=True),
    "api_skills-detail": Row(("skill",), get=OPEN_API, post=API_READ_ONLY, json=True),
    "api_domains-list": Row((), get=OPEN_API, post=API_READ_ONLY, json=True),
    "api_domains-detail": Row(("domain",), get=OPEN_API, post=API_READ_ONLY, json=True),
    "api_own_needs-list": Row((), json=True,
        get=ASSOCIATION_MEMBERS,
        post=                (400, 400, 403, 403, 403, 403, 403, 401)),
    "api_own_needs-detail": Row(("draft",), json=True,
        get=                 (200, 404, 403, 403, 403, 403, 403, 401),
        post=                (405, 405, 403, 403, 403, 403, 403, 401)),
    "api_own_needs-publish": Row(("draft",), json=True,
        get=                 (405, 405, 403, 403, 403, 403, 403, 401),
        post=                (200, 404, 403, 403, 403, 403, 403, 401)),
    "api_own_offers-list": Row((), json=True,
        get=VOLUNTEERS,
        post=                (403, 403, 400, 400, 400, 403, 403, 401)),
    "api_own_offers-detail": Row(("offer",), json=True,
        get=                 (403, 403, 200, 404, 404, 403, 403, 401),
        post=                (403, 403, 405, 405, 405, 403, 403, 401)),
    "api_own_offers-pause": Row(("offer",), json=True,
        get=                 (403, 403, 405, 405, 405, 403, 403, 401),
        post=                (403, 403, 200, 404, 404, 403, 403, 401)),
    "api_own_offers-resume": Row(("offer",), json=True,
        get=                 (403, 403, 405, 405, 405, 403, 403, 401),
        post=                (403, 403, 200, 404, 404, 403, 403, 401)),
    "api_export_needs": Row((), get=API_STAFF, post=API_STAFF_NO_POST, json=True),
    "api_export_offers": Row((), get=API_STAFF, post=API_STAFF_NO_POST, json=True),
    "api_export_proposals": Row((), get=API_STAFF, post=API_STAFF_NO_POST, json=True),
    "api_export_missions": Row((), get=API_STAFF, post=API_STAFF_NO_POST, json=True),
    "api_schema": Row((), get=OPEN_API, post=API_READ_ONLY, json=True),
    "api_docs": Row((), get=OPEN_API, post=API_READ_ONLY, json=True),
    # The personal token page: a POST makes a new token, shown once.
    "api_token": Row((), get=LOGGED_IN, post=LOGGED_IN),
    # Invitations into company C: its referent's (a verified employer's administrator); C's
    # plain employee and CRESS staff 403 (colleagues' addresses), anyone else 404. Posted
    # empty: the form with what is missing (200).
    "invitation_list": Row(("company",), get=INVITER, post=ONLY_GET),
    "invitation_send": Row(("company",), get=INVITER, post=INVITER),
    "invitation_link_create": Row(("company",), get=INVITER, post=INVITER),
    "invitation_revoke": Row(("company", "invitation"), get=ONLY_POST, post=INVITER_ACTS),
    "invitation_resend": Row(("company", "invitation"), get=ONLY_POST, post=INVITER_ACTS),
    "invitation_link_revoke": Row(("company", "link"), get=ONLY_POST, post=INVITER_ACTS),
    # The invited person's: an e-mail invitation opens for its address only (nobody of the
    # world: 403), sign-up for anonymous people (posted empty: its errors); a link for anyone,
    # « Rejoindre » (posted: joined, 302), C's members sent to C's page.
    "invitation_accept": Row(("invitation_token",),
        get=                 (403, 403, 403, 403, 403, 403, 403, 200),
        post=                (403, 403, 403, 403, 403, 403, 403, 200)),
    "invitation_link_join": Row(("link_token",),
        get=                 (200, 200, 302, 200, 302, 200, 200, 200),
        post=                (302, 302, 302, 302, 302, 302, 302, 200)),
}
# fmt: on


# Cells where the code answers otherwise than the table says it should: reported, to fix.
# The test takes today's answer there, and fails once the code gives the table's answer, so
# that the line is removed. {(row, role, method): today's answer}
# Known defects: (row, role, method) → what the code answers today instead of the table.
# None left: a reviewer of the Somme verifying a structure of the Aisne now gets the 404.
FINDINGS = {}

# Pages outside the table, each for a reason.
NOT_IN_THE_TABLES = {
    # Django's own authentication views: open to everyone by nature, tested in tests/accounts.
    "login": "Django's log-in page, open to all",
    "logout": "Django's log-out (POST), open to all",
    "password_change": "Django's, for the logged-in person only",
    "password_change_done": "Django's",
    "password_reset": "Django's, open to all (tests/accounts)",
    "password_reset_done": "Django's",
    "password_reset_confirm": "Django's; needs a token of one person",
    "password_reset_complete": "Django's",
    "signup": "open to all; its limits: tests/accounts",
    "set_language": "Django's language switch, open to all",
    "health": "for load balancers, open to all (tests/probono)",
    # It needs a notification of that person: tests/notifications/test_inbox.py.
    "notification_follow": "one's own notification only (tests/notifications)",
}


def url_of(world, name):
    row = ROWS[name]
    args = [world.pk[arg] for arg in row.args]
    return reverse(name.split("#")[0], args=args) + row.query


# The tests


@pytest.mark.parametrize("name", ROWS)
def test_who_may_do_what(world, name, eager_tasks):
    """Each role gets its row's status for a GET and for a POST of the URL."""
    url, row = url_of(world, name), ROWS[name]
    got = {
        method: tuple(answer(world, role, method, url, row.json) for role in ROLES)
        for method in ("get", "post")
    }
    expected = {method: today(name, method, getattr(row, method)) for method in got}
    assert got == expected, mismatch_table(name, url, expected, got)


def today(name, method, statuses):
    """The row's statuses, with today's answer where a finding is known."""
    return tuple(
        FINDINGS.get((name, role, method), status)
        for role, status in zip(ROLES, statuses, strict=True)
    )


def answer(world, role, method, url, json=False):
    """The status a role gets (LOGIN for a redirect to log in), in a savepoint rolled back so
    that nothing it does changes what the next role sees; an exception is a 500 named."""
    client = Client()
    if role in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    try:
        with transaction.atomic():
            if json and method == "post":
                response = client.post(url, "{}", content_type="application/json")
            else:
                response = getattr(client, method)(url)
            transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001 - reported in the row's table
        return f"500 {type(error).__name__}"
    return answer_of(response)


def answer_of(response):
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return LOGIN
    return response.status_code


def assert_answer(response, expected):
    """The response has the expected status, or is a redirect to log in for LOGIN."""
    assert answer_of(response) == expected


def mismatch_table(name, url, expected, got):
    """Expected against got for every role, the mismatches marked with "≠"."""
    width = max(len(role) for role in ROLES)
    lines = [f"{name} ({url}): expected / got", f"{'':{width}}  GET            POST"]
    for i, role in enumerate(ROLES):
        cells = []
        for method in ("get", "post"):
            want, have = expected[method][i], got[method][i]
            mark = "  " if want == have else "≠ "
            cells.append(f"{mark}{want!s:>5} / {have!s:<5}")
        lines.append(f"{role:{width}}  {'   '.join(cells)}")
    for (row, role, method), status in FINDINGS.items():
        if row == name:
            should = getattr(ROWS[name], method)[ROLES.index(role)]
            lines.append(f"finding: {role} {method.upper()} should get {should}, got {status}")
    return "\n".join(lines)


def url_names(resolver=None, prefix=""):
    """Every named URL, namespaced ones as "namespace:name" (Django's admin left out: its own
    permissions, is_staff)."""
    resolver = resolver or get_resolver()
    names = {prefix + name for name in resolver.reverse_dict if isinstance(name, str)}
    for namespace, (_pattern, included) in resolver.namespace_dict.items():
        if namespace != "admin":
            names |= url_names(included, f"{prefix}{namespace}:")
    return names


def test_every_url_has_a_row():
    """A new page or action is unfinished until its access rule is in the table."""
    rows = {name.split("#")[0] for name in ROWS}
    assert url_names() - rows - set(NOT_IN_THE_TABLES) == set()


def test_every_row_is_a_url():
    """A row whose URL was removed or renamed is dropped, not kept as a dead promise."""
    names = url_names()
    rows = {name.split("#")[0] for name in ROWS}
    assert (rows | set(NOT_IN_THE_TABLES)) - names == set()


def test_every_finding_is_a_cell_of_the_table():
    for row, role, method in FINDINGS:
        assert row in ROWS and role in ROLES and method in ("get", "post")


def test_a_session_post_to_the_api_needs_the_csrf_token(world):
    """The API rows post through the session with Django's test client, which skips the CSRF
    check (DRF's SessionAuthentication honours its flag); a browser's POST without the token
    is refused by DRF and changes nothing, the same POST with it passes."""
    from matching.models import Offer

    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions["volunteer"]
    url = reverse("api_own_offers-pause", args=[world.pk["offer"]])

    assert_answer(client.post(url, "{}", content_type="application/json"), 403)
    assert Offer.objects.get(pk=world.pk["offer"]).is_active

    client.get(reverse("api_token"))  # a page with a form: the CSRF cookie
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    passed = client.post(url, "{}", content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert_answer(passed, 200)
    assert not Offer.objects.get(pk=world.pk["offer"]).is_active
