"""CRESS staff edit pages and questions on the site (no deploy, no Django admin); nobody else."""

import pytest
from django.urls import reverse

from accounts.models import Membership, Organisation
from pages.models import Page, Question, Revision
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind


@pytest.fixture
def page(loaded):
    return Page.objects.get(slug="acteurs-publics")


@pytest.fixture
def question(loaded):
    return Question.objects.get(key="cest-gratuit")


@pytest.fixture
def territorial_reviewer(cress_staff):
    """A reviewer of the Somme only, in the same CRESS."""
    cress = cress_staff.memberships.get().organisation
    return MembershipFactory(organisation=cress, review_departements=["80"]).user


def form_data(page, **changes):
    """The edit form as the page shows it, with changes."""
    data = {name: getattr(page, name) for name in Page.TEXT_FIELDS}
    data["rules_checked_on"] = page.rules_checked_on or ""
    sources = list(page.sources.all())
    data.update(
        {
            "sources-TOTAL_FORMS": len(sources),
            "sources-INITIAL_FORMS": len(sources),
            "sources-MIN_NUM_FORMS": 0,
            "sources-MAX_NUM_FORMS": 1000,
            "action": "save",
        }
    )
    for i, source in enumerate(sources):
        data.update(
            {
                f"sources-{i}-id": source.pk,
                f"sources-{i}-page": page.pk,
                f"sources-{i}-title": source.title,
                f"sources-{i}-url": source.url,
                f"sources-{i}-dated": source.dated or "",
                f"sources-{i}-order": source.order,
            }
        )
    data.update(changes)
    return data


EDIT_URLS = {
    "page_edit": lambda page, question: reverse("page_edit", args=[page.slug]),
    "question_edit": lambda page, question: reverse("question_edit", args=[question.pk]),
    "question_create": lambda page, question: reverse("question_create"),
}


@pytest.mark.parametrize("name", EDIT_URLS)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "person", ["association_member", "other_member", "volunteer", "cress_staff", "anonymous"]
)
def test_only_cress_staff_may_edit(client, request, page, question, name, method, person):
    url = EDIT_URLS[name](page, question)
    if person != "anonymous":
        client.force_login(request.getfixturevalue(person))
    response = getattr(client, method)(url)
    if person == "cress_staff":
        assert response.status_code == 200
    elif person == "anonymous":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    else:
        assert response.status_code == 403
    if person != "cress_staff":
        assert Revision.objects.count() == 0


def test_a_territorial_reviewer_of_the_cress_may_edit_too(client, page, territorial_reviewer):
    """Staff rights on the site are CRESS membership (is_cress_staff), as for every staff page."""
    client.force_login(territorial_reviewer)
    assert client.get(reverse("page_edit", args=[page.slug])).status_code == 200


def test_a_django_admin_operator_without_cress_membership_may_not(client, page, django_user_model):
    operator = django_user_model.objects.create_user(
        "ops@example.org", "x", first_name="O", last_name="P", is_staff=True
    )
    client.force_login(operator)
    assert client.get(reverse("page_edit", args=[page.slug])).status_code == 403


def test_the_detail_and_faq_show_edit_links_to_staff_only(client, page, question, cress_staff):
    assert reverse("page_edit", args=[page.slug]) not in client.get(page.get_absolute_url()).text
    assert reverse("question_edit", args=[question.pk]) not in client.get(reverse("faq")).text
    client.force_login(cress_staff)
    assert reverse("page_edit", args=[page.slug]) in client.get(page.get_absolute_url()).text
    assert reverse("question_edit", args=[question.pk]) in client.get(reverse("faq")).text


