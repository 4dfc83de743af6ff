"""Loading the pages' text from pages/content/ into the database, without overwriting staff.

index.json lists the pages (slug, section, order, titles, summaries, sources); each page's
body is <slug>.fr.md and <slug>.en.md; faq.json lists the questions. A page or question that
is missing is created; one never edited by staff takes the files' newer text; one edited by
staff is left as it is: from then on, the CRESS owns it.
"""

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from .models import Page, Question, Source

CONTENT_DIR = Path(__file__).resolve().parent / "content"


@dataclass
class LoadReport:
    """What a load did, per kind of row: created, updated, kept (staff edited), unchanged."""

    pages: dict = field(default_factory=lambda: dict.fromkeys(_OUTCOMES, 0))
    questions: dict = field(default_factory=lambda: dict.fromkeys(_OUTCOMES, 0))


_OUTCOMES = ("created", "updated", "kept", "unchanged")


def read_content(directory=CONTENT_DIR):
    """The pages (with their bodies read from the .md files) and the questions in the files."""
    directory = Path(directory)
    index = json.loads((directory / "index.json").read_text(encoding="utf-8"))
    pages = []
    for entry in index["pages"]:
        slug = entry["slug"]
        pages.append(
            {
                **entry,
                "body_fr": (directory / f"{slug}.fr.md").read_text(encoding="utf-8").strip(),
                "body_en": _read_optional(directory / f"{slug}.en.md"),
            }
        )
    faq = json.loads((directory / "faq.json").read_text(encoding="utf-8"))
    return pages, faq["questions"]


def _read_optional(path):
    return path.read_text(encoding="utf-8").strip() if path.exists() else ""


def load_pages(directory=CONTENT_DIR):
    """Create missing pages and questions, refresh those staff never edited; a LoadReport."""
    pages, questions = read_content(directory)
    report = LoadReport()
    with transaction.atomic():
        existing = {page.slug: page for page in Page.objects.prefetch_related("sources")}
        for entry in pages:
            outcome = _load_page(existing.get(entry["slug"]), entry)
            report.pages[outcome] += 1
        known = {question.key: question for question in Question.objects.all()}
        for position, entry in enumerate(questions, start=1):
            outcome = _load_question(known.get(entry["key"]), {**entry, "order": position})
            report.questions[outcome] += 1
    return report


def _page_fields(entry):
    return {
        "section": entry.get("section", Page.Section.UNDERSTAND),
        "order": entry.get("order", 0),
        "states_rules": entry.get("states_rules", False),
        **{name: entry.get(name, "") for name in Page.TEXT_FIELDS},
    }


def _sources_of(entry):
    return [
        (source["title"], source.get("url", ""), _date(source.get("dated")), position)
        for position, source in enumerate(entry.get("sources", []), start=1)
    ]


def _date(value):
    return date.fromisoformat(value) if value else None


def _load_page(page, entry):
    fields, sources = _page_fields(entry), _sources_of(entry)
    if page is None:
        page = Page.objects.create(slug=entry["slug"], **fields)
        _replace_sources(page, sources)
        return "created"
    if page.edited_by_staff_at is not None:
        return "kept"
    current_sources = [(s.title, s.url, s.dated, s.order) for s in page.sources.all()]
    changed = {name: value for name, value in fields.items() if getattr(page, name) != value}
    if not changed and current_sources == sources:
        return "unchanged"
    if changed:
        for name, value in changed.items():
            setattr(page, name, value)
        page.save()
    if current_sources != sources:
        page.sources.all().delete()
        _replace_sources(page, sources)
    return "updated"


def _replace_sources(page, sources):
    Source.objects.bulk_create(
        Source(page=page, title=title, url=url, dated=dated, order=order)
        for title, url, dated, order in sources
    )


def _load_question(question, entry):
    fields = {name: entry.get(name, "") for name in Question.TEXT_FIELDS}
    if question is None:
        Question.objects.create(key=entry["key"], **fields)
        return "created"
    if question.edited_by_staff_at is not None:
        return "kept"
    changed = {name: value for name, value in fields.items() if getattr(question, name) != value}
    if not changed:
        return "unchanged"
    Question.objects.filter(pk=question.pk).update(**changed)
    return "updated"
