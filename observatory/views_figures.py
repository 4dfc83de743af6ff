"""The observatory's dashboard for CRESS staff: the figures of a period and a territory, each
group as a chart and as a table of the same numbers (observatory/figures.py counts them)."""

from decimal import Decimal

from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.departements import label

from . import definitions
from .charts import (
    COUNT,
    DAYS,
    HOURS,
    PERCENT,
    RATE,
    Cell,
    FigureGroup,
    Row,
    RowGroup,
    Table,
    formatted,
)
from .charts import bar_chart as chart
from .figures import figures_for
from .scope import observatory_view
from .territories import departement_figures


def _percent(fraction):
    """A fraction as a percentage, multiplied in decimal: in floats 0.285 × 100 is 28.4999…,
    which rounds to 28 % where the map (observatory.numbers.percent) writes 29 %."""
    return None if fraction is None else float(Decimal(str(fraction)) * 100)


def _chart_of(title, rows, column=0, **options):
    """The chart of one column of a table's rows: drawn from the same cells, it cannot say
    something else than the table."""
    cells = [row.cells[column] for row in rows]
    kind = cells[0].kind if cells else COUNT
    return chart(title, [row.label for row in rows], [c.value for c in cells], kind, **options)


def _counts_table(title, corner, rows, columns=None):
    return Table(
        caption=title,
        corner=corner,
        columns=columns or [_("Nombre")],
        groups=[RowGroup(None, rows)],
    )


def needs_group(figures):
    needs = figures.needs
    posted = needs["posted"]
    outcomes = [
        (_("Toujours en attente"), needs["waiting"]),
        (_("Servis : binôme trouvé, en cours ou terminé"), needs["served"]),
        (_("dont terminés"), needs["completed"]),
        (_("Expirés sans binôme"), needs["expired"]),
        (_("Annulés"), needs["cancelled"]),
    ]
    rows = [
        Row(_("Publiés dans la période"), [Cell(posted), Cell(100 if posted else None, PERCENT)])
    ]
    rows += [
        Row(name, [Cell(count), Cell(_percent(definitions.share(count, posted)), PERCENT)])
        for name, count in outcomes
    ]
    title = _("Besoins publiés et ce qu'ils sont devenus")
    return FigureGroup(
        slug="besoins",
        title=title,
        intro=_("Les besoins publiés pendant la période, selon leur statut aujourd'hui."),
        chart=_chart_of(title, rows[1:]),
        table=_counts_table(title, _("Besoins"), rows, [_("Nombre"), _("Part des publiés")]),
    )


def people_group(figures):
    rows = [
        Row(_("Offres de compétences actives"), [Cell(figures.active_offers)]),
        Row(_("Bénévoles ayant une offre active"), [Cell(figures.active_volunteers)]),
    ]
    title = _("Offres et bénévoles actifs sur le territoire")
    return FigureGroup(
        slug="offres",
        title=title,
        intro=_("Aujourd'hui, les offres actives qui couvrent au moins un département choisi."),
        chart=_chart_of(title, rows),
        table=_counts_table(title, _("Offres et bénévoles"), rows),
    )


def proposals_group(figures):
    proposals = figures.proposals
    steps = [
        (_("Proposées (par le moteur ou par intérêt)"), proposals["made"]),
        (_("Approuvées par la CRESS"), proposals["approved"]),
        (_("Rejetées par la CRESS"), proposals["rejected"]),
        (_("Acceptées par toutes les parties"), proposals["accepted"]),
        (_("Déclinées par une partie"), figures.declined),
    ]
    rows = [Row(name, [Cell(count)]) for name, count in steps]
    title = _("Propositions de binôme")
    return FigureGroup(
        slug="propositions",
        title=title,
        intro=_(
            "Chaque étape est comptée à sa date : une proposition faite avant la période peut "
            "y être approuvée, acceptée ou déclinée."
        ),
        chart=_chart_of(title, rows),
        table=_counts_table(title, _("Étape"), rows),
    )


def reasons_group(slug, title, corner, reasons):
    rows = [Row(reason.label, [Cell(reason.count)]) for reason in reasons]
    total = sum(reason.count for reason in reasons)
    return FigureGroup(
        slug=slug,
        title=title,
        chart=_chart_of(title, rows),
        table=Table(
            caption=title,
            corner=corner,
            columns=[_("Nombre")],
            groups=[RowGroup(None, rows), RowGroup(None, [Row(_("Total"), [Cell(total)])])],
        ),
    )


def delays_group(figures):
    delays = [
        (_("De la publication à la première approbation"), figures.days_to_approval),
        (_("De la publication au début de la mission"), figures.days_to_start),
    ]
    rows = [Row(name, [Cell(m.value, DAYS), Cell(m.count)]) for name, m in delays]
    title = _("Délais médians, en jours")
    return FigureGroup(
        slug="delais",
        title=title,
        intro=_(
            "Pour les besoins publiés dans la période qui ont atteint l'étape : la moitié "
            "l'a atteinte en moins de jours, l'autre moitié en plus."
        ),
        chart=_chart_of(title, rows),
        table=_counts_table(
            title, _("Délai"), rows, [_("Médiane (jours)"), _("Besoins concernés")]
        ),
    )


