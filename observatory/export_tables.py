"""The four tables the observatory exports: needs, offers, proposals and missions with hours.

Each table is a header and a function of the selection returning its rows lazily, read from
the database in chunks (`.iterator(chunk_size=…)` over `values_list`): rows are formatted one
at a time as the file is sent, so 100,000 rows never sit in memory, and the number of queries
is fixed whatever their number. A table with lists in its cells (an offer's skills, a
proposal's answers) reads them as a second stream ordered by the same id and pairs them in one
pass (`with_children`), instead of one query per row.

Which rows (the selection's period and territory):
- needs: published in the period, in the selected départements (definitions.needs_posted);
- offers: created in the period, covering at least one selected département, active today or
  not (their « Active aujourd'hui » column says which): not the dashboard's « offres actives »,
  which are today's active offers whenever they were created;
- proposals: created in the period, for a need of the selected départements;
- missions: for a need of the selected départements, started in the period or with hours given
  in it (confirmed hours whose day is in the period, definitions.hours_given): the column of
  the period's hours adds up to the dashboard's « Heures données »; hours in all and hours
  waiting for confirmation follow it.

The API (observatory/api.py) serves the same rows page by page: each table's `rows` takes a
`window` (a slice of the ordered rows) and `of` gives the rows' queryset to count.

Offers carry no personal contact data: no volunteer's name, e-mail or phone, and no title or
presentation either, free text in which volunteers often introduce themselves.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.departements import label
from accounts.models import Organisation
from matching.models import Level, Need, Offer, OfferArea, OfferSkill, Proposal
from missions.models import Answer, HoursEntry, Mission, Party, Review

from .definitions import SERVED, hours_given, needs_posted

# Rows fetched per round trip: enough to keep the database busy, small enough to stay light.
CHUNK_SIZE = 2000
# Between the items of a list in one cell (skill names may one day hold a comma).
LIST_SEPARATOR = " · "


@dataclass(frozen=True)
class Table:
    """An exported table: the file's name stem, its column titles, and its rows."""

    stem: str
    header: tuple
    rows: Callable  # (selection, window=None) → an iterable of tuples, read as they are sent
    of: Callable  # selection → the queryset of the table's rows (one per row), to count them

    def count(self, selection):
        return self.of(selection).count()


def read(rows):
    """Rows of a values_list streamed in chunks, or a page's rows already read (a list)."""
    return iter(rows) if isinstance(rows, list) else rows.iterator(CHUNK_SIZE)


def labels(choices):
    """{stored value: its label in the current language}, translated once for the file."""
    return {value: str(text) for value, text in choices.choices}


def name_column():
    """The catalogue column in the page's language (Bilingual.name, as a database column)."""
    return "name_en" if (get_language() or "fr").startswith("en") else "name_fr"


def hours(minutes):
    """Minutes as hours with two decimals (90 → 1.50), for the decimal-comma writer.

    Exact for hours logged by the quarter, as the hours form takes them: a column's sum is
    then the total of its minutes, to the hundredth.
    """
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def with_children(parents, *children):
    """Each parent row with, for each child stream, the list of its children's rows.

    Parents and children are ordered by their first column (the parent's id for children):
    one pass over each stream, as in a merge join, so nothing is gathered beyond one parent.
    """
    streams = [_ChildStream(rows) for rows in children]
    for parent in parents:
        yield (parent, *(stream.take(parent[0]) for stream in streams))


class _ChildStream:
    """Child rows ordered by their parent's id, handed out one parent at a time."""

    def __init__(self, rows):
        self._groups = itertools.groupby(rows, key=itemgetter(0))
        self._next_group()

    def _next_group(self):
        self._key, self._group = next(self._groups, (None, ()))

    def take(self, key):
        """The rows (without their parent id) of that parent; earlier parents' are skipped."""
        while self._key is not None and self._key < key:
            self._next_group()
        if self._key != key:
            return []
        found = [row[1:] for row in self._group]
        self._next_group()
        return found


# Needs


