"""A need written from a template: choose, answer, preview, save a draft the structure edits."""

import datetime
import html
from io import StringIO

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.models import Organisation
from matching.models import Need, NeedTemplate, NeedTemplateQuestion
from matching.views_guided import guided_need_preview
from tests.factories import NeedFactory, OrganisationFactory, member_of, skill

pytestmark = pytest.mark.django_db

START = datetime.date.today() + datetime.timedelta(days=30)
END = START + datetime.timedelta(days=60)


@pytest.fixture
def templates(db):
    call_command("load_need_templates", stdout=StringIO())


@pytest.fixture
def hr(templates):
    return NeedTemplate.objects.get(code="fonction-employeur-rh")


def answers_url(organisation, template):
    return reverse("guided_need_answers", args=[organisation.pk, template.pk])


def preview_url(organisation, template):
    return reverse("guided_need_preview", args=[organisation.pk, template.pk])


def filled(template, **changes):
    """Every question answered (the first choice) and the need's fields as a member types."""
    data = {}
    for question in template.questions.all():
        if question.kind == NeedTemplateQuestion.Kind.CHOICE:
            data[f"answer_{question.pk}"] = question.choices[0]
        else:
            data[f"answer_{question.pk}"] = f"Réponse à « {question.label_fr} »"
    data.update(
        title="Mettre de l'ordre dans nos contrats",
        main_skill=template.main_skill_id,
        secondary_skills=[skill("droit-du-travail").pk, skill("recrutement").pk],
        departement="02",
        remote_ok="on",
        format="mission",
        estimated_hours="18",
        wished_start=START.isoformat(),
        wished_end=END.isoformat(),
    )
    data.update(changes)
    return data


def test_the_saved_need_is_the_one_the_preview_showed(client, association_member, association, hr):
    client.force_login(association_member)
    response = client.post(answers_url(association, hr), filled(hr))
    assert response.status_code == 302
    assert response.url == preview_url(association, hr)

    preview = client.get(response.url)
    assert preview.status_code == 200
    shown = preview.context["need"]
    shown_skills = {s.code for s in preview.context["secondary_skills"]}
    assert Need.objects.count() == 0  # the preview saves nothing

    saved = client.post(preview_url(association, hr))
    need = Need.objects.get()
    assert saved.url == need.get_absolute_url()
    assert (need.title, need.description) == (shown.title, shown.description)
    assert (
        (need.wished_start, need.wished_end)
        == (shown.wished_start, shown.wished_end)
        == (
            START,
            END,
        )
    )
    assert need.main_skill == shown.main_skill == hr.main_skill
    assert (
        {s.code for s in need.secondary_skills.all()}
        == shown_skills
        == {
            "droit-du-travail",
            "recrutement",
        }
    )
    assert (need.departement, need.remote_ok, need.format, need.estimated_hours) == (
        "02",
        True,
        "mission",
        18,
    )
    assert (need.status, need.organisation, need.created_by) == (
        "draft",
        association,
        association_member,
    )
    page = html.unescape(preview.content.decode())
    assert "Mettre de l'ordre dans nos contrats" in page
    assert need.description.splitlines()[-1] in page
    assert f"{START.year}" in page and "Recrutement, Droit du travail et paie" in page


def test_the_description_is_readable_text_from_the_template_and_the_answers(
    client, association_member, association, hr
):
    client.force_login(association_member)
    client.post(answers_url(association, hr), filled(hr))
    client.post(preview_url(association, hr))
    description = Need.objects.get().description
    assert description.startswith(hr.explanation_fr)
    assert "Ce que nous attendons :\n- " + hr.deliverables[0] in description
    first, second = hr.questions.all()[:2]
    assert f"{first.label_fr}\n{first.choices[0]}" in description
    assert f"{second.label_fr}\nRéponse à « {second.label_fr} »" in description
    assert "{" not in description and "answer_" not in description


