"""The company's yearly mécénat statement as a printable PDF (reportlab, A4 landscape).

It holds what the statement page shows: the company and year, the missions with their
confirmed hours and valuation, the cap per employee, the tax estimate, and on every page that
it is an estimate, not a certification. It is drawn from a computed Statement and runs no query.

Helvetica (a PDF standard font, nothing to ship) covers French text and « € » in WinAnsi; the
thousands separator is a no-break space, which it has (the narrow one it has not).
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from missions.pdf import FOOTER_FONT, FOOTER_Y, INK, MARGIN, NumberedCanvas
from missions.templatetags.parties import duration

from . import valuation
from .valuation import NBSP, euros

PAGE = landscape(A4)
TINT = colors.HexColor("#eef3f8")
GRID = colors.HexColor("#8a8a99")


def render(statement):
    """The statement's PDF, as bytes."""
    buffer = BytesIO()
    title = _("Relevé de mécénat de compétences %(year)s") % {"year": statement.year}
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + 6 * mm,
        title=f"{title} · {statement.company.name}",
        author="Probono",
        subject=not_a_certification(),
    )
    footer = _Footer(statement.company.name, title)
    document.build(
        _story(statement, title),
        onFirstPage=footer,
        onLaterPages=footer,
        canvasmaker=NumberedCanvas,
    )
    return buffer.getvalue()


def not_a_certification():
    return _(
        "Estimation : Probono prépare, ne certifie pas ; la valorisation reste de la "
        "responsabilité de l'entreprise."
    )


class _Footer:
    """On every page: the company, the title and the estimate's warning (the page number is
    missions.pdf.NumberedCanvas's, once the pages are counted)."""

    def __init__(self, company, title):
        self.left = f"{company} · {title}"

    def __call__(self, canvas, document):
        canvas.saveState()
        canvas.setFont(*FOOTER_FONT)
        canvas.setFillColor(INK)
        canvas.drawString(MARGIN, FOOTER_Y, f"{self.left} · {not_a_certification()}")
        canvas.restoreState()


def _styles():
    sheet = getSampleStyleSheet()
    return {
        "title": sheet["Title"],
        "h2": sheet["Heading2"],
        "body": sheet["BodyText"],
        "cell": ParagraphStyle("cell", parent=sheet["BodyText"], fontSize=8.5, leading=10.5),
        "warning": ParagraphStyle(
            "warning",
            parent=sheet["BodyText"],
            borderColor=INK,
            borderWidth=0.8,
            borderPadding=5,
            backColor=TINT,
            spaceBefore=6,
            spaceAfter=10,
        ),  # fmt: skip
        "small": ParagraphStyle("small", parent=sheet["BodyText"], fontSize=8, leading=10),
    }


def _story(statement, title):
    styles = _styles()
    company = statement.company
    identity = escape(company.name)
    if company.siren:
        identity += f" · SIREN {escape(company.siren)}"
    story = [
        Paragraph(escape(title), styles["title"]),
        Paragraph(identity, styles["body"]),
        Paragraph(f"<b>{escape(not_a_certification())}</b>", styles["warning"]),
    ]
    story += _notices(statement, styles)
    story += _missions(statement, styles)
    story += _cap(statement, styles)
    story += _estimate(statement, styles)
    return story


def _notices(statement, styles):
    notices = []
    if statement.pass_missing:
        notices.append(
            _(
                "Le plafond annuel de la sécurité sociale de %(year)s n'est pas dans la table "
                "de Probono : aucune valorisation n'est calculée pour cette année."
            )
            % {"year": statement.year}
        )
    if statement.uncosted:
        names = ", ".join(v.volunteer_name for v in statement.uncosted)
        notices.append(
            ngettext(
                "Coût horaire à déclarer pour : %(names)s. Ses heures ne sont ni valorisées "
                "ni comptées dans le total.",
                "Coût horaire à déclarer pour : %(names)s. Leurs heures ne sont ni valorisées "
                "ni comptées dans le total.",
                len(statement.uncosted),
            )
            % {"names": names}
        )
    return [Paragraph(escape(text), styles["warning"]) for text in notices]


