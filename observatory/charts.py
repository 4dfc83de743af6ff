"""Each figure group of the observatory as a chart and as the table of the same numbers.

Charts are pygal 3 bar charts rendered on the server as SVG, inline in the page, with nothing
a strict Content-Security-Policy would refuse: pygal's <script> (its tooltips' settings), its
<style> and its style="" attributes are taken out, and static/observatory/observatory.css
draws the chart instead. Each SVG is an image (role="img") named after what it shows; the
table next to it carries the numbers for people who cannot see it.
"""

import math
from dataclasses import dataclass

import pygal
from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from pygal.style import Style

# What a number is says how it is written: floatformat's argument for each kind (grouped
# thousands, at most one or two decimals, none when they are zeros).
COUNT, PERCENT, DAYS, HOURS, RATE = "count", "percent", "days", "hours", "rate"
FLOATFORMAT = {COUNT: "0g", PERCENT: "0g", DAYS: "-1g", HOURS: "-1g", RATE: "-2g"}
PERCENT_TICKS = [0, 20, 40, 60, 80, 100]

WIDTH = 720
BAR_HEIGHT = 34
# pygal sizes its margins from these; observatory.css draws the text at the same sizes.
FONT_SIZE = 13
STYLE = Style(
    font_family="system-ui, sans-serif",
    label_font_size=FONT_SIZE,
    major_label_font_size=FONT_SIZE,
    value_font_size=FONT_SIZE,
    no_data_font_size=20,
)
# Removed from pygal's SVG: what a strict CSP blocks inline, and what only its script used.
STRIPPED_TAGS = {"script", "style"}


@dataclass(frozen=True)
class Cell:
    value: float | None
    kind: str = COUNT


@dataclass(frozen=True)
class Row:
    label: str
    cells: list


@dataclass(frozen=True)
class RowGroup:
    """Rows under a heading of their own (None: no heading)."""

    label: str | None
    rows: list


@dataclass(frozen=True)
class Table:
    caption: str
    corner: str  # the heading of the rows' column
    columns: list
    groups: list
    note: str = ""


@dataclass(frozen=True)
class FigureGroup:
    """A section of the dashboard: a heading, a chart and its table."""

    slug: str
    title: str
    chart: str
    table: Table
    intro: str = ""

    @property
    def wide(self):
        """A table of more than one column of numbers goes under its chart, not beside it."""
        return len(self.table.columns) > 1


def formatted(value, kind=COUNT):
    """A number as a French reader writes it, exactly as the tables do (_figure_value.html
    uses the same floatformat arguments): « 1 234 », « 3,5 », « 42 % », « – » for none."""
    if value is None:
        return "–"
    text = floatformat(value, FLOATFORMAT[kind])
    return f"{text}\u00a0%" if kind == PERCENT else str(text)


def _accessible(name):
    """An xml filter of pygal: the SVG as a named image, with no script or inline style."""

    def local(tag):
        return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else None

    def strip(root):
        for parent in list(root.iter()):
            for child in list(parent):
                # Comments (a callable tag) carry pygal's banner with the day's date.
                if not isinstance(child.tag, str) or local(child.tag) in STRIPPED_TAGS:
                    parent.remove(child)
        # Ids too: pygal repeats its legends' ids in every chart, and a page has several.
        for node in root.iter():
            node.attrib.pop("style", None)
            node.attrib.pop("id", None)
        root.set("role", "img")
        root.set("aria-label", str(name))
        for title in root.iter():
            if local(title.tag) == "title":
                title.text = str(name)
                break
        return root

    return strip


def _highlighted(value):
    """A bar drawn in the highlight colour (observatory.css: .rect.highlight)."""
    return {"value": value, "node": {"class": "rect reactive tooltip-trigger highlight"}}


def count_ticks(values, most=8):
    """Whole-number ticks from 0 past the largest value, 1-2-5 steps, `most` ticks at most
    (pygal's own would print 0,2 people as « 0 », and count nothing as 0 to 0)."""
    top = max([value for value in values if value is not None] or [0])
    step = 1
    while math.ceil(top / step) > most - 1:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    last = max(1, math.ceil(top / step)) * step
    return list(range(0, last + 1, step))


def bar_chart(name, labels, values, kind=COUNT, highlight=()):
    """A horizontal bar chart of one value per label (None: no bar), as inline SVG markup.

    `kind` formats the printed values and sets the scale (whole numbers for counts, 0 to
    100 for percentages); `highlight`: the positions of the labels whose bars stand out.
    """
    ticks = count_ticks(values) if kind == COUNT else PERCENT_TICKS if kind == PERCENT else None
    chart = pygal.HorizontalBar(
        js=[],
        disable_xml_declaration=True,
        no_prefix=True,
        classes=["pygal-chart", "observatory-chart"],
        style=STYLE,
        width=WIDTH,
        height=max(140, 70 + BAR_HEIGHT * len(labels)),
        show_legend=False,
        print_values=True,
        print_zeroes=True,
        print_values_position="top",
        value_formatter=lambda value: formatted(value, kind),
        no_data_text=str(_("Aucune donnée")),
        margin=12,
        spacing=8,
        show_y_guides=False,
        truncate_label=-1,
        range=(0, ticks[-1]) if ticks else None,
        y_labels=ticks,
    )
    chart.add_xml_filter(_accessible(name))
    # pygal draws a horizontal chart's first label at the bottom: reversed, it reads top down
    # in the table's order.
    chart.x_labels = [str(label) for label in reversed(labels)]
    marked = [_highlighted(v) if i in highlight else v for i, v in enumerate(values)]
    chart.add(str(name), list(reversed(marked)))
    return mark_safe(chart.render())
