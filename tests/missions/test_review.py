"""The CRESS's review: the queue, a proposal's page, approve, reject, bulk approve; who may."""

from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Organisation
from matching.models import Proposal
from missions.models import Event, Review
from tests.factories import (
    MembershipFactory,
    NeedFactory,
    OfferFactory,
    OrganisationFactory,
    skill,
)
from tests.missions.test_review_world import *  # noqa: F403 - the fixtures
from tests.missions.test_review_world import make_proposal

pytestmark = pytest.mark.django_db

LOGIN = "login"
PERSONAS = (
    "staff", "territorial", "owner", "other_member", "volunteer", "other_volunteer", "referent",
    "anonymous",
)  # fmt: skip
CONFIRM = {"no_commercial_link": "on"}


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def assert_status(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected


# Who may: every view × every persona. Columns follow PERSONAS; "in" is the Somme proposal
# (the territorial reviewer's), "out" the Aisne one.
NOT_STAFF = (403, 403, 403, 403, 403, LOGIN)

GET_TABLE = {
    "review_queue": (None, (200, 200, *NOT_STAFF)),
    "to_handle_first": (None, (200, 200, *NOT_STAFF)),
    "review_detail:in": ("in", (200, 200, *NOT_STAFF)),
    "review_detail:out": ("out", (200, 404, *NOT_STAFF)),
}
POST_TABLE = {
    "review_approve:in": ("in", CONFIRM, (302, 302, *NOT_STAFF)),
    "review_approve:out": ("out", CONFIRM, (302, 404, *NOT_STAFF)),
    "review_reject:in": ("in", {"reason": "skills"}, (302, 302, *NOT_STAFF)),
    "review_reject:out": ("out", {"reason": "skills"}, (302, 404, *NOT_STAFF)),
    "note_on_proposal:in": ("in", {"text": "Vu"}, (302, 302, *NOT_STAFF)),
    "note_on_proposal:out": ("out", {"text": "Vu"}, (302, 404, *NOT_STAFF)),
    "note_on_need:in": ("need:in", {"text": "Vu"}, (302, 302, *NOT_STAFF)),
    "note_on_need:out": ("need:out", {"text": "Vu"}, (302, 404, *NOT_STAFF)),
    "note_on_organisation:in": ("org:in", {"text": "Vu"}, (302, 302, *NOT_STAFF)),
    "note_on_organisation:out": ("org:out", {"text": "Vu"}, (302, 404, *NOT_STAFF)),
    "review_queue": (None, {"proposals": "in", **CONFIRM}, (302, 302, *NOT_STAFF)),
}


def _url(name, target, in_scope, out_of_scope):
    if target is None:
        return reverse(name.split(":")[0])
    kind, _, side = target.rpartition(":")
    proposal = in_scope if (side or target) == "in" else out_of_scope
    pk = {
        "": proposal.pk,
        "need": proposal.need_id,
        "org": proposal.need.organisation_id,
    }[kind]
    return reverse(name.split(":")[0], args=[pk])


@pytest.mark.parametrize("page", GET_TABLE)
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_open_each_review_page(client, people, in_scope, out_of_scope, page, persona):
    target, statuses = GET_TABLE[page]
    if people[persona]:
        client.force_login(people[persona])
    response = client.get(_url(page, target, in_scope, out_of_scope))
    assert_status(response, statuses[PERSONAS.index(persona)])


@pytest.mark.parametrize("action", POST_TABLE)
@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_act_on_a_proposal(client, people, in_scope, out_of_scope, action, persona):
    target, data, statuses = POST_TABLE[action]
    if data.get("proposals") == "in":
        data = {**data, "proposals": [in_scope.pk]}
    if people[persona]:
        client.force_login(people[persona])
    response = client.post(_url(action, target, in_scope, out_of_scope), data)
    assert_status(response, statuses[PERSONAS.index(persona)])


def test_a_missing_proposal_is_a_404_for_staff_and_a_403_for_others(login, cress_staff, volunteer):
    assert login(cress_staff).get(reverse("review_detail", args=[999_999])).status_code == 404
    assert login(volunteer).get(reverse("review_detail", args=[999_999])).status_code == 403


def test_it_refuses_get_on_the_steps(login, cress_staff, in_scope):
    client = login(cress_staff)
    for name in ("review_approve", "review_reject", "note_on_proposal"):
        assert client.get(reverse(name, args=[in_scope.pk])).status_code == 405


# The queue


def test_the_queue_shows_what_staff_decide_on(login, cress_staff, in_scope):
    """Need, structure and its town, the volunteer's skills and levels, score explained,
    source, age."""
    page = login(cress_staff).get(reverse("review_queue")).content.decode()
    assert "Dossier FSE+ Amiens" in page
    assert "Solidarité Somme" in page
    assert "Amiens" in page and "80 – Somme" in page
    assert "Fonds européens (expert)" in page
    assert "8,50" in page or "8.50" in page
    assert "Compétence : fonds européens, niveau expert" in page
    assert "Moteur de mise en relation" in page
    assert "3\xa0jours" in page  # timesince, with a non-breaking space


def test_the_queue_lists_only_pending_proposals(login, cress_staff, in_scope, out_of_scope):
    Proposal.objects.filter(pk=out_of_scope.pk).update(status=Proposal.Status.REJECTED)
    page = login(cress_staff).get(reverse("review_queue")).content.decode()
    assert "Dossier FSE+ Amiens" in page
    assert "Dossier FEDER Laon" not in page


def test_the_regional_cress_sees_every_departement(login, cress_staff, in_scope, out_of_scope):
    page = login(cress_staff).get(reverse("review_queue")).content.decode()
    assert "Dossier FSE+ Amiens" in page and "Dossier FEDER Laon" in page


def test_a_territorial_reviewer_sees_only_their_departements(
    login,
    territorial_reviewer,
    in_scope,
    out_of_scope,
):
    page = login(territorial_reviewer).get(reverse("review_queue")).content.decode()
    assert "Dossier FSE+ Amiens" in page
    assert "Dossier FEDER Laon" not in page
    # The département filter offers theirs only.
    assert '<option value="80"' in page and '<option value="02"' not in page


def test_a_territorial_reviewer_cannot_filter_their_way_out(
    login,
    territorial_reviewer,
    in_scope,
    out_of_scope,
):
    page = login(territorial_reviewer).get(reverse("review_queue"), {"departement": "02"})
    assert page.status_code == 200
    assert "Dossier FEDER Laon" not in page.content.decode()


def _titles(client, **query):
    response = client.get(reverse("review_queue"), query)
    assert response.status_code == 200
    return [p.need.title for p, _why in response.context["rows"]]


@pytest.fixture
def queue(review_offer, somme_association, aisne_association):
    """Three pending proposals of different places, skills, scores, ages and sources."""
    rh = OfferFactory(
        skills=[("droit-du-travail", "junior")], departements=["80"], engagement="benevolat"
    )
    return {
        "somme": make_proposal(
            NeedFactory(organisation=somme_association, title="A Somme"), review_offer,
            score=9, age_days=1,
        ),
        "aisne": make_proposal(
            NeedFactory(organisation=aisne_association, title="B Aisne"), review_offer,
            score=5, age_days=10, source=Proposal.Source.VOLUNTEER,
        ),
        "paie": make_proposal(
            NeedFactory(organisation=somme_association, title="C Paie",
                        main_skill=skill("droit-du-travail")), rh, score=7, age_days=20,
        ),
    }  # fmt: skip


def test_the_queue_is_oldest_first_by_default(login, cress_staff, queue):
    assert _titles(login(cress_staff)) == ["C Paie", "B Aisne", "A Somme"]


def test_it_sorts_by_score(login, cress_staff, queue):
    client = login(cress_staff)
    assert _titles(client, ordering="-score") == ["A Somme", "C Paie", "B Aisne"]
    assert _titles(client, ordering="score") == ["B Aisne", "C Paie", "A Somme"]
    assert _titles(client, ordering="-date") == ["A Somme", "B Aisne", "C Paie"]


def test_it_filters_by_departement_skill_score_age_and_source(login, cress_staff, queue):
    client = login(cress_staff)
    assert _titles(client, departement="02") == ["B Aisne"]
    assert _titles(client, skill=skill("droit-du-travail").pk) == ["C Paie"]
    assert _titles(client, min_score="6.5") == ["C Paie", "A Somme"]
    assert _titles(client, min_age="7") == ["C Paie", "B Aisne"]
    assert _titles(client, source="volunteer") == ["B Aisne"]
    assert _titles(client, departement="80", min_age="7") == ["C Paie"]


@pytest.mark.parametrize(
    "query",
    [{"min_score": "abc"}, {"min_age": "99999999999"}, {"min_age": "-3"}, {"skill": "x"},
     {"departement": "zz"}, {"ordering": "nope"}, {"source": "robot"}, {"page": "999"}],
)  # fmt: skip
def test_odd_query_strings_get_a_page(login, cress_staff, queue, query):
    assert login(cress_staff).get(reverse("review_queue"), query).status_code == 200


def test_the_page_links_keep_the_filters(login, cress_staff, review_offer, somme_association):
    for _n in range(25):
        make_proposal(NeedFactory(organisation=somme_association), review_offer)
    page = login(cress_staff).get(reverse("review_queue"), {"source": "matcher"})
    assert "?source=matcher&amp;page=2" in page.content.decode()


@pytest.mark.parametrize("rows", [3, 50])
def test_the_queue_query_count_does_not_grow_with_rows(
    login,
    cress_staff,
    somme_association,
    django_assert_max_num_queries,
    rows,
):
    # session, user, memberships (roles), the queue's count, its rows (with whether a mécénat
    # employer has a referent), their skills, unread notifications (base template), the skill
    # filter's choices.
    for n in range(rows):
        skills = [("fonds-europeens", "expert"), ("droit-du-travail", "junior")]
        engagement = ("benevolat", "mecenat")[n % 2]  # no employer here has a referent
        offer = OfferFactory(departements=["80"], skills=skills, engagement=engagement)
        make_proposal(NeedFactory(organisation=somme_association), offer)
    client = login(cress_staff)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("review_queue")).status_code == 200


