"""Public pages and FAQ for anyone; their edit pages for CRESS staff only."""

import secrets
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .forms import PageForm, QuestionForm, SourceFormSet
from .markdown import render_markdown
from .models import Page, Question
from .sharing import absolute, sharing

# What robots may not read: the pages of signed-in people (each answers with the log-in page
# anyway), the admin and the API. Everything else is public: the home page, « Comprendre »,
# the FAQ, the published needs (/besoins-publies/, which "/besoins/" does not cover).
ROBOTS_DISALLOW = (
    "/admin/",
    "/api/",
    "/compte/",
    "/besoins/",
    "/offres/",
    "/structures/",
    "/missions/",
    "/propositions/",
    "/cress/",
    "/mecenat/",
    "/observatoire/",
    "/notifications/",
    "/invitation/",
    "/rejoindre/",
    "/i18n/",
)
# The sitemaps, by URL name: this one (pages) and the published needs' (matching).
SITEMAPS = ("pages_sitemap", "public_needs_sitemap")


def cress_staff_only(view):
    """CRESS staff pass; others get 403, anonymous people the log-in page. (pages comes before
    accounts, so it reads the user's is_cress_staff rather than importing accounts' decorator.)"""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not getattr(request.user, "is_cress_staff", False):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _may_edit(user):
    return user.is_authenticated and getattr(user, "is_cress_staff", False)


def pages_index(request):
    """The pages, by section, each with its summary (one query)."""
    pages = list(Page.objects.for_index())
    sections = []
    for value, label in Page.Section.choices:
        entries = [(page, page.localized()) for page in pages if page.section == value]
        if entries:
            sections.append((label, entries))
    title = _("Comprendre le mécénat et le bénévolat de compétences")
    description = _(
        "Ce qu'est le pro bono, les différences entre mécénat et bénévolat de compétences, et "
        "comment commencer : pour les associations, les entreprises et les acteurs publics."
    )
    return render(
        request,
        "pages/index.html",
        {"sections": sections, "sharing": sharing(title, description, request.path)},
    )


def page_detail(request, slug):
    """One page in the reader's language, with its sources (two queries)."""
    page = get_object_or_404(Page, slug=slug)
    text = page.localized()
    return render(
        request,
        "pages/detail.html",
        {
            "page": page,
            "text": text,
            "sources": list(page.sources.all()),
            "may_edit": _may_edit(request.user),
            "sharing": sharing(text.title, text.summary, request.path, "article"),
        },
    )


def faq(request):
    """The frequently asked questions (one query)."""
    questions = [(question, question.localized()) for question in Question.objects.for_faq()]
    title = _("Questions fréquentes")
    description = _(
        "Les réponses aux questions les plus posées sur le mécénat et le bénévolat de "
        "compétences et sur Probono."
    )
    return render(
        request,
        "pages/faq.html",
        {
            "questions": questions,
            "may_edit": _may_edit(request.user),
            "sharing": sharing(title, description, request.path),
        },
    )


@require_safe
def robots_txt(request):
    """/robots.txt: the private areas closed, the sitemaps by their full address on SITE_URL."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW), ""]
    lines += [f"Sitemap: {absolute(reverse(name))}" for name in SITEMAPS]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def pages_sitemap(request):
    """A sitemap (sitemaps.org) of the home page, « Comprendre » and each of its pages (with
    their last change) and the FAQ; the published needs have theirs (public_needs_sitemap)."""
    pages = Page.objects.for_index().values_list("slug", "updated_at")
    entries = [
        (absolute(reverse("home")), None),
        (absolute(reverse("pages_index")), None),
        *((absolute(reverse("page_detail", args=[slug])), updated) for slug, updated in pages),
        (absolute(reverse("faq")), None),
    ]
    return render(
        request,
        "pages/sitemap.xml",
        {"entries": entries},
        content_type="application/xml; charset=utf-8",
    )


def _taken_back(request, edited):
    """The texts of an earlier revision asked by ?version=, as the form's initial values:
    nothing is saved until staff save, which makes a new revision."""
    version = request.GET.get("version") if request.method == "GET" else None
    if not version or edited.pk is None:
        return {}
    if not version.isdigit():
        raise Http404
    revision = get_object_or_404(edited.revisions, pk=version)
    if revision.content.get("shipped"):
        messages.info(request, _("Texte livré avec Probono repris ci-dessous : vérifiez-le, "
                                 "puis enregistrez pour le publier de nouveau."))  # fmt: skip
    else:
        messages.info(
            request,
            _("Texte du %(day)s repris ci-dessous : vérifiez-le, puis enregistrez pour le "
              "publier de nouveau.") % {"day": date_format(localtime(revision.created_at),
                                                           "j F Y à H:i")},
        )  # fmt: skip
    return edited.text_of(revision)


def _preview(data, *names):
    """The Markdown fields as they were typed, rendered as they would be published."""
    return [(name, render_markdown(data.get(name, ""))) for name in names]


@cress_staff_only
def page_edit(request, slug):
    """A page's texts, sources and rules-checked date; « Prévisualiser » saves nothing."""
    page = get_object_or_404(Page, slug=slug)
    form = PageForm(request.POST or None, instance=page, initial=_taken_back(request, page))
    sources = SourceFormSet(request.POST or None, instance=page, prefix="sources")
    preview = None
    if request.method == "POST":
        if request.POST.get("action") == "preview":
            preview = _preview(request.POST, "body_fr", "body_en")
        elif all([form.is_valid(), sources.is_valid()]):
            with transaction.atomic():
                page = form.save(commit=False)
                sources.save()
                saved = [
                    {"title": s.title, "url": s.url, "dated": s.dated and s.dated.isoformat()}
                    for s in page.sources.all()
                ]
                page.save_edit(by=request.user, extra={"sources": saved})
            messages.success(request, _("Page enregistrée."))
            return redirect(page)
    return render(
        request,
        "pages/page_form.html",
        {
            "page": page,
            "form": form,
            "sources": sources,
            "preview": preview,
            "revisions": page.revisions.select_related("author")[:10],
        },
    )


def _question_form(request, question):
    form = QuestionForm(
        request.POST or None, instance=question, initial=_taken_back(request, question)
    )
    preview = None
    if request.method == "POST":
        if request.POST.get("action") == "preview":
            preview = _preview(request.POST, "answer_fr", "answer_en")
        elif form.is_valid():
            form.save(commit=False).save_edit(by=request.user)
            messages.success(request, _("Question enregistrée."))
            return redirect(reverse("faq") + f"#question-{question.pk}")
    revisions = question.revisions.select_related("author")[:10] if question.pk else []
    return render(
        request,
        "pages/question_form.html",
        {"question": question, "form": form, "preview": preview, "revisions": revisions},
    )


@cress_staff_only
def question_edit(request, pk):
    return _question_form(request, get_object_or_404(Question, pk=pk))


@cress_staff_only
def question_create(request):
    return _question_form(request, Question(key=f"cress-{secrets.token_hex(6)}"))
