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
    pieces = []
    for item in offer.skills.all():
        name = escape(str(item.skill.name))
        if strong:
            name = f"<strong>{name}</strong>"
        pieces.append(f"{name} ({escape(_level_label(item.level).lower())})")
    return mark_safe(", ".join(pieces))


def _level_label(level):
    """The level as get_level_display gives it, without its per-call lookup table."""
    return str(Level(level).label) if level in Level.values else level