def test_an_optional_question_left_blank_is_left_out(client, association_member, association, hr):
    optional = hr.questions.get(required=False)
    client.force_login(association_member)
    client.post(answers_url(association, hr), filled(hr, **{f"answer_{optional.pk}": ""}))
    client.post(preview_url(association, hr))
    assert optional.label_fr not in Need.objects.get().description


def test_the_answers_page_is_prefilled_from_the_template(
    client, association_member, association, hr
):
    client.force_login(association_member)
    response = client.get(answers_url(association, hr))
    form = response.context["form"]
    assert form["title"].value() == "Structurer notre fonction employeur"
    assert form["main_skill"].value() == hr.main_skill_id
    assert form["format"].value() == "mission"
    assert form["estimated_hours"].value() == 20
    assert form["departement"].value() == "02"  # the structure's
    assert form["wished_end"].value() - form["wished_start"].value() == datetime.timedelta(weeks=12)
    assert 'name="description"' not in response.content.decode()


def test_a_missing_answer_is_a_french_error_and_keeps_what_was_typed(
    client, association_member, association, hr
):
    required = hr.questions.filter(required=True).first()
    client.force_login(association_member)
    response = client.post(
        answers_url(association, hr),
        filled(hr, title="Un titre à garder", **{f"answer_{required.pk}": ""}),
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert response.context["form"]["title"].value() == "Un titre à garder"
    assert not any(key.startswith("guided_need") for key in dict(client.session.items()))
    assert Need.objects.count() == 0


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"format": "short_session", "estimated_hours": "10"}, "estimated_hours",
         "Une session courte dure environ deux heures"),
        ({"wished_end": (START - datetime.timedelta(days=1)).isoformat()}, "wished_end",
         "La fin souhaitée doit être après le début."),
        ({"estimated_hours": "500"}, "estimated_hours", "Indiquez entre 1 et 200 heures."),
        ({"title": ""}, "title", "Ce champ est obligatoire."),
    ],
)  # fmt: skip
def test_the_need_forms_rules_apply(
    client, association_member, association, hr, changes, field, message
):
    client.force_login(association_member)
    response = client.post(answers_url(association, hr), filled(hr, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert Need.objects.count() == 0


def test_back_from_the_preview_the_answers_are_as_typed(
    client, association_member, association, hr
):
    client.force_login(association_member)
    typed = filled(hr, title="Notre titre à nous", estimated_hours="7")
    client.post(answers_url(association, hr), typed)
    response = client.get(answers_url(association, hr))
    form, answers = response.context["form"], response.context["answers"]
    assert (form["title"].value(), form["estimated_hours"].value()) == ("Notre titre à nous", "7")
    question = hr.questions.all()[2]
    assert answers[f"answer_{question.pk}"].value() == typed[f"answer_{question.pk}"]
    assert not form.errors and not answers.errors


def test_the_preview_without_answers_sends_back_to_the_questions(
    client, association_member, association, hr
):
    client.force_login(association_member)
    for method in (client.get, client.post):
        response = method(preview_url(association, hr))
        assert response.status_code == 302
        assert response.url == answers_url(association, hr)
    assert Need.objects.count() == 0


def test_saving_twice_makes_one_need(client, association_member, association, hr):
    client.force_login(association_member)
    client.post(answers_url(association, hr), filled(hr))
    client.post(preview_url(association, hr))
    again = client.post(preview_url(association, hr), follow=True)
    need = Need.objects.get()
    assert again.redirect_chain == [(need.get_absolute_url(), 302)]
    assert "Ce besoin est déjà enregistré en brouillon" in html.unescape(again.content.decode())


def a_request_of(session_key, user, path):
    """A POST carrying the session as it was read when the request arrived."""
    request = RequestFactory().post(path)
    request.user = user
    request.session = SessionStore(session_key)
    request.session._session_cache = request.session.load()  # read now, as on arrival
    request._messages = FallbackStorage(request)
    return request


def test_two_submits_at_once_save_one_draft(client, association_member, association, hr):
    """A double click: both requests read the session before either saved the need."""
    client.force_login(association_member)
    client.post(answers_url(association, hr), filled(hr))
    key = client.session.session_key
    path = preview_url(association, hr)
    first, second = (a_request_of(key, association_member, path) for _ in range(2))
    saved = guided_need_preview(first, association.pk, hr.pk)
    first.session.save()  # what SessionMiddleware does after the response
    again = guided_need_preview(second, association.pk, hr.pk)
    need = Need.objects.get()
    assert (saved.status_code, saved.url) == (302, need.get_absolute_url())
    assert (again.status_code, again.url) == (302, need.get_absolute_url())
    assert [str(m) for m in second._messages] == [
        "Ce besoin est déjà enregistré en brouillon : le voici. Relisez-le, modifiez-le si "
        "besoin, puis publiez-le."
    ]


def test_a_question_added_meanwhile_is_asked_before_saving(
    client, association_member, association, hr
):
    client.force_login(association_member)
    client.post(answers_url(association, hr), filled(hr))
    NeedTemplateQuestion.objects.create(
        template=hr, label_fr="Une question de plus ?", kind="short", required=True, position=9
    )
    response = client.post(preview_url(association, hr))
    assert response.url == answers_url(association, hr)
    page = client.get(response.url)
    assert "Ce champ est obligatoire." in page.content.decode()
    assert Need.objects.count() == 0


def test_the_draft_is_edited_and_published_as_any_need(client, association_member, association, hr):
    client.force_login(association_member)
    client.post(answers_url(association, hr), filled(hr))
    client.post(preview_url(association, hr))
    need = Need.objects.get()
    edit = client.get(reverse("need_edit", args=[need.pk]))
    assert edit.context["form"]["description"].value() == need.description
    data = filled(hr, description="Tout réécrit par la structure.")
    assert client.post(reverse("need_edit", args=[need.pk]), data).status_code == 302
    client.post(reverse("need_publish", args=[need.pk]))
    need.refresh_from_db()
    assert (need.description, need.status) == ("Tout réécrit par la structure.", "published")


def test_an_inactive_template_is_not_offered(client, association_member, association, hr):
    hr.is_active = False
    hr.save()
    client.force_login(association_member)
    choose = client.get(reverse("guided_need_choose", args=[association.pk]))
    assert hr.title_fr not in choose.content.decode()
    assert client.get(answers_url(association, hr)).status_code == 404


def test_the_priority_areas_come_first(client, association_member, association, templates):
    client.force_login(association_member)
    page = client.get(reverse("guided_need_choose", args=[association.pk])).content.decode()
    priority = [
        "Structurer notre fonction employeur",
        "Mettre en place une veille réglementaire",
        "Consolider notre modèle économique",
        "Préparer une demande de fonds européens",
        "Répondre à un marché public",
    ]
    positions = [page.index(title) for title in priority]
    assert positions == sorted(positions)
    assert max(positions) < page.index("Choisir et prendre en main un outil numérique")
    assert max(positions) < page.index("Préparer un recrutement en deux heures")


def test_the_needs_pages_lead_to_the_templates(client, association_member, association):
    client.force_login(association_member)
    url = reverse("guided_need_choose", args=[association.pk])
    for page in ("organisation_needs", "need_create"):
        assert url in client.get(reverse(page, args=[association.pk])).content.decode()


def test_the_answers_are_in_english_for_an_english_page(
    client, association_member, association, hr
):
    client.force_login(association_member)
    client.cookies.load({"django_language": "en"})
    response = client.get(answers_url(association, hr), HTTP_ACCEPT_LANGUAGE="en")
    assert "How many employees does the organisation have?" in response.content.decode()


# Who may


def all_urls(organisation, template):
    return [
        reverse("guided_need_choose", args=[organisation.pk]),
        answers_url(organisation, template),
        preview_url(organisation, template),
    ]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_member_of_another_structure_gets_404(client, other_member, association, hr, method):
    client.force_login(other_member)
    for url in all_urls(association, hr):
        assert getattr(client, method)(url).status_code == 404, url
    assert Need.objects.count() == 0


def test_a_volunteer_gets_404(client, volunteer, association, hr):
    client.force_login(volunteer)
    for url in all_urls(association, hr):
        assert client.get(url).status_code == 404, url


def test_a_company_cannot_use_templates_for_itself(client, volunteer, hr):
    company = volunteer.memberships.get().organisation
    client.force_login(volunteer)
    for url in all_urls(company, hr):
        assert client.get(url).status_code == 403, url


def test_cress_staff_get_403(client, cress_staff, association, hr):
    client.force_login(cress_staff)
    for url in all_urls(association, hr):
        assert client.get(url).status_code == 403, url
    assert client.post(answers_url(association, hr), filled(hr)).status_code == 403
    assert Need.objects.count() == 0


def test_anonymous_people_are_sent_to_log_in(client, association, hr):
    for url in all_urls(association, hr):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_answers_are_kept_per_structure(client, association_member, association, hr):
    """What a member typed for one structure never fills another structure's need."""
    other = OrganisationFactory()
    association_member.memberships.create(organisation=other, status="active")
    client.force_login(association_member)
    client.post(answers_url(association, hr), filled(hr))
    assert client.get(preview_url(other, hr)).status_code == 302


# The choice page's queries


def more_templates(count):
    for n in range(count):
        template = NeedTemplate.objects.create(
            code=f"modele-{n}",
            main_skill=skill(["site-web", "rgpd", "fonds-europeens"][n % 3]),
            title_fr=f"Modèle {n}",
            explanation_fr="Pour essayer.",
            deliverables_fr="Un livrable",
            estimated_hours=5,
        )
        template.questions.create(label_fr="Une question ?", kind="short")


@pytest.mark.parametrize("rows", [3, 50])
def test_the_choice_page_runs_6_queries(
    client, association_member, association, django_assert_num_queries, rows
):
    more_templates(rows)
    client.force_login(association_member)
    # signed-in page (3: session, user, memberships), the header's unread count, the
    # organisation, the templates with their skill and area
    with django_assert_num_queries(6):
        response = client.get(reverse("guided_need_choose", args=[association.pk]))
    assert response.content.decode().count('class="card"') == rows


def test_a_card_says_the_format_and_hours_once(client, association_member, association, templates):
    client.force_login(association_member)
    page = client.get(reverse("guided_need_choose", args=[association.pk])).content.decode()
    assert "Session courte, 2 heures" in page  # not « Session courte (environ 2 heures), 2 heures »
    assert "(environ 2 heures), 2 heures" not in page
    assert "Mission, 20 heures" in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks, two connections")
def test_two_submits_in_two_threads_save_one_draft(skills_catalogue):
    """A double click for real: two requests of one session at the same moment."""
    from tests.matching.test_concurrency import run_in_threads

    call_command("load_need_templates", stdout=StringIO())
    template = NeedTemplate.objects.get(code="fonction-employeur-rh")
    member = member_of(Organisation.Kind.ASSOCIATION, name="Les Jardins de Laon")
    association = member.memberships.get().organisation
    first = Client()
    first.force_login(member)
    first.post(answers_url(association, template), filled(template))
    second = Client()
    second.cookies = first.cookies
    answers = []
    run_in_threads(
        [
            lambda c=c: answers.append(c.post(preview_url(association, template)))
            for c in (first, second)
        ]
    )
    need = Need.objects.get()
    assert sorted(a.status_code for a in answers) == [302, 302]
    assert {a.url for a in answers} == {need.get_absolute_url()}


def test_the_structure_s_need_list_says_the_format_and_hours_once(
    client, association_member, association
):
    NeedFactory(organisation=association, format="short_session", estimated_hours=2)
    client.force_login(association_member)
    page = client.get(reverse("organisation_needs", args=[association.pk])).content.decode()
    assert "Session courte, 2 heures" in page
    assert "(environ 2 heures), 2 heures" not in page