def _period(line):
    first = date_format(line.first_day, "d/m/Y")
    if line.first_day == line.last_day:
        return first
    return _("du %(first)s au %(last)s") % {
        "first": first,
        "last": date_format(line.last_day, "d/m/Y"),
    }


def _table(rows, widths, numeric_from, total_row=False, uncosted=(), cost_column=0):
    """A table with a header row; `uncosted` rows say « coût à déclarer » across the amount
    columns from `cost_column` on."""
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), TINT),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
    ]
    for row in uncosted:
        style += [("SPAN", (cost_column, row), (-1, row)),
                  ("FONT", (cost_column, row), (-1, row), "Helvetica-Oblique", 8.5)]  # fmt: skip
    if total_row:
        style += [("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 8.5),
                  ("LINEABOVE", (0, -1), (-1, -1), 1.2, INK)]  # fmt: skip
    table.setStyle(TableStyle(style))
    table.hAlign = "LEFT"
    return table


def _heading(text, styles, room=30 * mm):
    """A section's heading, on a new page when less than `room` is left under it for the
    start of what it introduces: never a heading alone at the foot of a page, and never a
    whole section pushed over a half-empty page either (the tables split between rows)."""
    return [CondPageBreak(room), Paragraph(escape(text), styles["h2"])]


def _missions(statement, styles):
    heading = _heading(_("Missions et heures confirmées"), styles)
    if not statement.missions:
        text = _("Aucune heure de mécénat confirmée en %(year)s.") % {"year": statement.year}
        return [*heading, Paragraph(escape(text), styles["body"])]
    cell = styles["cell"]
    header = [_("Mission"), _("Structure"), _("Bénévole"), _("Période"), _("Heures"),
              _("Coût horaire"), _("Valorisation brute"), _("Valorisation retenue")]  # fmt: skip
    rows = [[Paragraph(escape(text), cell) for text in header]]
    for line in statement.missions:
        missing = line.hourly_cost is None
        rows.append([
            Paragraph(escape(line.title), cell),
            Paragraph(escape(line.structure_name), cell),
            Paragraph(escape(line.volunteer_name), cell),
            Paragraph(escape(_period(line)), cell),
            duration(line.minutes),
            _("coût à déclarer") if missing else euros(line.hourly_cost),
            "" if missing else euros(line.raw),
            "" if missing else euros(line.capped),
        ])  # fmt: skip
    rows.append([_("Total"), "", "", "", duration(statement.minutes), "",
                 euros(statement.raw), euros(statement.capped)])  # fmt: skip
    widths = [m * mm for m in (62, 46, 36, 38, 18, 24, 25, 25)]
    uncosted = [n for n, line in enumerate(statement.missions, 1) if line.hourly_cost is None]
    table = _table(rows, widths, 4, total_row=True, uncosted=uncosted, cost_column=5)
    return [*heading, table, Spacer(1, 4 * mm)]


def _cap(statement, styles):
    ceiling = statement.ceiling
    if ceiling is None:
        return []
    text = _(
        "Le coût d'un salarié est retenu dans la limite de trois fois le plafond annuel de la "
        "sécurité sociale (%(pass)s en %(year)s), au prorata du temps prêté : 3 × PASS × heures "
        "prêtées ÷ %(hours)s heures à temps plein, soit un coût horaire retenu d'au plus "
        "%(cap)s. Le plafond s'applique au total de l'année du salarié, puis se répartit entre "
        "ses missions au prorata des heures."
    ) % {
        "pass": euros(ceiling.pass_amount, 0),
        "year": statement.year,
        "hours": f"{ceiling.full_time_hours:,}".replace(",", NBSP),
        "cap": euros(valuation.cents(ceiling.hourly_cap)),
    }
    # Its rule (three lines) and the table's first rows.
    parts = [
        *_heading(_("Plafond par salarié"), styles, room=45 * mm),
        Paragraph(escape(text), styles["body"]),
    ]
    if not statement.volunteers:
        return parts
    header = [
        _("Bénévole"), _("Heures prêtées"), _("Coût horaire déclaré"), _("Valorisation brute"),
        _("Plafond au prorata"), _("Valorisation retenue"),
    ]  # fmt: skip
    rows = [[Paragraph(escape(text), styles["cell"]) for text in header]]
    for v in statement.volunteers:
        if v.cost_missing:
            rows.append([v.volunteer_name, duration(v.minutes), _("coût à déclarer"), "", "", ""])
        else:
            capped = euros(v.capped) + (f" ({_('plafonnée')})" if v.is_capped else "")
            rows.append([v.volunteer_name, duration(v.minutes), euros(v.hourly_cost),
                         euros(v.raw), euros(v.cap), capped])  # fmt: skip
    widths = [m * mm for m in (70, 30, 38, 38, 38, 50)]
    uncosted = [n for n, v in enumerate(statement.volunteers, 1) if v.cost_missing]
    table = _table(rows, widths, 1, uncosted=uncosted, cost_column=2)
    return [*parts, table, Spacer(1, 4 * mm)]


def _estimate(statement, styles):
    # Its first group of steps (ESTIMATE_GROUPS) or its one sentence.
    parts = _heading(_("Réduction d'impôt estimée"), styles, room=35 * mm)
    estimate = statement.estimate
    if estimate is None:
        if statement.pass_missing:
            text = _("Sans plafond de la sécurité sociale pour cette année, aucune estimation.")
        else:
            text = _(
                "Le chiffre d'affaires hors taxes et les autres dons de l'année ne sont pas "
                "déclarés : pas d'estimation."
            )
        parts.append(Paragraph(escape(text), styles["body"]))
    else:
        parts.append(_estimate_table(estimate, styles))
    parts.append(Paragraph(f"<b>{escape(not_a_certification())}</b>", styles["warning"]))
    parts.append(Paragraph(escape(_sources(statement)), styles["small"]))
    return parts


# The estimate's steps (TaxEstimate.lines()) that are read together, so a page may end only
# between them: the gifts (0–2), the ceiling and what it retains (3–4), the reduction at each
# rate, their sum and what carries over (5–8).
ESTIMATE_GROUPS = ((0, 2), (3, 4), (5, 8))


def _estimate_table(estimate, styles):
    """The estimate step by step; it flows on from the page before, splitting only between
    its groups of steps (the heading goes over with it, the footer repeats the warning)."""
    lines = estimate.lines()
    table = Table(
        [
            [Paragraph(_bold(escape(label), reduction), styles["cell"]), euros(amount)]
            for label, amount, reduction in lines
        ],
        colWidths=[150 * mm, 40 * mm],
    )
    [total] = [n for n, (_label, _amount, reduction) in enumerate(lines) if reduction]
    style = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
        ("FONT", (0, total), (-1, total), "Helvetica-Bold", 9),
        ("BACKGROUND", (0, total), (-1, total), TINT),
    ]
    style += [("NOSPLIT", (0, first), (-1, last)) for first, last in ESTIMATE_GROUPS]
    table.setStyle(TableStyle(style))
    table.hAlign = "LEFT"
    return table


def _bold(markup, bold):
    return f"<b>{markup}</b>" if bold else markup


def _sources(statement):
    text = _(
        "Le reçu fiscal (formulaire 2041-MEC-SD) est établi par chaque structure bénéficiaire. "
        "Réduction d'impôt : article 238 bis du code général des impôts."
    )
    if statement.ceiling:
        text += " " + _(
            "Sources : plafond de la sécurité sociale, %(pass_source)s ; heures à temps plein, "
            "%(hours_source)s."
        ) % {
            "pass_source": statement.ceiling.pass_source,
            "hours_source": statement.ceiling.hours_source,
        }
    return text