# A mécénat employer without a referent (services.approve refuses it): shown before deciding

NO_REFERENT = "Mécénat : employeur sans référent"


@pytest.fixture
def without_referent(somme_association):
    """A pending mécénat proposal whose employer has no administrator on Probono."""
    company = OrganisationFactory(kind=Organisation.Kind.COMPANY, name="Sans Référent SA")
    volunteer = MembershipFactory(organisation=company).user
    offer = OfferFactory(volunteer=volunteer, organisation=company, departements=["80"])
    need = NeedFactory(organisation=somme_association, title="D Sans référent")
    return make_proposal(need, offer)


def _flags(client):
    rows = client.get(reverse("review_queue")).context["rows"]
    return {p.need.title: p.lacks_referent for p, _why in rows}


def test_the_queue_flags_a_mecenat_employer_without_a_referent(
    login, cress_staff, queue, without_referent
):
    """The badge shows for mécénat without a referent; not for bénévolat (whose employer has
    none either) nor for a mécénat employer with one."""
    client = login(cress_staff)
    assert _flags(client) == {
        "D Sans référent": True, "A Somme": False, "B Aisne": False, "C Paie": False,
    }  # fmt: skip
    page = client.get(reverse("review_queue")).content.decode()
    assert page.count(NO_REFERENT) == 1
    row = page[page.index("D Sans référent") :].split("</tr>")[0]
    assert NO_REFERENT in row