def population_group(figures):
    rows = [
        Row(_("Besoins publiés"),
            [Cell(figures.needs["posted"]), Cell(figures.needs_per_10k, RATE)]),
        Row(_("Bénévoles actifs aujourd'hui"),
            [Cell(figures.active_volunteers), Cell(figures.volunteers_per_10k, RATE)]),
        Row(_("Heures données (confirmées)"),
            [Cell(figures.hours_given, HOURS), Cell(figures.hours_per_10k, RATE)]),
    ]  # fmt: skip
    title = _("Rapporté à la population")
    caption = _("%(title)s : %(people)s habitants (INSEE)") % {
        "title": title,
        "people": formatted(figures.population),
    }
    return FigureGroup(
        slug="population",
        title=title,
        intro=_(
            "Besoins publiés et heures données dans la période ; bénévoles ayant une offre "
            "active aujourd'hui. Heures données : les heures confirmées par les structures, au "
            "jour où elles ont été données. Population légale INSEE des départements choisis."
        ),
        chart=_chart_of(_("Pour 10 000 habitants"), rows, column=1),
        table=Table(
            caption=caption,
            corner=_("Indicateur"),
            columns=[_("Nombre"), _("Pour 10 000 habitants")],
            groups=[RowGroup(None, rows)],
        ),
    )


def areas_group(figures):
    def row(area):
        return Row(area.name, [Cell(area.posted), Cell(area.served),
                               Cell(_percent(area.share_served), PERCENT)])  # fmt: skip

    priority = [area for area in figures.areas if area.is_priority]
    others = [area for area in figures.areas if not area.is_priority]
    title = _("Part des besoins servis par domaine")
    return FigureGroup(
        slug="domaines",
        title=title,
        intro=_(
            "Les cinq domaines prioritaires de l'étude régionale de 2019 d'abord (★) ; chaque "
            "autre domaine compte les besoins de ses autres compétences. « – » : aucun besoin "
            "publié."
        ),
        chart=chart(
            title,
            [f"★ {area.name}" if area.is_priority else area.name for area in figures.areas],
            [_percent(area.share_served) for area in figures.areas],
            PERCENT,
            highlight=range(len(priority)),
        ),
        table=Table(
            caption=title,
            corner=_("Domaine"),
            columns=[_("Besoins publiés"), _("Besoins servis"), _("Part servie")],
            groups=[
                RowGroup(_("Domaines prioritaires de l'étude 2019"), [row(a) for a in priority]),
                RowGroup(_("Autres domaines"), [row(a) for a in others]),
            ],
        ),
    )


def departements_group(rows):
    title = _("Par département")
    return FigureGroup(
        slug="departements",
        title=title,
        chart=chart(
            _("Part des besoins servis par département"),
            [row.name for row in rows],
            [_percent(row.share_served) for row in rows],
            PERCENT,
        ),
        table=Table(
            caption=_("Par département : besoins, heures et bénévoles, pour 10 000 habitants"),
            corner=_("Département"),
            columns=[
                _("Population"), _("Besoins publiés"), _("Besoins servis"), _("Part servie"),
                _("Heures données"), _("Bénévoles actifs"), _("Besoins pour 10 000 hab."),
                _("Heures pour 10 000 hab."), _("Bénévoles pour 10 000 hab."),
            ],
            groups=[RowGroup(None, [
                Row(label(row.code), [
                    Cell(row.population), Cell(row.needs_posted), Cell(row.needs_served),
                    Cell(_percent(row.share_served), PERCENT), Cell(row.hours_given, HOURS),
                    Cell(row.volunteers), Cell(row.needs_per_10k, RATE),
                    Cell(row.hours_per_10k, RATE), Cell(row.volunteers_per_10k, RATE),
                ])
                for row in rows
            ])],
        ),
    )  # fmt: skip


def key_figures(figures):
    """The few figures a reader looks for first, at the top of the page."""
    return [
        (_("Besoins publiés"), Cell(figures.needs["posted"])),
        (_("Part des besoins servis"), Cell(_percent(figures.share_served), PERCENT)),
        (_("Heures données"), Cell(figures.hours_given, HOURS)),
        (_("Bénévoles actifs aujourd'hui"), Cell(figures.active_volunteers)),
    ]


def territory_name(form, selection):
    """« 80 – Somme » for one département, else the picker's name of the whole territory."""
    if len(selection.departements) == 1:
        return label(selection.departements[0])
    return form.fields["departement"].choices[0][1]


@observatory_view
def dashboard(request, form, selection):
    figures = figures_for(selection)
    departements = departement_figures(selection)
    groups = [
        needs_group(figures),
        areas_group(figures),
        proposals_group(figures),
        reasons_group("rejets", _("Motifs de rejet par la CRESS"), _("Motif"),
                      figures.rejections),
        reasons_group("refus", _("Raisons des propositions déclinées"), _("Raison"),
                      figures.declines),
        delays_group(figures),
        people_group(figures),
        population_group(figures),
        departements_group(departements),
    ]  # fmt: skip
    return render(
        request,
        "observatory/dashboard.html",
        {
            "form": form,
            "selection": selection,
            "territory": territory_name(form, selection),
            "key_figures": key_figures(figures),
            "groups": groups,
            # The map and the CSV exports keep the selection.
            "query": urlencode(selection.as_query()),
        },
    )
