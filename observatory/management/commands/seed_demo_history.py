"""Seed the demo's past year (observatory/demo/history.json) on top of the seeded demo.

Twelve months of needs of the demo structures with what became of each: proposals rejected,
declined, expired or withdrawn, missions completed with the hours their structures confirmed (a
few abandoned), needs expired or cancelled; the past offers of the demo volunteers that served
them; the companies' mécénat declarations; the legal form and street address of the structures
in it. The observatory, the map and the mécénat statements have something to show on day one.

It leaves today's demo alone: nothing of the history is live (no published need, no proposal
proposed, approved or accepted, no active mission, no active offer) and no approval is recent
enough to count among a volunteer's asks of the last 30 days, so the matcher does what it
would do without it. Nobody is notified: the past makes no notification.

Rows are inserted in bulk (a few dozen queries for the whole year), then dated back: every
moment in the file is counted in days before now. Deterministic and idempotent: needs are found
again by (structure, title), offers by (volunteer, title), declarations by their unique keys;
a need already there is left alone with everything that hangs from it.
"""

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, User
from matching.engine import scoring
from matching.engine.inputs import SCALE
from matching.matcher import weights
from matching.models import Need, Offer, OfferArea, OfferSkill, Proposal, Skill
from missions.models import Answer, Event, Feedback, HoursEntry, Message, Mission, Party, Review
from observatory.demo import HOURS_DECIDED_AFTER, HOURS_LOGGED_AT, history
from observatory.models import CompanyYear, VolunteerCost

Kind = Organisation.Kind
Verb = Event.Verb
DEMO_EMAIL_SUFFIX = ".example.org"
# Checked in Python like the other demo seeds (fields, clean()); foreign keys and check
# constraints are left to the database, which enforces them anyway.
NEED_FOREIGN_KEYS = ["organisation", "created_by", "main_skill"]
OFFER_FOREIGN_KEYS = ["volunteer", "organisation"]
BATCH = 1000
# Rows dated back per UPDATE: (1 + moments) parameters each, well within SQLite's limit.
DATED_BATCH = 300
# Why a proposal nobody said no to was withdrawn: the words of missions.services.
WITHDRAWN_BECAUSE = {
    "taken": gettext_lazy("Le besoin a trouvé son binôme."),
    "cancelled": gettext_lazy("la structure a annulé le besoin."),
}