def test_staff_fix_a_date_and_a_source_and_it_is_published_with_its_history(
    client, page, cress_staff
):
    client.force_login(cress_staff)
    data = form_data(page, rules_checked_on="2026-03-02", **{"sources-1-dated": "2022-12-28"})
    response = client.post(reverse("page_edit", args=[page.slug]), data)
    assert response.status_code == 302 and response.url == page.get_absolute_url()
    page.refresh_from_db()
    assert str(page.rules_checked_on) == "2026-03-02"
    assert str(page.sources.all()[1].dated) == "2022-12-28"
    assert page.updated_by == cress_staff and page.edited_by_staff_at is not None
    revision = Revision.objects.get(author=cress_staff)
    assert (revision.page, revision.author) == (page, cress_staff)
    assert revision.content["rules_checked_on"] == "2026-03-02"
    assert revision.content["sources"][1]["dated"] == "2022-12-28"
    shown = client.get(page.get_absolute_url()).text
    assert "Règles vérifiées par la CRESS le 2 mars 2026." in shown
    history = client.get(reverse("page_edit", args=[page.slug])).text
    assert str(cress_staff) in history.split("Historique des modifications")[1]


def test_staff_add_a_source(client, page, cress_staff):
    client.force_login(cress_staff)
    n = page.sources.count()
    data = form_data(page, **{
        "sources-TOTAL_FORMS": n + 1,
        f"sources-{n}-title": "Circulaire du 19 juillet 2023",
        f"sources-{n}-url": "https://www.example.gouv.fr/circulaire",
        f"sources-{n}-dated": "2023-07-19",
        f"sources-{n}-order": 9,
    })  # fmt: skip
    assert client.post(reverse("page_edit", args=[page.slug]), data).status_code == 302
    assert page.sources.count() == n + 1
    shown = client.get(page.get_absolute_url()).text
    assert '<a href="https://www.example.gouv.fr/circulaire" rel="noopener">' in shown


def test_an_edit_with_errors_keeps_what_was_typed_and_saves_nothing(client, page, cress_staff):
    client.force_login(cress_staff)
    before = Page.objects.values().get(pk=page.pk)
    data = form_data(
        page,
        title_fr="",
        body_fr="Texte tapé par la CRESS, à garder.",
        rules_checked_on="32/13/2026",
        **{"sources-0-url": "pas une adresse"},
    )
    response = client.post(reverse("page_edit", args=[page.slug]), data)
    assert response.status_code == 200
    assert "Texte tapé par la CRESS, à garder." in response.text
    assert "pas une adresse" in response.text
    assert "Donnez un titre en français." in response.text
    assert "Saisissez une date valide" in response.text
    assert "Saisissez une adresse web complète" in response.text
    assert Page.objects.values().get(pk=page.pk) == before
    assert Revision.objects.count() == 0


def test_preview_renders_the_markdown_safely_and_saves_nothing(client, page, cress_staff):
    client.force_login(cress_staff)
    before = Page.objects.values().get(pk=page.pk)
    data = form_data(page, action="preview", body_fr="## Aperçu\n\n<script>x()</script>*ok*")
    response = client.post(reverse("page_edit", args=[page.slug]), data)
    assert response.status_code == 200
    preview = response.text.split('class="preview"')[1].split("</section>")[0]
    assert "<h2>Aperçu</h2>" in preview and "<em>ok</em>" in preview
    assert "<script>x()" not in response.text
    assert "## Aperçu" in response.text  # the textarea keeps the Markdown typed
    assert Page.objects.values().get(pk=page.pk) == before


