"""CRESS staff: the observatory's tables as CSV files, with the page's filters applied.

The files take the observatory's parameters (start, end, departement) and cover the same
scope: a territorial reviewer exports their départements only. A wrong filter is refused with
a 400 saying what is wrong, rather than falling back to the default selection as the pages do:
a page shows its selection beside its figures, a downloaded file does not, and a file named
after one period but holding another would mislead whoever opens it later.
"""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import export_tables
from .exports import csv_response
from .scope import observatory_view


def export_file(form, selection, table):
    """The table's CSV for the selection, or a 400 naming each wrong filter."""
    if form.is_bound and not form.is_valid():
        return refusal(form)
    return csv_response(filename(table.stem, selection), table.header, table.rows(selection))


def filename(stem, selection):
    """« besoins_2026-01-01_2026-03-31_59.csv »: the table, the period, the départements.

    Named from the selection, never the typed parameters: a period given by one end only
    gets the other from the default (scope.Selection), and the name says which it became.
    """
    territory = "-".join(selection.departements)
    return f"{stem}_{selection.start.isoformat()}_{selection.end.isoformat()}_{territory}.csv"


def refusal(form):
    """A plain-text 400 listing the wrong filters with the form's French messages."""
    lines = [_("Export impossible : les filtres demandés ne sont pas valides."), ""]
    for name, errors in form.errors.items():
        field = form.fields[name].label if name in form.fields else _("Filtres")
        lines.extend(
            _("%(field)s : %(error)s") % {"field": field, "error": error} for error in errors
        )
    return HttpResponseBadRequest("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
@observatory_view
def export_needs(request, form, selection):
    return export_file(form, selection, export_tables.NEEDS)


@require_GET
@observatory_view
def export_offers(request, form, selection):
    return export_file(form, selection, export_tables.OFFERS)


@require_GET
@observatory_view
def export_proposals(request, form, selection):
    return export_file(form, selection, export_tables.PROPOSALS)


@require_GET
@observatory_view
def export_missions(request, form, selection):
    return export_file(form, selection, export_tables.MISSIONS)