def need_rows(selection, window=None):
    """The needs' rows, read lazily."""
    name = name_column()
    statuses = labels(Need.Status)
    rows = (
        needs_posted(selection)
        .order_by("published_at", "pk")
        .values_list(
            "pk",
            "organisation__name",
            "departement",
            "title",
            f"main_skill__{name}",
            f"main_skill__domain__{name}",
            "status",
            "estimated_hours",
            "wished_start",
            "wished_end",
            "published_at",
        )
    )
    if window is not None:
        rows = list(rows[window])

    def formatted():
        for pk, structure, code, title, skill, domain, status, *rest in read(rows):
            yield (
                pk, structure, label(code), title, skill, domain, statuses[status], *rest,
                status in SERVED,
            )  # fmt: skip

    return formatted()


NEEDS = Table(
    stem=_("besoins"),
    header=(
        _("N° du besoin"),
        _("Structure"),
        _("Département"),
        _("Titre"),
        _("Compétence principale"),
        _("Domaine"),
        _("Statut"),
        _("Heures estimées"),
        _("Début souhaité"),
        _("Fin souhaitée"),
        _("Publié le"),
        _("Pourvu"),
    ),
    rows=need_rows,
    of=needs_posted,
)


# Offers


def offers_of(selection):
    """Offers created in the period that cover a selected département, active or not."""
    covering = OfferArea.objects.filter(departement__in=selection.departements)
    return Offer.objects.filter(selection.during("created_at"), pk__in=covering.values("offer"))


def offer_rows(selection, window=None):
    """The offers' rows with their skills and départements, read lazily."""
    name = name_column()
    kinds, engagements, levels = labels(Organisation.Kind), labels(Offer.Engagement), labels(Level)
    offers = offers_of(selection)
    rows = offers.order_by("pk").values_list(
        "pk", "organisation__name", "organisation__kind", "engagement", "remote_ok",
        "hours_per_month", "available_from", "available_until", "is_active", "created_at",
    )  # fmt: skip
    if window is not None:  # a page: its rows, and the children of these rows only
        rows = list(rows[window])
        offers = [row[0] for row in rows]
    skills = (
        OfferSkill.objects.filter(offer__in=offers)
        .order_by("offer_id", "skill__domain__position", "skill__position", "skill_id")
        .values_list("offer_id", f"skill__{name}", "level")
    )
    areas = (
        OfferArea.objects.filter(offer__in=offers)
        .order_by("offer_id", "departement")
        .values_list("offer_id", "departement")
    )

    def formatted():
        for offer, its_skills, its_areas in with_children(
            read(rows), skills.iterator(CHUNK_SIZE), areas.iterator(CHUNK_SIZE)
        ):
            pk, employer, kind, engagement, remote, per_month, *period, active, created = offer
            yield (
                pk, employer, kinds[kind], engagements[engagement],
                LIST_SEPARATOR.join(f"{skill} ({levels[level]})" for skill, level in its_skills),
                LIST_SEPARATOR.join(label(code) for (code,) in its_areas),
                remote, per_month, *period, active, created,
            )  # fmt: skip

    return formatted()


OFFERS = Table(
    stem=_("offres"),
    header=(
        _("N° de l'offre"),
        _("Employeur"),
        _("Type d'employeur"),
        _("Engagement"),
        _("Compétences et niveaux"),
        _("Départements couverts"),
        _("À distance possible"),
        _("Heures par mois"),
        _("Disponible à partir du"),
        _("Disponible jusqu'au"),
        # Today's state, not the period's: the file lists the offers created in the period,
        # withdrawn since or not, where the dashboard counts the offers active today.
        _("Active aujourd'hui"),
        _("Créée le"),
    ),
    rows=offer_rows,
    of=offers_of,
)


# Proposals


def proposals_of(selection):
    """Proposals made in the period for needs of the selected départements."""
    return Proposal.objects.filter(
        selection.within("need__departement"), selection.during("created_at")
    )