class Command(BaseCommand):
    help = (
        "Ajoute à la démonstration une année passée : besoins, propositions, missions et heures "
        "des douze derniers mois, déclarations de mécénat des entreprises (lancez d'abord "
        "seed_demo). Relancer la commande ne crée rien de nouveau."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            created = History(history(), timezone.now()).seed()
        write = self.stdout.write
        write(self.style.MIGRATE_HEADING("Historique de démonstration : les douze derniers mois"))
        if created["skipped"]:
            write(
                self.style.WARNING(
                    f"{created['skipped']} besoins passés laissés de côté : leur structure, leur "
                    "auteur ou un bénévole manque dans la base."
                )
            )
        if created["needs"] or created["declarations"] or created["organisations"]:
            write(
                self.style.SUCCESS(
                    f"Ajouté à la base : {created['needs']} besoins passés, {created['offers']} "
                    f"offres passées, {created['missions']} missions, {created['hours']} saisies "
                    f"d'heures, {created['declarations']} déclarations de mécénat ; "
                    f"{created['organisations']} structures complétées (adresse, forme juridique)."
                )
            )
        else:
            write("Rien à ajouter : l'historique de démonstration était en place.")


class History:
    """The file's year, dated back from `now` and written in bulk."""

    def __init__(self, data, now):
        self.data = data
        self.now = now
        self.today = timezone.localdate(now)
        self.weights = weights()
        self.events = []  # written last, once the rows they point to have their ids
        self.dated = {}  # model: [(row, {field: moment})]

    # Moments

    def at(self, days_ago):
        return self.now - timedelta(days=days_ago)

    def day(self, days_ago):
        return self.today - timedelta(days=days_ago)

    def logged_at(self, day):
        return timezone.make_aware(datetime.combine(day, HOURS_LOGGED_AT))

    def date_back(self, row, **moments):
        """Give a row its moments once written: bulk_create stamps auto_now fields with now."""
        self.dated.setdefault(type(row), []).append((row, moments))

    def log(self, verb, moment, actor=None, proposal=None, mission=None, party="", detail=""):
        event = Event(verb=verb, actor_id=actor, proposal=proposal, mission=mission, party=party,
                      detail=str(detail)[:500])  # fmt: skip
        self.events.append(event)
        self.date_back(event, at=moment)

    # Seeding

    def seed(self):
        self.organisations = self.organisation_ids()
        if not self.organisations:
            raise CommandError(
                "Les structures de démonstration manquent : lancez d'abord « manage.py seed_demo »."
            )
        self.users = dict(
            User.objects.filter(email__endswith=DEMO_EMAIL_SUFFIX).values_list("email", "pk")
        )
        self.reviewer = self.users.get(self.data["reviewer"])
        if self.reviewer is None:
            raise CommandError(
                "Les comptes de démonstration manquent : lancez d'abord « manage.py seed_demo »."
            )
        self.skills = dict(Skill.objects.values_list("code", "pk"))
        completed = self.complete_organisations()
        self.offers, new_offers = self.ensure_offers()
        self.offers_by_pk = {value[0]: value for value in self.offers.values()}
        needs, skipped = self.new_needs()
        created = self.write_needs(needs)
        declarations = self.ensure_declarations()
        self.write_dates()
        return {
            "organisations": completed,
            "offers": new_offers,
            "needs": len(needs),
            "skipped": skipped,
            "declarations": declarations,
            **created,
        }

    def organisation_ids(self):
        """{natural key: pk} of the demo structures the file names."""
        keys = {tuple(org["key"]) for org in self.data["organisations"]}
        rnas = [value for kind, value in keys if kind == "rna"]
        sirens = [value for kind, value in keys if kind == "siren"]
        rows = Organisation.objects.filter(
            Q(kind=Kind.ASSOCIATION, rna__in=rnas)
            | (~Q(kind=Kind.ASSOCIATION) & Q(siren__in=sirens))
        ).values_list("pk", "kind", "rna", "siren", "legal_form", "street_address")
        self.blanks = {}
        ids = {}
        for pk, kind, rna, siren, legal_form, street_address in rows:
            key = ("rna", rna) if kind == Kind.ASSOCIATION else ("siren", siren)
            ids[key] = pk
            self.blanks[pk] = (legal_form, street_address)
        return ids

    def complete_organisations(self):
        """Fill the legal form and street address the structures left blank (the mécénat
        receipt prints them); what someone typed is kept."""
        changed = []
        for spec in self.data["organisations"]:
            pk = self.organisations.get(tuple(spec["key"]))
            if pk is None:
                continue
            legal_form, street_address = self.blanks[pk]
            if legal_form and street_address:
                continue
            changed.append(
                Organisation(
                    pk=pk,
                    legal_form=legal_form or spec["legal_form"],
                    street_address=street_address or spec["street_address"],
                )
            )
        Organisation.objects.bulk_update(changed, ["legal_form", "street_address"], BATCH)
        return len(changed)

    # Offers

    def ensure_offers(self):
        """{ref: (offer pk, volunteer pk, referent pk)}, creating the missing past offers."""
        volunteers = {self.users.get(spec["volunteer"]) for spec in self.data["offers"]} - {None}
        existing = {
            (volunteer, title): pk
            for pk, volunteer, title in Offer.objects.filter(volunteer__in=volunteers).values_list(
                "pk", "volunteer_id", "title"
            )
        }
        offers, new = {}, []
        for spec in self.data["offers"]:
            volunteer = self.users.get(spec["volunteer"])
            employer = self.organisations.get(tuple(spec["employer"]))
            referent = self.users.get(spec["referent"]) if spec["referent"] else None
            if volunteer is None or employer is None or (spec["referent"] and not referent):
                continue
            pk = existing.get((volunteer, spec["title"]))
            if pk is None:
                offer = self.offer(spec, volunteer, employer)
                new.append((offer, spec))
            offers[spec["ref"]] = (pk, volunteer, referent)
        Offer.objects.bulk_create([offer for offer, _ in new], batch_size=BATCH)
        skills, areas = [], []
        for offer, spec in new:
            offers[spec["ref"]] = (offer.pk, *offers[spec["ref"]][1:])
            skills += [
                OfferSkill(offer=offer, skill_id=self.skills[code], level=level)
                for code, level in spec["skills"]
            ]
            areas += [OfferArea(offer=offer, departement=code) for code in spec["departements"]]
            self.date_back(offer, created_at=self.at(spec["created"]),
                           updated_at=self.at(spec["paused"]))  # fmt: skip
        OfferSkill.objects.bulk_create(skills, batch_size=BATCH)
        OfferArea.objects.bulk_create(areas, batch_size=BATCH)
        return offers, len(new)

    def offer(self, spec, volunteer, employer):
        """A past offer: paused, its availability over."""
        offer = Offer(
            volunteer_id=volunteer,
            organisation_id=employer,
            title=spec["title"],
            description=spec["description"],
            engagement=spec["engagement"],
            remote_ok=spec["remote_ok"],
            hours_per_month=spec["hours_per_month"],
            available_from=self.day(spec["available_from"]),
            available_until=self.day(spec["available_until"]),
            is_active=False,
        )
        offer.full_clean(exclude=OFFER_FOREIGN_KEYS, validate_constraints=False)
        return offer

    # Needs and what hangs from them

    def new_needs(self):
        """The file's needs not in the database yet whose people and offers are; returns
        ([(Need, spec)], how many were left out)."""
        posting = {self.organisations.get(tuple(spec["structure"])) for spec in self.data["needs"]}
        existing = set(
            Need.objects.filter(organisation__in=posting - {None}).values_list(
                "organisation_id", "title"
            )
        )
        needs, skipped = [], 0
        for spec in self.data["needs"]:
            organisation = self.organisations.get(tuple(spec["structure"]))
            author = self.users.get(spec["author"])
            if (organisation, spec["title"]) in existing:
                continue
            offers = {proposal["offer"] for proposal in spec["proposals"]}
            if organisation is None or author is None or not offers <= set(self.offers):
                skipped += 1
                continue
            needs.append((self.need(spec, organisation, author), spec))
        return needs, skipped

    def need(self, spec, organisation, author):
        need = Need(
            organisation_id=organisation,
            created_by_id=author,
            title=spec["title"],
            description=spec["description"],
            main_skill_id=self.skills[spec["main_skill"]],
            departement=spec["departement"],
            remote_ok=spec["remote_ok"],
            format=spec["format"],
            estimated_hours=spec["estimated_hours"],
            wished_start=self.day(spec["wished_start"]),
            wished_end=self.day(spec["wished_end"]),
            status=spec["status"],
            published_at=self.at(spec["published"]),
            expiry_reminder_sent_at=self.at(spec["reminded"]) if "reminded" in spec else None,
        )
        need.full_clean(exclude=NEED_FOREIGN_KEYS, validate_constraints=False)
        self.date_back(
            need, created_at=self.at(spec["created"]), updated_at=self.at(spec["changed"])
        )
        return need

    def write_needs(self, needs):
        """Needs, then their proposals, reviews, answers, missions, hours, threads, feedback."""
        Need.objects.bulk_create([need for need, _ in needs], batch_size=BATCH)
        Secondary = Need.secondary_skills.through
        Secondary.objects.bulk_create(
            [
                Secondary(need_id=need.pk, skill_id=self.skills[code])
                for need, spec in needs
                for code in spec["secondary_skills"]
            ],
            batch_size=BATCH,
        )
        proposals = [
            [self.proposal(need, item) for item in spec["proposals"]] for need, spec in needs
        ]
        Proposal.objects.bulk_create([row for rows in proposals for row in rows], batch_size=BATCH)
        reviews, answers, missions = [], [], []
        for (need, spec), its_proposals in zip(needs, proposals, strict=True):
            for proposal, item in zip(its_proposals, spec["proposals"], strict=True):
                reviews += self.review(proposal, item)
                answers += self.answers(proposal, item)
            if "mission" in spec:
                proposal = its_proposals[spec["mission"]["proposal"]]
                missions.append((self.mission(proposal, need, spec["mission"]), spec["mission"]))
        Review.objects.bulk_create(reviews, batch_size=BATCH)
        Answer.objects.bulk_create(answers, batch_size=BATCH)
        Mission.objects.bulk_create([mission for mission, _ in missions], batch_size=BATCH)
        hours, messages, feedback = [], [], []
        for mission, spec in missions:
            hours += self.hours(mission, spec)
            messages += self.thread(mission, spec)
            feedback += self.feedback(mission, spec)
        HoursEntry.objects.bulk_create(hours, batch_size=BATCH)
        Message.objects.bulk_create(messages, batch_size=BATCH)
        Feedback.objects.bulk_create(feedback, batch_size=BATCH)
        Event.objects.bulk_create(self.events, batch_size=BATCH)
        return {"missions": len(missions), "hours": len(hours)}

    def proposal(self, need, item):
        offer, volunteer, _ = self.offers[item["offer"]]
        review = item.get("review", {})
        approved = review.get("decision") == Review.Decision.APPROVED
        created = self.at(item["created"])
        parts, details = self.explained(need, item, created)
        proposal = Proposal(
            need=need,
            offer_id=offer,
            status=item["status"],
            source=item["source"],
            score=round(sum(parts.values()), 3),
            parts=parts,
            details=details,
            approved_at=self.at(review["at"]) if approved else None,
            status_changed_at=self.at(item["changed"]),
        )
        self.date_back(proposal, created_at=created)
        if item["source"] == Proposal.Source.VOLUNTEER:
            self.log(Verb.INTERESTED, created, volunteer, proposal, party=Party.VOLUNTEER)
        return proposal

    def explained(self, need, item, created):
        """The score parts and details the matcher would have stored for the pair (the whole
        period covered, no equity boost recorded)."""
        w = self.weights
        level, place, *via = item["fit"]
        waiting = max(0, (created - need.published_at).days)
        places = {"same": w.same_departement, "neighbour": w.neighbour, "remote": w.remote}
        points = {
            "skill": round(w.skill * w.level_points(level) * SCALE),
            "place": round(places[place] * SCALE),
            "availability": scoring.availability_points(w, 1.0),
            "waiting": scoring.waiting_points(w, waiting),
            "equity": 0,
        }
        details = {
            "skill_id": need.main_skill_id,
            "level": level,
            "place": place,
            "departement": need.departement,
            "via_departement": via[0] if via else None,
            "overlap": 1.0,
            "waiting_days": waiting,
            "waiting_cap_days": w.waiting_cap_days,
            "departement_served": 0,
            "departement_needs": 0,
            "region_share": 0.0,
        }
        return {name: value / SCALE for name, value in points.items()}, details

    def review(self, proposal, item):
        """The CRESS's decision, and the end of a proposal nobody said no to."""
        review = item.get("review")
        if item["status"] == Proposal.Status.EXPIRED:
            self.log(Verb.EXPIRED, self.at(item["changed"]), proposal=proposal)
        elif item["status"] == Proposal.Status.WITHDRAWN and "why" in item:
            # The need found its volunteer, or its structure (the author) cancelled it.
            actor = proposal.need.created_by_id if item["why"] == "cancelled" else None
            self.log(Verb.WITHDRAWN, self.at(item["changed"]), actor, proposal,
                     detail=WITHDRAWN_BECAUSE[item["why"]])  # fmt: skip
        if review is None:
            return []
        moment = self.at(review["at"])
        if review["decision"] == Review.Decision.APPROVED:
            self.log(Verb.APPROVED, moment, self.reviewer, proposal)
            row = Review(proposal=proposal, decision=review["decision"], no_commercial_link=True,
                         reviewer_id=self.reviewer)  # fmt: skip
        else:
            label = Review.RejectReason(review["reason"]).label
            self.log(Verb.REJECTED, moment, self.reviewer, proposal, detail=label)
            row = Review(proposal=proposal, decision=review["decision"], reason=review["reason"],
                         comment=review.get("comment", ""), reviewer_id=self.reviewer)  # fmt: skip
        self.date_back(row, decided_at=moment)
        return [row]

    def answers(self, proposal, item):
        rows = []
        for answer in item.get("answers", []):
            person = self.person(proposal, answer["party"])
            moment = self.at(answer["at"])
            row = Answer(proposal=proposal, party=answer["party"], decision=answer["decision"],
                         reason=answer.get("reason", ""), comment=answer.get("comment", ""),
                         by_id=person)  # fmt: skip
            if answer["decision"] == Answer.Decision.ACCEPTED:
                self.log(Verb.ACCEPTED, moment, person, proposal, party=answer["party"])
            else:
                label = Answer.DeclineReason(answer["reason"]).label
                self.log(Verb.DECLINED, moment, person, proposal, party=answer["party"],
                         detail=label)  # fmt: skip
            self.date_back(row, answered_at=moment)
            rows.append(row)
        return rows

    def person(self, proposal, party):
        """Who acts for a side: the need's author, the volunteer, the employer's referent."""
        if party == Party.ASSOCIATION:
            return proposal.need.created_by_id
        _, volunteer, referent = self.offers_by_pk[proposal.offer_id]
        return volunteer if party == Party.VOLUNTEER else referent

    def mission(self, proposal, need, spec):
        """A mission as its step functions leave it (missions.services), with its events."""
        started, closed = self.at(spec["started"]), self.at(spec["closed"])
        closer = spec.get("closed_by")
        mission = Mission(
            proposal=proposal,
            need=need,
            offer_id=proposal.offer_id,
            volunteer_id=self.person(proposal, Party.VOLUNTEER),
            status=spec["status"],
            closed_at=closed,
            closed_by_id=self.person(proposal, closer) if closer else None,
            close_note=spec.get("note", ""),
        )
        self.date_back(mission, started_at=started)
        self.log(Verb.MISSION_STARTED, started, proposal=proposal, mission=mission)
        if spec["status"] == Mission.Status.ABANDONED:
            self.log(Verb.ABANDONED, closed, mission.closed_by_id, proposal, mission,
                     detail=mission.close_note)  # fmt: skip
        else:
            verb = Verb.COMPLETED if closer else Verb.AUTO_CLOSED
            self.log(verb, closed, mission.closed_by_id, proposal, mission)
        return mission

    def hours(self, mission, spec):
        proposal, author = mission.proposal, mission.need.created_by_id
        rows = []
        for entry in spec["hours"]:
            day = self.day(entry["day"])
            status = entry.get("status", HoursEntry.Status.CONFIRMED)
            logged = self.logged_at(day)
            decided = logged + HOURS_DECIDED_AFTER if status != HoursEntry.Status.LOGGED else None
            row = HoursEntry(
                mission=mission,
                day=day,
                minutes=entry["minutes"],
                description=entry["text"],
                status=status,
                logged_by_id=mission.volunteer_id,
                decided_by_id=author if decided else None,
                decided_at=decided,
                dispute_note=entry.get("note", ""),
            )
            self.date_back(row, created_at=logged, updated_at=decided or logged)
            self.log(Verb.HOURS_LOGGED, logged, mission.volunteer_id, proposal, mission,
                     detail=f"{day} · {row.minutes} min")  # fmt: skip
            if decided:
                verb = Verb.HOURS_CONFIRMED if status == "confirmed" else Verb.HOURS_DISPUTED
                self.log(verb, decided, author, proposal, mission,
                         detail=f"{day} · {row.dispute_note}")  # fmt: skip
            rows.append(row)
        return rows

    def thread(self, mission, spec):
        """The step lines the site writes in the mission's thread."""
        if spec["status"] == Mission.Status.ABANDONED:
            end = _("La mission est abandonnée.")
        elif spec.get("closed_by"):
            end = _("La mission est terminée. Merci ! Chacun peut laisser son avis.")
        else:
            end = _("La mission a été close automatiquement, un mois après la fin souhaitée.")
        start = _("Tout le monde a accepté : la mission commence.")
        rows = []
        for text, moment in ((start, mission.started_at), (end, mission.closed_at)):
            row = Message(mission=mission, text=text, is_step=True)
            self.date_back(row, created_at=moment)
            rows.append(row)
        return rows

    def feedback(self, mission, spec):
        rows = []
        for item in spec.get("feedback", []):
            person = self.person(mission.proposal, item["side"])
            moment = self.at(item["at"])
            row = Feedback(mission=mission, side=item["side"], rating=item["rating"],
                           comment=item["comment"], by_id=person)  # fmt: skip
            self.date_back(row, created_at=moment)
            self.log(Verb.FEEDBACK, moment, person, mission.proposal, mission, party=item["side"])
            rows.append(row)
        return rows

    # Mécénat declarations

    def ensure_declarations(self):
        """The companies' hourly costs per volunteer and year and their turnover, for last
        year and this one; returns how many rows were added."""
        companies = {
            self.organisations.get(tuple(spec["company"])): spec
            for spec in self.data["declarations"]
        }
        companies.pop(None, None)
        costs_there = set(
            VolunteerCost.objects.filter(company__in=companies).values_list(
                "company_id", "volunteer_id", "year"
            )
        )
        years_there = set(
            CompanyYear.objects.filter(company__in=companies).values_list("company_id", "year")
        )
        costs, years = [], []
        for company, spec in companies.items():
            referent = self.users.get(spec["referent"])
            declared = self.at(spec["declared"])
            for cost in spec["costs"]:
                volunteer = self.users.get(cost["volunteer"])
                for offset, amount in zip((-1, 0), cost["hourly_cost"], strict=True):
                    year = self.today.year + offset
                    if volunteer is None or (company, volunteer, year) in costs_there:
                        continue
                    row = VolunteerCost(
                        company_id=company,
                        volunteer_id=volunteer,
                        year=year,
                        hourly_cost=Decimal(str(amount)),
                        declared_by_id=referent,
                    )
                    self.date_back(row, declared_at=declared)
                    costs.append(row)
            for item in spec["years"]:
                year = self.today.year + item["year"]
                if (company, year) in years_there:
                    continue
                row = CompanyYear(
                    company_id=company,
                    year=year,
                    turnover=item["turnover"],
                    other_gifts=item["other_gifts"],
                    declared_by_id=referent,
                )
                self.date_back(row, declared_at=declared)
                years.append(row)
        VolunteerCost.objects.bulk_create(costs, batch_size=BATCH)
        CompanyYear.objects.bulk_create(years, batch_size=BATCH)
        return len(costs) + len(years)

    def write_dates(self):
        """Date every new row back: one UPDATE … FROM (VALUES …) per model and few hundred rows.

        bulk_create stamps auto_now(_add) fields with now, whatever the row says, and
        bulk_update's CASE expressions took seconds of Python for the year's ten thousand rows.
        """
        ops = connection.ops
        for model, rows in self.dated.items():
            table, names = model._meta.db_table, list(rows[0][1])
            columns = [model._meta.get_field(name).column for name in names]
            sets = ", ".join(
                f"{ops.quote_name(column)} = dated.column{index}"
                for index, column in enumerate(columns, start=2)
            )
            for start in range(0, len(rows), DATED_BATCH):
                batch = rows[start : start + DATED_BATCH]
                row_sql = "(" + ", ".join(["%s"] * (len(names) + 1)) + ")"
                params = [
                    value
                    for row, moments in batch
                    for value in (row.pk, *(ops.adapt_datetimefield_value(moments[name])
                                            for name in names))
                ]  # fmt: skip
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {ops.quote_name(table)} SET {sets} "
                        f"FROM (VALUES {', '.join([row_sql] * len(batch))}) AS dated "
                        f"WHERE {ops.quote_name(table)}.id = dated.column1",
                        params,
                    )
