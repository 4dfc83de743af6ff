"""Need templates: the shipped file, its loader, and the CRESS staff's pages to manage them."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from matching.forms import MAX_SHORT_SESSION_HOURS
from matching.management.commands.load_need_templates import DATA
from matching.models import NeedTemplate, NeedTemplateQuestion, Skill
from tests.factories import skill

pytestmark = pytest.mark.django_db

PRIORITY = {
    "fonction-employeur-rh",
    "veille-reglementaire",
    "modele-economique",
    "fonds-europeens",
    "commande-publique",
}


def load(**kwargs):
    out = StringIO()
    call_command("load_need_templates", stdout=out, **kwargs)
    return out.getvalue()


# The shipped file


def shipped():
    return json.loads(DATA.read_text(encoding="utf-8"))["templates"]


def test_each_of_the_five_priority_areas_has_a_template_and_there_are_more():
    main_skills = [spec["main_skill"] for spec in shipped()]
    assert set(main_skills) >= PRIORITY
    assert set(Skill.objects.filter(is_priority=True).values_list("code", flat=True)) == PRIORITY
    assert len(main_skills) >= len(PRIORITY) + 4


def test_each_shipped_template_is_complete_in_french_and_english():
    for spec in shipped():
        for field in ("title", "explanation", "deliverables", "prerequisites"):
            assert spec[f"{field}_fr"].strip() and spec[f"{field}_en"].strip(), spec["code"]
        assert 3 <= len(spec["questions"]) <= 5, spec["code"]
        for question in spec["questions"]:
            assert question["label_fr"] and question["label_en"], spec["code"]
            if question["kind"] == "choice":
                fr, en = question["choices_fr"].splitlines(), question["choices_en"].splitlines()
                assert len(fr) == len(en) >= 2, spec["code"]


def test_shipped_short_sessions_last_about_two_hours_and_both_formats_are_offered():
    formats = {spec["format"] for spec in shipped()}
    assert formats == {"short_session", "mission"}
    for spec in shipped():
        if spec["format"] == "short_session":
            assert spec["estimated_hours"] <= MAX_SHORT_SESSION_HOURS, spec["code"]


# The loader


def test_it_loads_every_template_with_its_questions_and_skills():
    assert "10 créé(s)" in load()
    hr = NeedTemplate.objects.get(code="fonction-employeur-rh")
    assert hr.main_skill == skill("fonction-employeur-rh")
    assert [s.code for s in hr.secondary_skills.all()] == ["droit-du-travail"]
    assert hr.questions.count() == 4
    assert [q.position for q in hr.questions.all()] == [0, 1, 2, 3]
    assert NeedTemplate.objects.count() == len(shipped())


def test_running_it_again_creates_nothing():
    load()
    before = (NeedTemplate.objects.count(), NeedTemplateQuestion.objects.count())
    assert "0 créé(s), 10 déjà présent(s)" in load()
    assert (NeedTemplate.objects.count(), NeedTemplateQuestion.objects.count()) == before


def test_it_never_overwrites_what_staff_changed():
    load()
    hr = NeedTemplate.objects.get(code="fonction-employeur-rh")
    hr.title_fr, hr.estimated_hours, hr.is_active = "Notre titre", 12, False
    hr.save()
    hr.questions.first().delete()
    load()
    hr.refresh_from_db()
    assert (hr.title_fr, hr.estimated_hours, hr.is_active) == ("Notre titre", 12, False)
    assert hr.questions.count() == 3


def test_it_brings_back_only_a_missing_template():
    load()
    NeedTemplate.objects.filter(code="recrutement").delete()
    assert "1 créé(s)" in load()
    assert NeedTemplate.objects.filter(code="recrutement").exists()


def test_an_unknown_skill_stops_it_and_creates_nothing(tmp_path):
    templates = shipped()
    templates[-1]["main_skill"] = "jonglage"
    bad = tmp_path / "templates.json"
    bad.write_text(json.dumps({"templates": templates}), encoding="utf-8")
    with pytest.raises(CommandError, match="jonglage"):
        load(file=str(bad))
    assert not NeedTemplate.objects.exists()


# Staff pages


def template_data(**changes):
    """A new template with two questions, as staff fill in the form."""
    data = {
        "title_fr": "Refaire notre site",
        "title_en": "",
        "main_skill": skill("site-web").pk,
        "secondary_skills": [skill("graphisme").pk],
        "explanation_fr": "Notre site est vieux.",
        "explanation_en": "",
        "deliverables_fr": "Une maquette\nUn site en ligne",
        "deliverables_en": "",
        "prerequisites_fr": "",
        "prerequisites_en": "",
        "format": "mission",
        "estimated_hours": "20",
        "period_weeks": "8",
        "remote_ok": "on",
        "position": "20",
        "is_active": "on",
        "questions-TOTAL_FORMS": "3",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-label_fr": "Avez-vous déjà un site ?",
        "questions-0-kind": "choice",
        "questions-0-choices_fr": "Oui\nNon",
        "questions-0-required": "on",
        "questions-0-position": "0",
        "questions-1-label_fr": "Qu'attendez-vous du site ?",
        "questions-1-kind": "long",
        "questions-1-position": "1",
        "questions-2-position": "0",  # an empty row, as the page sends it
    }
    data.update(changes)
    return data


def test_staff_create_a_template_with_its_questions(client, cress_staff):
    client.force_login(cress_staff)
    response = client.post(reverse("need_template_create"), template_data())
    assert response.status_code == 302
    template = NeedTemplate.objects.get()
    assert (template.code, template.title_fr, template.estimated_hours) == (
        "refaire-notre-site",
        "Refaire notre site",
        20,
    )
    assert [s.code for s in template.secondary_skills.all()] == ["graphisme"]
    assert [(q.label_fr, q.kind, q.required) for q in template.questions.all()] == [
        ("Avez-vous déjà un site ?", "choice", True),
        ("Qu'attendez-vous du site ?", "long", False),
    ]


def test_a_second_template_of_the_same_title_gets_its_own_code(client, cress_staff):
    client.force_login(cress_staff)
    client.post(reverse("need_template_create"), template_data())
    client.post(reverse("need_template_create"), template_data())
    assert sorted(NeedTemplate.objects.values_list("code", flat=True)) == [
        "refaire-notre-site",
        "refaire-notre-site-2",
    ]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title_fr": ""}, "Ce champ est obligatoire."),
        ({"format": "short_session"}, "Une session courte dure environ deux heures"),
        ({"estimated_hours": "0"}, "Indiquez entre 1 et 200 heures."),
        ({"period_weeks": "60"}, "Indiquez entre 1 et 52 semaines."),
        ({"questions-0-choices_fr": "Oui"}, "Une question à choix propose au moins deux réponses."),
        ({"questions-0-choices_fr": "Oui\nNon\nJe ne sais pas",
          "questions-0-choices_en": "Yes\nNo"},
         "Donnez autant de choix en anglais qu'en français (3), dans le même ordre, ou aucun."),
        ({"questions-0-label_fr": "", "questions-0-kind": "", "questions-0-choices_fr": "",
          "questions-0-required": "", "questions-1-label_fr": "", "questions-1-kind": "",
          "questions-1-position": "0"},
         "Posez au moins une question."),
    ],
)  # fmt: skip
def test_bad_input_gets_a_french_error_keeps_what_was_typed_and_saves_nothing(
    client, cress_staff, changes, message
):
    client.force_login(cress_staff)
    data = template_data(**changes)
    response = client.post(reverse("need_template_create"), data)
    assert response.status_code == 200
    page = response.content.decode().replace("&#x27;", "'")
    assert message in page
    assert "Le formulaire contient des erreurs" in page
    assert 'value="Refaire notre site"' in page or changes.get("title_fr") == ""
    assert "Une maquette" in page
    assert not NeedTemplate.objects.exists() and not NeedTemplateQuestion.objects.exists()


def test_english_choices_as_many_as_the_french_ones_or_none_are_accepted(client, cress_staff):
    client.force_login(cress_staff)
    for n, english in enumerate(["Yes\n\nNo\n", ""]):  # blank lines do not count
        data = template_data(title_fr=f"Site {n}", **{"questions-0-choices_en": english})
        assert client.post(reverse("need_template_create"), data).status_code == 302
    assert NeedTemplate.objects.count() == 2


def test_more_than_five_questions_are_refused(client, cress_staff):
    extra = {"questions-TOTAL_FORMS": "6"}
    for n in range(6):
        extra |= {f"questions-{n}-label_fr": f"Question {n} ?", f"questions-{n}-kind": "short",
                  f"questions-{n}-position": str(n), f"questions-{n}-choices_fr": ""}  # fmt: skip
    client.force_login(cress_staff)
    response = client.post(reverse("need_template_create"), template_data(**extra))
    assert response.status_code == 200
    assert "Posez au plus 5 questions" in response.content.decode()
    assert not NeedTemplate.objects.exists()


def edit_data(template, **changes):
    """The edit form as it comes, filled with the template's values."""
    questions = list(template.questions.all())
    data = template_data(
        title_fr=template.title_fr,
        main_skill=template.main_skill_id,
        secondary_skills=[s.pk for s in template.secondary_skills.all()],
        explanation_fr=template.explanation_fr,
        deliverables_fr=template.deliverables_fr,
        format=template.format,
        estimated_hours=str(template.estimated_hours),
        **{"questions-TOTAL_FORMS": str(len(questions)),
           "questions-INITIAL_FORMS": str(len(questions))},
    )  # fmt: skip
    for key in [k for k in data if k.startswith("questions-") and k[10].isdigit()]:
        del data[key]
    for n, q in enumerate(questions):
        data |= {f"questions-{n}-id": str(q.pk), f"questions-{n}-label_fr": q.label_fr,
                 f"questions-{n}-kind": q.kind, f"questions-{n}-choices_fr": q.choices_fr,
                 f"questions-{n}-position": str(q.position)}  # fmt: skip
        if q.required:
            data[f"questions-{n}-required"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_staff_deactivate_a_template_and_structures_no_longer_see_it(
    client, cress_staff, association_member, association
):
    load()
    hr = NeedTemplate.objects.get(code="fonction-employeur-rh")
    client.force_login(cress_staff)
    response = client.post(
        reverse("need_template_edit", args=[hr.pk]), edit_data(hr, is_active=None)
    )
    assert response.status_code == 302
    hr.refresh_from_db()
    assert (hr.is_active, hr.code, hr.questions.count()) == (False, "fonction-employeur-rh", 4)
    client.force_login(association_member)
    choose = client.get(reverse("guided_need_choose", args=[association.pk]))
    assert hr not in choose.context["priority"]
    assert len(choose.context["priority"]) == 4


def test_staff_edit_a_question_and_delete_another(client, cress_staff):
    load()
    hr = NeedTemplate.objects.get(code="fonction-employeur-rh")
    first, last = hr.questions.first(), hr.questions.last()
    client.force_login(cress_staff)
    data = edit_data(hr, **{"questions-0-label_fr": "Combien de salariés ?",
                            "questions-3-DELETE": "on"})  # fmt: skip
    assert client.post(reverse("need_template_edit", args=[hr.pk]), data).status_code == 302
    first.refresh_from_db()
    assert first.label_fr == "Combien de salariés ?"
    assert not NeedTemplateQuestion.objects.filter(pk=last.pk).exists()


def test_the_list_shows_every_template_active_or_not(client, cress_staff):
    load()
    NeedTemplate.objects.filter(code="recrutement").update(is_active=False)
    client.force_login(cress_staff)
    page = client.get(reverse("need_template_list")).content.decode()
    assert page.count("<tr>") == 11  # the header and ten templates
    assert "Retiré" in page and "Préparer un recrutement en deux heures" in page


@pytest.mark.parametrize("rows", [3, 50])
def test_the_list_runs_5_queries(client, cress_staff, django_assert_num_queries, rows):
    for n in range(rows):
        NeedTemplate.objects.create(
            code=f"m-{n}", main_skill=skill(["rgpd", "site-web"][n % 2]), title_fr=f"M {n}",
            explanation_fr="x", deliverables_fr="y", estimated_hours=3,
        ).questions.create(label_fr="Q ?", kind="short")  # fmt: skip
    client.force_login(cress_staff)
    # signed-in page (3), the header's unread count, the templates with skill, area and count
    with django_assert_num_queries(5):
        response = client.get(reverse("need_template_list"))
    assert response.content.decode().count("<tr>") == rows + 1


@pytest.mark.parametrize("url_name", ["need_template_list", "need_template_create"])
def test_people_not_on_staff_get_403(client, association_member, volunteer, url_name):
    for person in (association_member, volunteer):
        client.force_login(person)
        assert client.get(reverse(url_name)).status_code == 403
        assert client.post(reverse(url_name), template_data()).status_code == 403
    assert not NeedTemplate.objects.exists()


def test_people_not_on_staff_cannot_edit_a_template(client, association_member):
    load()
    hr = NeedTemplate.objects.get(code="fonction-employeur-rh")
    client.force_login(association_member)
    response = client.post(reverse("need_template_edit", args=[hr.pk]), edit_data(hr, title_fr="X"))
    assert response.status_code == 403
    hr.refresh_from_db()
    assert hr.title_fr == "Structurer notre fonction employeur"


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get(reverse("need_template_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_staff_and_structures_find_the_templates_from_their_home_page(
    client, cress_staff, association_member, association
):
    client.force_login(cress_staff)
    assert reverse("need_template_list") in client.get(reverse("home")).content.decode()
    client.force_login(association_member)
    home = client.get(reverse("home")).content.decode()
    assert reverse("guided_need_choose", args=[association.pk]) in home