def proposal_rows(selection, window=None):
    """The proposals' rows with their review and answers, read lazily."""
    statuses, sources = labels(Proposal.Status), labels(Proposal.Source)
    engagements, decisions = labels(Offer.Engagement), labels(Review.Decision)
    reject_reasons, parties = labels(Review.RejectReason), labels(Party)
    answer_decisions, decline_reasons = labels(Answer.Decision), labels(Answer.DeclineReason)
    proposals = proposals_of(selection)
    rows = proposals.order_by("pk").values_list(
        "pk", "need_id", "need__title", "need__organisation__name", "need__departement",
        "offer_id", "offer__engagement", "source", "status", "score", "created_at",
        "approved_at", "review__decision", "review__reason",
    )  # fmt: skip
    if window is not None:  # a page: its rows, and the answers of these rows only
        rows = list(rows[window])
        proposals = [row[0] for row in rows]
    answers = (
        Answer.objects.filter(proposal__in=proposals)
        .order_by("proposal_id", "answered_at", "pk")
        .values_list("proposal_id", "party", "decision", "reason")
    )

    def answer_text(party, decision, reason):
        text = f"{parties[party]} : {answer_decisions[decision]}"
        return f"{text} ({decline_reasons[reason]})" if reason else text

    def formatted():
        for proposal, its_answers in with_children(read(rows), answers.iterator(CHUNK_SIZE)):
            pk, need, title, structure, code, offer, engagement, *rest = proposal
            source, status, score, created, approved, decision, reason = rest
            yield (
                pk, need, title, structure, label(code), offer, engagements[engagement],
                sources[source], statuses[status], round(score, 2), created, approved,
                decisions.get(decision, ""), reject_reasons.get(reason, ""),
                LIST_SEPARATOR.join(answer_text(*answer) for answer in its_answers),
            )  # fmt: skip

    return formatted()


PROPOSALS = Table(
    stem=_("propositions"),
    header=(
        _("N° de la proposition"),
        _("N° du besoin"),
        _("Besoin"),
        _("Structure"),
        _("Département"),
        _("N° de l'offre"),
        _("Engagement"),
        _("Origine"),
        _("Statut"),
        _("Score"),
        _("Créée le"),
        _("Approuvée le"),
        _("Décision de la CRESS"),
        _("Motif du rejet"),
        _("Réponses des parties"),
    ),
    rows=proposal_rows,
    of=proposals_of,
)


# Missions


def missions_of(selection):
    """Missions for needs of the selected départements that started in the period or have
    hours given in it (the dashboard's hours_given), with their confirmed minutes in the
    period and in all, and the minutes waiting for the structure's confirmation.

    A mission begun before the period still counts its hours given in it, so the period's
    column adds up to the dashboard's « Heures données »: the hours are the period's, the
    missions only carry them.
    """
    status = HoursEntry.Status
    confirmed = Q(hours__status=status.CONFIRMED)
    given_in_period = hours_given(selection).filter(mission=OuterRef("pk"))
    return Mission.objects.filter(
        selection.within("need__departement"),
        selection.during("started_at") | Exists(given_in_period),
    ).annotate(
        minutes_in_period=Sum(
            "hours__minutes", filter=confirmed & selection.during_days("hours__day"), default=0
        ),
        confirmed_minutes=Sum("hours__minutes", filter=confirmed, default=0),
        waiting_minutes=Sum("hours__minutes", filter=Q(hours__status=status.LOGGED), default=0),
    )


def mission_rows(selection, window=None):
    """The missions' rows with their hours, read lazily."""
    statuses, engagements = labels(Mission.Status), labels(Offer.Engagement)
    rows = (
        missions_of(selection)
        .order_by("started_at", "pk")
        .values_list(
            "pk",
            "need_id",
            "need__title",
            "need__organisation__name",
            "need__departement",
            "offer__organisation__name",
            "offer__engagement",
            "status",
            "started_at",
            "closed_at",
            "minutes_in_period",
            "confirmed_minutes",
            "waiting_minutes",
        )
    )
    if window is not None:
        rows = list(rows[window])

    def formatted():
        for mission in read(rows):
            pk, need, title, structure, code, employer, engagement, status, *rest = mission
            started, closed, in_period, confirmed, waiting = rest
            yield (
                pk, need, title, structure, label(code), employer, engagements[engagement],
                statuses[status], started, closed, hours(in_period), hours(confirmed),
                hours(waiting),
            )  # fmt: skip

    return formatted()


MISSIONS = Table(
    stem=_("missions"),
    header=(
        _("N° de la mission"),
        _("N° du besoin"),
        _("Besoin"),
        _("Structure"),
        _("Département"),
        _("Employeur"),
        _("Engagement"),
        _("Statut"),
        _("Commencée le"),
        _("Close le"),
        _("Heures confirmées dans la période"),
        _("Heures confirmées en tout"),
        _("Heures à confirmer"),
    ),
    rows=mission_rows,
    of=missions_of,
)