def test_staff_edit_a_question(client, question, cress_staff):
    client.force_login(cress_staff)
    data = {
        "order": 1,
        "question_fr": "Probono est-il gratuit ?",
        "answer_fr": "Oui.",
        "question_en": "Is Probono free?",
        "answer_en": "Yes.",
        "action": "save",
    }
    response = client.post(reverse("question_edit", args=[question.pk]), data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.question_fr == "Probono est-il gratuit ?"
    assert Revision.objects.get(author=cress_staff).question == question
    assert "Probono est-il gratuit ?" in client.get(reverse("faq")).text


def test_staff_add_a_question(client, loaded, cress_staff):
    client.force_login(cress_staff)
    data = {"order": 20, "question_fr": "Nouvelle ?", "answer_fr": "Réponse.", "action": "save"}
    assert client.post(reverse("question_create"), data).status_code == 302
    added = Question.objects.get(question_fr="Nouvelle ?")
    assert added.key.startswith("cress-") and added.edited_by_staff_at
    assert "Nouvelle ?" in client.get(reverse("faq")).text


def test_a_question_with_errors_keeps_what_was_typed(client, question, cress_staff):
    client.force_login(cress_staff)
    data = {"order": "x", "question_fr": "", "answer_fr": "Réponse tapée.", "action": "save"}
    response = client.post(reverse("question_edit", args=[question.pk]), data)
    assert response.status_code == 200
    assert "Réponse tapée." in response.text and "Écrivez la question en français." in response.text
    question.refresh_from_db()
    assert question.question_fr == "Probono est-il payant ?"


def test_an_unconfirmed_staff_account_cannot_edit(client, page, cress_staff):
    cress_staff.email_confirmed_at = None
    cress_staff.save()
    client.force_login(cress_staff)
    response = client.post(reverse("page_edit", args=[page.slug]), form_data(page, body_fr="X"))
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.body_fr != "X"


def test_a_membership_of_the_cress_not_yet_approved_does_not_edit(client, page, cress_staff):
    cress_staff.memberships.update(status=Membership.Status.PENDING)
    client.force_login(cress_staff)
    assert client.get(reverse("page_edit", args=[page.slug])).status_code == 403


def test_a_page_without_rules_has_no_checked_date_to_fill(client, loaded, cress_staff):
    client.force_login(cress_staff)
    response = client.get(reverse("page_edit", args=["entreprises"]))
    assert 'name="rules_checked_on"' not in response.text
    response = client.get(reverse("page_edit", args=["acteurs-publics"]))
    assert 'name="rules_checked_on"' in response.text


# Earlier texts: the one shipped with Probono is kept at the first edit; any is taken back


def test_the_first_edit_keeps_the_shipped_text_as_a_revision(client, page, cress_staff):
    shipped = page.body_fr
    client.force_login(cress_staff)
    client.post(reverse("page_edit", args=[page.slug]), form_data(page, body_fr="Mon texte."))
    client.post(reverse("page_edit", args=[page.slug]), form_data(page, body_fr="Encore."))
    oldest = page.revisions.order_by("pk").first()
    assert oldest.content["body_fr"] == shipped and oldest.content["shipped"] is True
    assert page.revisions.filter(content__shipped=True).count() == 1  # once, not each edit
    history = client.get(reverse("page_edit", args=[page.slug])).content.decode()
    assert "Texte livré avec Probono" in history


def test_staff_take_back_an_earlier_text_into_the_form_then_save_it(client, page, cress_staff):
    shipped = page.body_fr
    client.force_login(cress_staff)
    client.post(reverse("page_edit", args=[page.slug]), form_data(page, body_fr="Erreur."))
    first = page.revisions.order_by("pk").first()
    url = reverse("page_edit", args=[page.slug])
    response = client.get(url, {"version": first.pk})
    assert response.status_code == 200
    assert response.context["form"]["body_fr"].value() == shipped  # in the form, not saved yet
    page.refresh_from_db()
    assert page.body_fr == "Erreur."
    client.post(url, form_data(page, body_fr=shipped))
    page.refresh_from_db()
    assert page.body_fr == shipped


def test_a_question_s_earlier_answer_is_taken_back_too(client, question, cress_staff):
    client.force_login(cress_staff)
    url = reverse("question_edit", args=[question.pk])
    data = {name: getattr(question, name) for name in Question.TEXT_FIELDS}
    client.post(url, {**data, "answer_fr": "Nouvelle réponse."})
    shipped = question.revisions.order_by("pk").first()
    response = client.get(url, {"version": shipped.pk})
    assert response.context["form"]["answer_fr"].value() == question.answer_fr


def test_another_page_s_revision_or_a_bad_one_is_a_404(client, page, question, cress_staff):
    client.force_login(cress_staff)
    data = {name: getattr(question, name) for name in Question.TEXT_FIELDS}
    client.post(reverse("question_edit", args=[question.pk]), {**data, "answer_fr": "R."})
    elsewhere = question.revisions.first()
    url = reverse("page_edit", args=[page.slug])
    assert client.get(url, {"version": elsewhere.pk}).status_code == 404
    assert client.get(url, {"version": "abc"}).status_code == 404