def test_a_pending_or_inactive_administrator_is_no_referent(login, cress_staff, without_referent):
    company = without_referent.offer.organisation
    MembershipFactory(organisation=company, role="admin", status="pending")
    inactive = MembershipFactory(organisation=company, role="admin").user
    inactive.is_active = False
    inactive.save()
    assert _flags(login(cress_staff)) == {"D Sans référent": True}
    MembershipFactory(organisation=company, role="admin")
    assert _flags(login(cress_staff)) == {"D Sans référent": False}


def test_the_review_page_explains_and_offers_no_approval_without_a_referent(
    login, cress_staff, without_referent
):
    page = unescape(
        login(cress_staff).get(reverse("review_detail", args=[without_referent.pk])).text
    )
    assert NO_REFERENT in page
    assert "n'a pas de référent sur Probono pour donner son accord au mécénat" in page
    assert reverse("review_approve", args=[without_referent.pk]) not in page
    assert "Approuver le binôme" not in page
    assert reverse("review_reject", args=[without_referent.pk]) in page  # rejecting stays


def test_the_review_page_has_no_badge_when_the_employer_has_a_referent(
    login, cress_staff, in_scope
):
    page = login(cress_staff).get(reverse("review_detail", args=[in_scope.pk])).text
    assert NO_REFERENT not in page
    assert reverse("review_approve", args=[in_scope.pk]) in page


