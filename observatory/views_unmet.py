"""CRESS staff: the needs waiting longest, where volunteers are lacking, the equity gauge."""

import pygal
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.departements import label
from matching.views import paginate

from . import unmet
from .numbers import percent, rounded
from .scope import observatory_view

# What an undefined figure shows (definitions.share returns None): never 0.
UNDEFINED = "–"


@require_GET
@observatory_view
def unmet_needs(request, form, selection):
    """Waiting needs of the selected territory with their candidate offers, the shortfall by
    département and skill, and the equity gauge of the period with its monthly history."""
    page, querystring = paginate(request, unmet.waiting_needs(selection))
    cells = unmet.shortfall_cells(selection, english=get_language().startswith("en"))
    overall, history = unmet.equity(selection)
    return render(
        request,
        "observatory/unmet.html",
        {
            "form": form,
            "selection": selection,
            # The dashboard and the CSV exports keep the selection.
            "query": urlencode(selection.as_query()),
            "page": page,
            "querystring": querystring,
            "rows": _waiting_rows(page.object_list),
            "cells": cells,
            "lacking": sum(cell.without_candidate for cell in cells),
            "territory": [label(code) for code in selection.departements],
            "gauge": _gauge_cells(overall),
            "history": [(_month(item.month), _gauge_cells(item.gauge)) for item in history],
            "chart": equity_chart(history),
        },
    )


def _waiting_rows(needs):
    """(need, its département's label, days waiting) for each row of the page."""
    today = timezone.localdate()
    return [
        (need, label(need.departement), _days_since(need.published_at, today)) for need in needs
    ]


def _days_since(moment, today):
    # A published need has its publication time; an odd row without one shows « – ».
    return (today - timezone.localtime(moment).date()).days if moment else UNDEFINED


def _gauge_cells(gauge):
    """A gauge as shown: its figure and its two ends ("02 – Aisne : 25 %"), « – » when it is
    undefined, and how many départements it compares."""
    if gauge.value is None:
        return {"value": UNDEFINED, "least": UNDEFINED, "best": UNDEFINED,
                "compared": gauge.departements, "defined": False}  # fmt: skip
    return {
        "value": rounded(gauge.value, 2),
        "least": _end(gauge.least),
        "best": _end(gauge.best),
        "compared": gauge.departements,
        "defined": True,
    }


def _end(end):
    """ "02 – Aisne : 67 % (2 besoins servis sur 3)": the counts show a share of few needs."""
    code, share, served, posted = end
    if served:
        counts = ngettext(
            "%(served)s besoin servi sur %(posted)s",
            "%(served)s besoins servis sur %(posted)s",
            served,
        ) % {"served": served, "posted": posted}
    else:
        # Zero in words (as in unmet.html): French writes 0 in the singular, but Django picks
        # the form of a text no catalogue holds (our French texts) by English's rule, n == 1,
        # which wrote « 0 besoins ». From 1 up both rules agree.
        counts = _("aucun besoin servi sur %(posted)s") % {"posted": posted}
    return _("%(departement)s : %(share)s (%(counts)s)") % {
        "departement": label(code),
        "share": percent(share),
        "counts": counts,
    }


def _month(day):
    return date_format(day, "F Y")


def equity_chart(history):
    """The gauge month by month as an inline SVG line, gaps where it is undefined."""
    name = _("Jauge d'équité des besoins publiés chaque mois, de 0 à 1")
    chart = pygal.Line(
        js=[],
        disable_xml_declaration=True,
        no_prefix=True,  # no id: the markup is painted below, not by pygal's scoped <style>
        allow_interruptions=True,  # an undefined month breaks the line instead of reading 0
        range=(0, 1),
        y_labels=[{"label": rounded(tick, 2), "value": tick} for tick in Y_TICKS],
        show_legend=False,
        width=720,
        height=320,
        x_label_rotation=30,
        margin_bottom=12,
        margin_right=64,  # room for the last rotated month
    )
    chart.add_xml_filter(_painted(name))
    chart.title = name
    chart.x_labels = [date_format(item.month, "m/Y") for item in history]
    chart.add(_("Jauge d'équité"), [item.gauge.value for item in history])
    return chart.render(is_unicode=True)


Y_TICKS = (0, 0.25, 0.5, 0.75, 1)
# The site's colours (static/css/probono.css): ink, muted ink, grid, brand, paper.
INK, MUTED, GRID, BRAND, PAPER = "#1b1b1f", "#4a4a55", "#c8c8d0", "#00437a", "#ffffff"
# What pygal adds that a strict Content-Security-Policy refuses inline (its <style>, its
# config <script>, style="" on the tooltip) or that only its script uses (the tooltip).
DROPPED_TAGS = {"style", "script"}
DROPPED_GROUPS = {"tooltip-overlay"}


def _painted(name):
    """An xml filter of pygal: the SVG as one image named `name`, drawn with presentation
    attributes (fill, stroke, text-anchor) instead of pygal's CSS, with no script or style."""

    def apply(root):
        root.attrib.pop("id", None)
        root.set("role", "img")
        root.set("aria-label", name)
        root.set("font-family", "system-ui, sans-serif")
        _walk(root, frozenset())
        return root

    return apply


def _walk(node, around):
    """Drop what CSP refuses, paint what stays; `around`: the classes of the node's groups."""
    for child in list(node):
        tag = child.tag if isinstance(child.tag, str) else None  # comments: pygal's banner
        classes = set(child.get("class", "").split())
        if tag is None or tag in DROPPED_TAGS or classes & DROPPED_GROUPS:
            node.remove(child)
            continue
        child.attrib.pop("style", None)
        _paint(child, tag, classes, around)
        _walk(child, around | classes)


def _paint(node, tag, classes, around):
    if tag == "rect" and "background" in classes:
        node.set("fill", PAPER)
    elif tag == "path" and "reactive" in classes:  # the series' line
        node.attrib.update({"fill": "none", "stroke": BRAND, "stroke-width": "3"})
    elif tag == "path":
        node.attrib.update({"fill": "none", "stroke": GRID if "guide" in classes else MUTED})
    elif tag == "circle":
        node.attrib.update({"fill": BRAND, "r": "4"})
    elif tag == "text":
        node.attrib.update({"fill": INK, "font-size": "16" if "title" in classes else "12"})
        node.set("text-anchor", _anchor(node, classes, around))


def _anchor(node, classes, around):
    if "y" in around and "axis" in around:
        return "end"
    if "x" in around and "axis" in around and node.get("transform"):
        return "start"  # rotated month labels hang from their tick
    return "middle"
