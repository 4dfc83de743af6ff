"""Public information pages, their legal sources and the FAQ, written in French and English and
kept up to date by CRESS staff; each staff edit leaves a revision (who, when, what)."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .markdown import render_markdown


@dataclass(frozen=True)
class Localized:
    """A text in the reader's language, or in French when the English one is missing."""

    title: str
    summary: str
    body: str
    lang: str
    fallback: bool  # English asked, French shown

    @property
    def body_html(self):
        return render_markdown(self.body)


def _wants_english():
    return (get_language() or "fr").split("-")[0] == "en"


class StaffEdited(models.Model):
    """What pages and questions share: who last edited them, and whether staff did (the loader
    never overwrites a text staff edited)."""

    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mis à jour par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    edited_by_staff_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def save_edit(self, by, extra=None):
        """Save a staff edit and keep its revision (the texts as saved, and any extra such as
        the sources); the caller holds the transaction when it saves more rows."""
        self.updated_by = by
        self.edited_by_staff_at = timezone.now()
        with transaction.atomic():
            self._keep_shipped_text()
            self.save()
            content = {name: _jsonable(getattr(self, name)) for name in self.SNAPSHOT_FIELDS}
            Revision.objects.create(
                author=by, content={**content, **(extra or {})}, **{self._meta.model_name: self}
            )

    def _keep_shipped_text(self):
        """At the first staff edit, the text shipped with Probono (as stored, before this
        edit) becomes the oldest revision, marked « shipped », so staff can take it back."""
        if self.pk is None or self.revisions.exists():
            return
        stored = type(self).objects.get(pk=self.pk)
        content = {name: _jsonable(getattr(stored, name)) for name in self.SNAPSHOT_FIELDS}
        Revision.objects.create(
            author=None, content={**content, "shipped": True}, **{self._meta.model_name: self}
        )

    def text_of(self, revision):
        """The form's texts as they were in one of this object's revisions."""
        content = revision.content
        return {name: content[name] for name in self.TEXT_FIELDS if name in content}


def _jsonable(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


class PageQuerySet(models.QuerySet):
    def for_index(self):
        """The index: every page in its section's order (one query)."""
        return self.order_by("section", "order", "slug")


class Page(StaffEdited):
    """A public page explaining pro bono, in Markdown, in French and English."""

    class Section(models.TextChoices):
        UNDERSTAND = "1-comprendre", _("Comprendre")
        AUDIENCE = "2-pour-vous", _("Pour vous")

    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    section = models.CharField(
        _("rubrique"), max_length=20, choices=Section.choices, default=Section.UNDERSTAND
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    title_fr = models.CharField(_("titre (français)"), max_length=200)
    summary_fr = models.CharField(
        _("résumé (français)"),
        max_length=300,
        help_text=_("Une ou deux phrases : elles décrivent la page aux moteurs de recherche."),
    )
    body_fr = models.TextField(_("texte (français, Markdown)"))
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)
    summary_en = models.CharField(_("résumé (anglais)"), max_length=300, blank=True)
    body_en = models.TextField(_("texte (anglais, Markdown)"), blank=True)
    states_rules = models.BooleanField(
        _("énonce des règles"),
        default=False,
        help_text=_(
            "La page cite des règles de droit : elle affiche la date de leur vérification."
        ),
    )
    rules_checked_on = models.DateField(
        _("règles vérifiées par la CRESS le"), null=True, blank=True
    )

    objects = PageQuerySet.as_manager()

    TEXT_FIELDS = ["title_fr", "summary_fr", "body_fr", "title_en", "summary_en", "body_en"]
    SNAPSHOT_FIELDS = [*TEXT_FIELDS, "rules_checked_on"]

    class Meta:
        ordering = ["section", "order", "slug"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self):
        return self.title_fr

    def get_absolute_url(self):
        return reverse("page_detail", args=[self.slug])

    def localized(self):
        """Title, summary and body in the active language; French when English is empty."""
        if _wants_english() and self.title_en and self.body_en:
            return Localized(self.title_en, self.summary_en or self.summary_fr, self.body_en,
                             "en", False)  # fmt: skip
        return Localized(self.title_fr, self.summary_fr, self.body_fr, "fr", _wants_english())


class Source(models.Model):
    """A text a page relies on (a law, a decree, a circular): its title, link and date."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(_("intitulé"), max_length=300)
    url = models.URLField(_("lien"), max_length=500, blank=True)
    dated = models.DateField(_("date du texte"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title


class QuestionQuerySet(models.QuerySet):
    def for_faq(self):
        return self.order_by("order", "pk")


class Question(StaffEdited):
    """A frequently asked question and its answer (Markdown), in French and English."""

    key = models.SlugField(max_length=80, unique=True, editable=False)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    question_fr = models.CharField(_("question (français)"), max_length=300)
    answer_fr = models.TextField(_("réponse (français, Markdown)"))
    question_en = models.CharField(_("question (anglais)"), max_length=300, blank=True)
    answer_en = models.TextField(_("réponse (anglais, Markdown)"), blank=True)

    objects = QuestionQuerySet.as_manager()

    TEXT_FIELDS = ["order", "question_fr", "answer_fr", "question_en", "answer_en"]
    SNAPSHOT_FIELDS = TEXT_FIELDS

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.question_fr

    def localized(self):
        if _wants_english() and self.question_en and self.answer_en:
            return Localized(self.question_en, "", self.answer_en, "en", False)
        return Localized(self.question_fr, "", self.answer_fr, "fr", _wants_english())


class Revision(models.Model):
    """One staff edit of a page or a question: who, when, and the text as saved."""

    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    content = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(page__isnull=False, question__isnull=True)
                | models.Q(page__isnull=True, question__isnull=False),
                name="revision_of_one_page_or_question",
            )
        ]

    def __str__(self):
        return f"{self.page or self.question} ({self.created_at:%Y-%m-%d %H:%M})"