# Bulk approve


def test_bulk_approve_approves_the_selection(login, cress_staff, queue):
    client = login(cress_staff)
    response = client.post(
        reverse("review_queue"), {"proposals": [queue["somme"].pk, queue["aisne"].pk], **CONFIRM}
    )
    assert response.status_code == 302
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert statuses[queue["somme"].pk] == statuses[queue["aisne"].pk] == "approved"
    assert statuses[queue["paie"].pk] == "proposed"
    assert Review.objects.filter(no_commercial_link=True, reviewer=cress_staff).count() == 2
    assert "2 binômes approuvés" in texts(response)[0]


def test_bulk_approve_needs_the_conflict_check(login, cress_staff, queue):
    """Nothing is approved; the page says why and keeps the ticks."""
    response = login(cress_staff).post(
        reverse("review_queue"), {"proposals": [queue["somme"].pk, queue["aisne"].pk]}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "ni fournisseur ni client" in page and "Rien n'a été approuvé" in page
    assert f'value="{queue["somme"].pk}" id="select-{queue["somme"].pk}" checked' in page
    assert not Proposal.objects.filter(status="approved").exists()


def test_bulk_approve_needs_a_selection(login, cress_staff, queue):
    response = login(cress_staff).post(reverse("review_queue"), CONFIRM)
    assert response.status_code == 200
    assert "Sélectionnez au moins une proposition." in response.content.decode()


def test_bulk_approve_refuses_garbage_ids(login, cress_staff, queue):
    response = login(cress_staff).post(reverse("review_queue"), {"proposals": ["x"], **CONFIRM})
    assert response.status_code == 200
    assert "La sélection n'est pas valide." in unescape(response.content.decode())


def test_bulk_approve_of_a_territorial_reviewer_skips_other_departements(
    login, territorial_reviewer, queue
):
    """A selection mixing in- and out-of-scope rows approves only the in-scope ones."""
    response = login(territorial_reviewer).post(
        reverse("review_queue"),
        {"proposals": [queue["somme"].pk, queue["aisne"].pk, queue["paie"].pk], **CONFIRM},
    )
    statuses = dict(Proposal.objects.values_list("pk", "status"))
    assert statuses[queue["somme"].pk] == statuses[queue["paie"].pk] == "approved"
    assert statuses[queue["aisne"].pk] == "proposed"
    assert any("n'est pas de votre territoire" in text for text in texts(response))


def test_bulk_approve_reports_each_refusal_with_its_reason(login, cress_staff, queue):
    Proposal.objects.filter(pk=queue["aisne"].pk).update(status=Proposal.Status.REJECTED)
    response = login(cress_staff).post(
        reverse("review_queue"), {"proposals": [queue["somme"].pk, queue["aisne"].pk], **CONFIRM}
    )
    messages = texts(response)
    assert "1 binôme approuvé" in messages[0]
    assert "« B Aisne » : Cette proposition a déjà été traitée" in messages[1]


def test_bulk_approve_keeps_the_filters(login, cress_staff, queue):
    response = login(cress_staff).post(
        reverse("review_queue") + "?source=volunteer", {"proposals": [queue["aisne"].pk], **CONFIRM}
    )
    assert response.url == reverse("review_queue") + "?source=volunteer"


# The review page


def test_the_review_page_shows_the_other_candidates_and_the_trail(
    login,
    cress_staff,
    in_scope,
    somme_association,
):
    other_offer = OfferFactory(departements=["80"], engagement="benevolat")
    rival = make_proposal(in_scope.need, other_offer, score=4.25)
    Proposal.objects.filter(pk=rival.pk).update(status=Proposal.Status.REJECTED)
    Event.objects.create(verb=Event.Verb.PROPOSED, proposal=in_scope, detail="passage complet")
    page = login(cress_staff).get(reverse("review_detail", args=[in_scope.pk])).content.decode()
    assert str(other_offer.volunteer) in page and "4,25" in page and "Rejetée" in page
    assert "passage complet" in page and "Proposée" in page
    assert page.index("Compétence et niveau") < page.index("Lieu</th>")  # named, in order
    assert "ni fournisseur ni client de la structure" in page  # the approve form


@pytest.mark.parametrize("others", [1, 20])
def test_the_review_page_query_count_does_not_grow(
    login,
    cress_staff,
    in_scope,
    django_assert_max_num_queries,
    others,
):
    for _n in range(others):
        make_proposal(in_scope.need, OfferFactory(departements=["80"], engagement="benevolat"))
        Event.objects.create(verb=Event.Verb.PROPOSED, proposal=in_scope, actor=cress_staff)
    client = login(cress_staff)
    # session, user, memberships, the proposal (with need, structure, offer, volunteer), its
    # areas, its skills, notes, review, mission, notifications, other candidates, events.
    with django_assert_max_num_queries(12):
        assert client.get(reverse("review_detail", args=[in_scope.pk])).status_code == 200


def test_approve_records_the_conflict_check(login, cress_staff, in_scope):
    response = login(cress_staff).post(reverse("review_approve", args=[in_scope.pk]), CONFIRM)
    assert response.url == reverse("review_queue")
    review = Review.objects.get(proposal=in_scope)
    assert review.decision == "approved" and review.no_commercial_link is True
    assert review.reviewer == cress_staff
    assert Event.objects.filter(proposal=in_scope, verb="approved", actor=cress_staff).exists()
    page = login(cress_staff).get(reverse("review_detail", args=[in_scope.pk])).content.decode()
    assert "Approuvée par la CRESS" in page and str(cress_staff) in page  # the trail
    assert "absence de relation commerciale confirmée" in page


def test_approve_without_the_conflict_check_saves_nothing(login, cress_staff, in_scope):
    response = login(cress_staff).post(reverse("review_approve", args=[in_scope.pk]), {})
    assert response.status_code == 200
    assert "Cochez cette case pour approuver" in response.content.decode()
    in_scope.refresh_from_db()
    assert in_scope.status == "proposed"
    assert not Review.objects.exists()


def test_approving_a_handled_proposal_says_so(login, cress_staff, in_scope):
    client = login(cress_staff)
    client.post(reverse("review_approve", args=[in_scope.pk]), CONFIRM)
    response = client.post(reverse("review_approve", args=[in_scope.pk]), CONFIRM, follow=True)
    assert response.status_code == 200
    assert "déjà été traitée" in response.content.decode()
    assert Review.objects.count() == 1


def test_a_handled_proposal_shows_its_decision_and_no_forms(login, cress_staff, in_scope):
    client = login(cress_staff)
    client.post(reverse("review_reject", args=[in_scope.pk]), {"reason": "distance"})
    page = client.get(reverse("review_detail", args=[in_scope.pk])).content.decode()
    assert "Trop éloignés pour se rencontrer" in page
    assert reverse("review_approve", args=[in_scope.pk]) not in page


def test_approve_is_refused_when_the_volunteer_has_no_capacity_left(
    login,
    cress_staff,
    in_scope,
):
    in_scope.offer.hours_per_month = 8  # one live proposal at a time
    in_scope.offer.save()
    other = make_proposal(NeedFactory(organisation=in_scope.need.organisation), in_scope.offer)
    client = login(cress_staff)
    client.post(reverse("review_approve", args=[other.pk]), CONFIRM)
    response = client.post(reverse("review_approve", args=[in_scope.pk]), CONFIRM, follow=True)
    assert "n'a plus de disponibilité" in unescape(response.content.decode())
    in_scope.refresh_from_db()
    assert in_scope.status == "proposed"


def test_reject_records_the_reason_and_the_text(login, cress_staff, in_scope, eager_tasks):
    response = login(cress_staff).post(
        reverse("review_reject", args=[in_scope.pk]),
        {"reason": "conflict", "comment": "L'employeur est le prestataire paie de l'association."},
    )
    assert response.status_code == 302
    review = Review.objects.get(proposal=in_scope)
    assert (review.decision, review.reason) == ("rejected", "conflict")
    assert review.comment.startswith("L'employeur est le prestataire")
    in_scope.refresh_from_db()
    assert in_scope.status == "rejected"


def test_reject_needs_a_reason(login, cress_staff, in_scope):
    response = login(cress_staff).post(
        reverse("review_reject", args=[in_scope.pk]), {"comment": "Pas le bon profil"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choisissez le motif du rejet." in page
    assert "Pas le bon profil" in page  # what was typed is kept
    assert not Review.objects.exists()


def test_other_reason_needs_a_text(login, cress_staff, in_scope):
    response = login(cress_staff).post(
        reverse("review_reject", args=[in_scope.pk]), {"reason": "other"}
    )
    assert "Précisez la raison du rejet." in response.content.decode()
    assert not Review.objects.exists()


def test_an_unknown_reason_is_refused(login, cress_staff, in_scope):
    response = login(cress_staff).post(
        reverse("review_reject", args=[in_scope.pk]), {"reason": "x"}
    )
    assert response.status_code == 200
    assert not Review.objects.exists()


def test_rejecting_an_approved_proposal_is_refused(login, cress_staff, in_scope):
    client = login(cress_staff)
    client.post(reverse("review_approve", args=[in_scope.pk]), CONFIRM)
    response = client.post(
        reverse("review_reject", args=[in_scope.pk]), {"reason": "skills"}, follow=True
    )
    assert "déjà été traitée" in response.content.decode()
    in_scope.refresh_from_db()
    assert in_scope.status == "approved"


# Links


def test_staff_find_the_queue_from_home_with_the_count(login, cress_staff, in_scope, out_of_scope):
    page = login(cress_staff).get(reverse("home")).content.decode()
    assert reverse("review_queue") in page and "2 en attente" in page
    assert reverse("to_handle_first") in page


def test_a_territorial_reviewer_counts_only_their_departements(
    login,
    territorial_reviewer,
    in_scope,
    out_of_scope,
):
    assert "1 en attente" in login(territorial_reviewer).get(reverse("home")).content.decode()


def test_others_see_no_review_link(login, volunteer, association_admin):
    for person in (volunteer, association_admin):
        assert reverse("review_queue") not in login(person).get(reverse("home")).content.decode()


def test_the_staff_proposal_list_links_to_the_queue(login, cress_staff):
    assert (
        reverse("review_queue") in login(cress_staff).get(reverse("proposal_list")).content.decode()
    )


# The admin: which départements a reviewer covers


def test_the_admin_picks_a_reviewers_departements(territorial_reviewer):
    from accounts.admin import MembershipForm

    membership = territorial_reviewer.memberships.get()
    form = MembershipForm(
        {"user": territorial_reviewer.pk, "role": "member", "status": "active",
         "review_departements": ["80", "02"]},
        instance=membership,
    )  # fmt: skip
    assert form.is_valid(), form.errors
    form.save()
    membership.refresh_from_db()
    assert sorted(membership.review_departements) == ["02", "80"]


def test_only_cress_memberships_review(volunteer):
    from accounts.admin import MembershipForm

    membership = volunteer.memberships.get()
    form = MembershipForm(
        {"user": volunteer.pk, "role": "member", "status": "active", "review_departements": ["80"]},
        instance=membership,
    )
    assert not form.is_valid()
    assert "review_departements" in form.errors
