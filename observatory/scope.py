"""What a page of the observatory looks at: a period and a territory within the viewer's scope.

Every staff page of the observatory (figures, map, unmet needs, exports) reads its filters the
same way: `Selection.from_request(request)` returns the filter form (bound, to show what was
typed and what is wrong) and the selection the figures use. A wrong filter never empties a
page: the figures fall back to the default period over the whole scope, and the form says why.

The whole territory is the CRESS's region (settings.OBSERVATORY_REGION, Hauts-de-France) for
regional staff, who may still pick any other département on its own; territorial reviewers (a
CRESS membership with `review_departements`) see their départements only: the territory picker
offers nothing else, and a code outside their scope typed into the address is refused by the
form like any other wrong choice.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import wraps

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import cress_staff_required
from accounts.departements import DEPARTEMENTS, HAUTS_DE_FRANCE, label

# The default period: the last twelve months, today included.
DEFAULT_DAYS = 365
# Periods stay within these years: Probono has no data before, and a period of centuries would
# make the monthly histories thousands of rows long.
FIRST_YEAR = 2000
YEARS_AHEAD = 1


def scope_codes(user):
    """The départements this staff member may look at, in picker order (the region first)."""
    scope = user.review_scope()
    ordered = [*HAUTS_DE_FRANCE, *(code for code in DEPARTEMENTS if code not in HAUTS_DE_FRANCE)]
    return ordered if scope is None else [code for code in ordered if code in scope]


class SelectionForm(forms.Form):
    start = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    departement = forms.ChoiceField(label=_("Territoire"), required=False)

    def __init__(self, *args, codes, whole_label, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["departement"].choices = [
            ("", whole_label),
            *((code, label(code)) for code in codes),
        ]

    def clean_start(self):
        return self._within_years(self.cleaned_data["start"])

    def clean_end(self):
        return self._within_years(self.cleaned_data["end"])

    @staticmethod
    def _within_years(day):
        last_year = timezone.localdate().year + YEARS_AHEAD
        if day and not FIRST_YEAR <= day.year <= last_year:
            raise forms.ValidationError(
                _("Choisissez une date entre %(first)s et %(last)s."),
                params={"first": FIRST_YEAR, "last": last_year},
            )
        return day

    def clean(self):
        """A period given by one end gets the other from the default: the twelve months
        ending on the end given, or from the start given to today."""
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if end and not start and "start" not in self.errors:
            start = cleaned["start"] = end - timedelta(days=DEFAULT_DAYS - 1)
        if start and not end and "end" not in self.errors:
            end = cleaned["end"] = self.today
        if start and end and start > end:
            self.add_error("end", _("La fin de la période doit suivre son début."))
        return cleaned


def whole_territory(user):
    """The départements of "the whole territory": the region, or a reviewer's own."""
    scope = user.review_scope()
    return tuple(settings.OBSERVATORY_REGION) if scope is None else tuple(scope_codes(user))


@dataclass(frozen=True)
class Selection:
    """A period (both days included) and the départements looked at (a tuple of codes)."""

    start: date
    end: date
    departements: tuple | None

    @classmethod
    def default(cls, user, today=None):
        today = today or timezone.localdate()
        return cls(today - timedelta(days=DEFAULT_DAYS - 1), today, whole_territory(user))

    @classmethod
    def from_request(cls, request, today=None):
        """(bound form, selection): the selection of a valid form, else the default one."""
        user = request.user
        scope = user.review_scope()
        whole = _("Toute la région") if scope is None else _("Tous mes départements")
        form = SelectionForm(
            request.GET or None, codes=scope_codes(user), whole_label=whole, today=today
        )
        selection = cls.default(user, today)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            code = data["departement"]
            selection = cls(
                data["start"] or selection.start,
                data["end"] or selection.end,
                (code,) if code else selection.departements,
            )
        show_period(form, selection)
        return form, selection

    def within(self, field):
        """A Q keeping rows whose département field (a lookup path) is in the selection."""
        return Q(**{f"{field}__in": self.departements})

    def during(self, field):
        """A Q keeping rows whose date or datetime field falls in the period, days included."""
        return Q(**{f"{field}__date__gte": self.start, f"{field}__date__lte": self.end})

    def during_days(self, field):
        """The same for a DateField (no __date transform)."""
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})

    def as_query(self):
        """The selection as URL parameters, for links and exports that keep the filters."""
        params = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if len(self.departements) == 1:
            params["departement"] = self.departements[0]
        return params


def show_period(form, selection):
    """Have the selection form show the period the page displays, in ISO text (the only value
    a date input takes): the default period when nothing was asked, and the dates the page
    filled in when the form came without them (only a measure or a page number, one end of
    the period). What was typed stays as typed, errors included."""
    if not form.is_bound:
        form.initial = selection.as_query()
    elif form.is_valid():
        data = form.data.copy()
        for name, day in (("start", selection.start), ("end", selection.end)):
            if not data.get(name):
                data[name] = day.isoformat()
        form.data = data


def observatory_view(view):
    """CRESS staff only; the view receives (request, form, selection, ...)."""

    @cress_staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        form, selection = Selection.from_request(request)
        return view(request, form, selection, *args, **kwargs)

    return wrapper
