"""Pieces of list rows written in Python: the same loops in the templates cost a quarter of
the offers page and of the review queue (get_level_display and a variable lookup per skill)."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from matching.models import Level

register = template.Library()


@register.filter
def skills_and_levels(offer, strong=False):
    """« Fonds européens (expert), Communication (junior) », names in <strong> if asked."""
    return named_levels(((item.skill.name, item.level) for item in offer.skills.all()), strong)


@register.filter
def named_levels(pairs, strong=False):
    """The same from (skill name, level) pairs, as `missions.priorities.skills_of_offers`
    reads them."""
    labels = _level_labels()
    pieces = []
    for name, level in pairs:
        name = escape(str(name))
        if strong:
            name = f"<strong>{name}</strong>"
        pieces.append(f"{name} ({escape(labels.get(level, level).lower())})")
    return mark_safe(", ".join(pieces))


def _level_labels():
    """{level: its label in the page's language}, as get_level_display gives them, without
    building the enum member and translating its label once per skill."""
    return {value: str(label) for value, label in Level.choices}
