"""Staff notes on the need and structure pages, which belong to other apps: the page's
template loads this library, so their views know nothing of missions.

Shown to CRESS staff who review the thing's département, and to nobody else, whatever the
template around it checks.
"""

from django import template
from django.urls import reverse

from accounts.models import Organisation
from matching.models import Need

from ..forms_review import NoteForm
from ..models import StaffNote

register = template.Library()


@register.inclusion_tag("missions/review/_staff_notes.html", takes_context=True)
def staff_notes(context, subject):
    """The notes on a need or a structure, with a form to add one (staff only)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if isinstance(subject, Need):
        notes, action = StaffNote.objects.filter(need=subject), "note_on_need"
    elif isinstance(subject, Organisation):
        notes, action = StaffNote.objects.filter(organisation=subject), "note_on_organisation"
    else:
        raise TypeError(f"staff notes are for needs and structures, not {type(subject)}")
    if not (user and user.is_authenticated and user.is_cress_staff):
        return {"shown": False}
    if not user.reviews(subject.departement):
        return {"shown": False}
    return {
        "shown": True,
        "notes": notes.select_related("author"),
        "form": NoteForm(),
        "action": reverse(action, args=[subject.pk]),
        "csrf_token": context.get("csrf_token"),
    }
