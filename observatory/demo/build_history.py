"""Draw the demo's past year into observatory/demo/history.json (run it again after a change).

    .venv/bin/python -m observatory.demo.build_history

The history: 320 needs of the demo structures published over the last twelve months, what
became of each (proposals rejected, declined, expired or withdrawn; missions completed with the
hours the structures confirmed, a few abandoned; needs expired or cancelled), the past skill
offers of the demo volunteers that served them, the mécénat declarations of the companies
involved (hourly costs, turnover) and the legal form and street address of every structure in
it. Service is uneven on purpose, as the 2019 study found it: the Nord and the Pas-de-Calais are
better served than the Oise and the Aisne.

Deterministic: one fixed seed, on top of the structures and people of `accounts.demo_data` and
clear of the needs and offers of `matching.demo_data` (titles never collide with theirs). The
file counts every moment in days before the day it is seeded, so the history always ends today.
The seed command (`seed_demo_history`) only reads the file.
"""

import json
import math
import os
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from observatory.demo import HOURS_DECIDED_AFTER

ROOT_SETTINGS = "probono.settings.dev"

# The year the history ends in; any fixed number keeps the file identical from one build to
# the next.
SEED = 2026
NEED_COUNT = 320
# Publications from about twelve months and a half ago to 45 days ago, more each month as the
# platform grows (the live demo publishes the last two months).
OLDEST_DAYS_AGO = 375
NEWEST_DAYS_AGO = 45
MONTH_WEIGHTS = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]
# Needs posted per département (where the structures are), and the share of them served: the
# Nord and the Pas-de-Calais have volunteers, the Oise and the Aisne far fewer.
DEPARTEMENT_SHARES = {"59": 37, "62": 23, "60": 15, "80": 14, "02": 11}
SERVED = {"59": 0.74, "62": 0.66, "80": 0.52, "60": 0.36, "02": 0.30}
# What becomes of a need nobody served: expired with no proposal, expired after proposals that
# failed, a mission abandoned on the way, or cancelled by the structure.
UNSERVED_PATHS = {
    "02": {"alone": 45, "failed": 30, "abandoned": 10, "cancelled": 15},
    "60": {"alone": 40, "failed": 32, "abandoned": 10, "cancelled": 18},
    "80": {"alone": 28, "failed": 40, "abandoned": 12, "cancelled": 20},
    "62": {"alone": 20, "failed": 45, "abandoned": 15, "cancelled": 20},
    "59": {"alone": 15, "failed": 45, "abandoned": 15, "cancelled": 25},
}
MAX_HISTORY_NEEDS_PER_STRUCTURE = 5
# The live matcher counts a volunteer's asks over 30 days: no approval of the history is that
# recent, so it changes nothing the matcher does today.
LATEST_APPROVAL = -31.5
# No failing proposal is made later than this: each has ended before its need expires.
FAILURE_DEADLINE = -40
REVIEW_EXPIRY_DAYS = 30
ANSWER_EXPIRY_DAYS = 14
MAX_ASKS_PER_MONTH = 4
HOURS_PER_SLOT, MAX_SLOTS = 8, 5
REUSE = 0.72

FAILURES = {"rejected": 50, "declined": 33, "expired_review": 7, "expired_answer": 10}
REJECT_REASONS = {
    "skills": 24, "availability": 18, "distance": 4, "need_unclear": 16, "conflict": 8,
    "structure": 4, "other": 6,
}  # fmt: skip
DISTANT_REJECTION = 20  # added to "distance" when the volunteer is not in the département
DECLINERS = {"association": 35, "volunteer": 45, "employer": 20}
DECLINE_REASONS = {
    "association": {"not_matching": 45, "need_met": 35, "other": 20},
    "volunteer": {"not_available": 55, "too_far": 25, "other": 20},
    "employer": {"employer_refuses": 80, "other": 20},
}

REJECT_COMMENTS = {
    "skills": [
        "Le profil est surtout financier, le besoin demande un regard RH.",
        "Niveau junior pour un besoin qui demande de l'expérience.",
    ],
    "availability": [
        "Disponible seulement le soir, la structure travaille en journée.",
        "Indisponible pendant toute la période souhaitée.",
    ],
    "distance": [
        "Rencontres sur place indispensables, le bénévole est à plus d'une heure de route.",
    ],
    "need_unclear": [
        "Besoin à reformuler avec la structure avant de solliciter un bénévole.",
        "Le besoin mélange deux sujets : à scinder.",
    ],
    "conflict": ["L'employeur est un fournisseur de la structure."],
    "structure": ["Dossier de la structure à mettre à jour avant tout binôme."],
    "other": ["Déjà accompagnée par un autre dispositif sur ce sujet."],
}
DECLINE_COMMENTS = {
    "not_available": "Période très chargée, je ne pourrai pas m'y consacrer.",
    "too_far": "Trop loin pour des rencontres régulières.",
    "not_matching": "Nous cherchons plutôt quelqu'un qui connaît le secteur associatif.",
    "need_met": "Un administrateur a finalement pris le sujet en main.",
    "employer_refuses": "Pas de temps de mécénat disponible ce trimestre.",
}
ABANDON_NOTES = {
    "volunteer": [
        "Changement de poste : je ne peux plus dégager ce temps.",
        "Mon employeur a dû suspendre le mécénat de compétences.",
        "Raisons personnelles, je dois m'arrêter. Désolé.",
    ],
    "association": [
        "Le bureau a changé et le projet est reporté.",
        "Nous avons finalement trouvé une solution en interne.",
    ],
}
DISPUTE_NOTES = [
    "La séance a duré une heure, pas deux.",
    "Ces heures ont déjà été déclarées la semaine précédente.",
    "Nous n'avions pas de rendez-vous ce jour-là.",
]
FEEDBACK = {
    "association": {
        5: [
            "Un accompagnement précis et bienveillant, exactement ce qu'il nous fallait.",
            "Nous avons enfin des outils que nous savons utiliser seuls. Merci !",
            "Disponible, patient et très concret.",
        ],
        4: [
            "Très utile, même si le calendrier a un peu glissé.",
            "De bons conseils ; il nous reste à les mettre en œuvre.",
        ],
        3: ["Des échanges intéressants, mais moins concrets que nous l'espérions."],
    },
    "volunteer": {
        5: [
            "Une équipe motivée et accueillante, un vrai plaisir.",
            "Un projet qui a du sens, je recommencerai.",
        ],
        4: [
            "Belle expérience, des échanges riches avec le bureau.",
            "Une structure engagée ; il a fallu un peu de temps pour caler les rendez-vous.",
        ],
        3: ["Le besoin a beaucoup évolué en cours de route."],
    },
}
RATINGS = {5: 55, 4: 35, 3: 10}

# What the volunteers wrote in their hours, by main skill (a need's main skill picks the list).
WORK = {
    "rh": [
        "Premier rendez-vous : organisation de l'équipe et obligations de l'employeur.",
        "Trame d'entretien annuel et professionnel, relue avec la directrice.",
        "Fiches de poste de l'équipe, première version.",
        "Atelier avec le bureau : qui fait quoi dans la fonction employeur.",
        "Point sur les contrats et la convention collective.",
        "Restitution au conseil d'administration.",
    ],
    "juridique": [
        "Lecture des statuts et du règlement intérieur.",
        "Liste des obligations qui s'appliquent à la structure.",
        "Mise en place d'une veille : sources, rythme, partage au bureau.",
        "Relecture des documents modifiés avec le président.",
        "Point d'étape et questions du bureau.",
    ],
    "finance": [
        "Premier point : budget, comptes de l'an dernier, financeurs.",
        "Coût complet des activités, premier calcul.",
        "Budget prévisionnel et plan de trésorerie mois par mois.",
        "Tableau de bord de suivi, construit avec le trésorier.",
        "Scénarios de ressources présentés au bureau.",
        "Restitution au conseil d'administration.",
    ],
    "europe": [
        "Diagnostic d'éligibilité : FSE+, FEDER, LEADER.",
        "Plan de financement et dépenses éligibles.",
        "Rédaction de la candidature avec la coordinatrice.",
        "Suivi des temps et des pièces justificatives : mise en place.",
        "Relecture finale du dossier avant dépôt.",
    ],
    "marches": [
        "Lecture du règlement de consultation et du cahier des charges.",
        "Dossier de candidature : attestations, références, moyens.",
        "Rédaction du mémoire technique avec l'équipe.",
        "Construction du prix et relecture de l'offre.",
        "Dépôt de l'offre sur la plateforme de l'acheteur.",
    ],
    "communication": [
        "Atelier : messages clés et publics de la structure.",
        "Plan de communication à petit budget.",
        "Charte et modèles de publications pour les réseaux sociaux.",
        "Relecture de la plaquette et des affiches.",
    ],
    "numerique": [
        "Inventaire des outils et des usages de l'équipe.",
        "Installation de l'espace de travail partagé.",
        "Formation de l'équipe aux nouveaux outils.",
        "Sauvegardes et mots de passe : les bons réflexes.",
    ],
    "projet": [
        "Atelier de lancement avec l'équipe et le bureau.",
        "Rétroplanning et répartition des rôles.",
        "Animation d'un séminaire avec les bénévoles.",
        "Indicateurs de suivi et bilan d'étape.",
        "Restitution et suite du projet.",
    ],
}
WORK_BY_SKILL = {
    "fonction-employeur-rh": "rh", "recrutement": "rh", "droit-du-travail": "rh",
    "formation-competences": "rh", "veille-reglementaire": "juridique",
    "droit-associations": "juridique", "rgpd": "juridique", "modele-economique": "finance",
    "comptabilite-finance": "finance", "controle-gestion": "finance", "subventions": "finance",
    "mecenat-collecte": "finance", "fonds-europeens": "europe", "commande-publique": "marches",
    "communication": "communication", "reseaux-sociaux": "communication",
    "graphisme": "communication", "outils-numeriques": "numerique", "site-web": "numerique",
    "cybersecurite": "numerique", "gouvernance-strategie": "projet",
    "evaluation-impact": "projet", "gestion-projet": "projet", "facilitation": "projet",
}  # fmt: skip
ENTRY_MINUTES = {60: 5, 90: 10, 120: 25, 150: 15, 180: 20, 210: 10, 240: 15}

STREETS = [
    "rue Nationale", "rue de Paris", "rue Jean-Jaurès", "avenue Roger-Salengro",
    "rue Victor-Hugo", "place du Général-de-Gaulle", "rue Pasteur", "boulevard de la Liberté",
    "rue Gambetta", "rue de la République", "rue Léon-Blum", "rue du Molinel",
    "rue Faidherbe", "rue des Écoles", "chemin des Prés", "rue de la Gare",
    "rue Anatole-France", "avenue Foch", "rue du Château", "rue Émile-Zola",
]  # fmt: skip

# The printed demo volunteer's colleague at Beffroi Services Numériques gives mécénat time with
# the demo referent's agreement, so her company's statement has a story; the printed president's
# association had mécénat missions, so its receipt page has figures.
REFERENT_COMPANY = "Beffroi Services Numériques"
PRESIDENT_ASSOCIATION = "Solidarité Emploi Amiénois"
PRESIDENT_NEEDS = (40, 170, 280)  # places in the publication order
# Hourly cost of the colleague: above the cap (3 × PASS ÷ 1,607 h ≈ 89.72 €/h in 2026), so the
# statement shows the cap at work; every other cost lies below it.
ABOVE_CAP_COST = (94.5, 96.8)


@dataclass
class PastOffer:
    ref: str
    email: str
    employer: object  # matching.demo_data._Org
    referent: str | None
    title: str
    description: str
    engagement: str
    remote_ok: bool
    hours_per_month: int
    skills: list  # [(code, level)]
    areas: tuple
    created: float
    preferred: bool = False
    busy: list = field(default_factory=list)  # (from, to) while approved or on a mission
    asks: list = field(default_factory=list)  # approval moments
    last_use: float = -math.inf

    def slots(self):
        return min(MAX_SLOTS, max(1, self.hours_per_month // HOURS_PER_SLOT))

    def level_of(self, code):
        return dict(self.skills).get(code)


class Builder:
    """Draws the past year from one seeded generator; moments are days from now (negative)."""

    def __init__(self, rng):
        from accounts import demo_data as accounts_demo
        from matching import demo_data as matching_demo

        self.rng = rng
        self.accounts_plan = accounts_demo.build_plan()
        today, now = date(2026, 1, 1), datetime(2026, 1, 1, tzinfo=UTC)
        live = matching_demo.build_plan(today, now, self.accounts_plan)
        # The live demo's structures and people, as its draw sees them (verified, with members).
        orgs = matching_demo._MatchingPlanBuilder(random.Random(0), self.accounts_plan, today, now)
        logins = {login.email for login in self.accounts_plan.logins}
        treasurer = matching_demo.TREASURER_EMAIL
        self.ess = [org for org in orgs.ess if treasurer not in org.members]
        self.employers = orgs.employers
        self.logins = logins
        self.admins = {}
        for membership in self.accounts_plan.memberships:
            if membership.role == "admin" and membership.status == "active":
                self.admins.setdefault(membership.organisation_key, []).append(membership.email)
        self.need_titles = {(n.organisation_key, n.title) for n in live.needs}
        self.offer_titles = {(o.email, o.title) for o in live.offers}
        self.needs_of = {}
        self.offers = []
        self.volunteers = set()
        self.needs = []

    # Small draws

    def pick(self, weights):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def between(self, low, high):
        return self.rng.uniform(low, high)

    # Offers

    def place(self, offer, need):
        """(place, via) as the matcher would explain the pair, or None if it cannot pair."""
        from matching.engine.departements import NEIGHBOURS

        code = need["departement"]
        if code in offer.areas:
            return "same", None
        near = [area for area in offer.areas if area in NEIGHBOURS[code]]
        if near:
            return "neighbour", near[0]
        if need["remote_ok"] and offer.remote_ok:
            return "remote", None
        return None

    def can_take(self, offer, need, moment, taken, mecenat_only):
        if offer.ref in taken or offer.level_of(need["main_skill"]) is None:
            return False
        if offer.created > moment - 1 or self.place(offer, need) is None:
            return False
        if mecenat_only and offer.engagement != "mecenat":
            return False
        busy = sum(1 for start, end in offer.busy if start <= moment <= end)
        asks = sum(1 for at in offer.asks if moment - 30 < at <= moment + 10)
        return busy < offer.slots() and asks < MAX_ASKS_PER_MONTH - 1

    def offer_for(self, need, moment, taken, mecenat_only=False):
        """An offer that can take the need at that moment: one of the past offers already
        drawn, mostly, or a new one of a volunteer near the structure."""
        candidates = [o for o in self.offers if self.can_take(o, need, moment, taken, mecenat_only)]
        if candidates and (self.rng.random() < REUSE or mecenat_only):
            weights = []
            for offer in candidates:
                place = self.place(offer, need)[0]
                weight = {"same": 3, "neighbour": 1.5, "remote": 1}[place]
                weights.append(weight * (8 if offer.preferred else 1))
            return self.rng.choices(candidates, weights=weights)[0]
        return self.new_offer(need, moment, mecenat_only)

    def new_offer(self, need, moment, mecenat_only=False, employer=None, email=None,
                  profile_key=None):  # fmt: skip
        from matching import demo_data as matching_demo
        from matching.engine.departements import NEIGHBOURS

        code = need["departement"] if need else None
        if employer is None:
            homes = {code: 3}
            for other in DEPARTEMENT_SHARES:
                if other in NEIGHBOURS[code]:
                    homes[other] = 1
            while True:
                home = self.pick(homes)
                pool = [
                    (mail, org)
                    for org in self.employers
                    if org.departement == home
                    for mail in org.members
                    if mail not in self.logins
                    and mail not in self.volunteers
                    and (not mecenat_only or self.admins.get(org.key))
                ]
                if pool:
                    break
            # Employers with a referent can give mécénat time: they volunteer more.
            weights = [2 if self.admins.get(org.key) else 1 for _, org in pool]
            email, employer = self.rng.choices(pool, weights=weights)[0]
        self.volunteers.add(email)
        sector = (
            "public"
            if employer.kind == "public_body"
            else matching_demo.SECTOR_BY_DESCRIPTION.get(employer.description, "general")
        )
        if profile_key is None:
            fitting = [p for p in matching_demo.PROFILES if need["main_skill"] in p[3]]
            weights = [matching_demo.PROFILE_WEIGHTS[sector].get(p[0], 1) for p in fitting]
            profile = self.rng.choices(fitting, weights=weights)[0]
        else:
            profile = matching_demo.PROFILE_BY_KEY[profile_key]
        key, phrase, titles, skills, pitch = profile
        title = next(
            (
                t
                for t in self.rng.sample(titles, len(titles))
                if (email, t) not in self.offer_titles
            ),
            None,
        )
        if title is None:
            title = f"{titles[0]} ({employer.town})"
        self.offer_titles.add((email, title))
        count = self.rng.choices([1, 2, 3], weights=[25, 45, 30])[0]
        chosen = list(skills[:count])
        if need and need["main_skill"] not in chosen:
            chosen[-1] = need["main_skill"]
        levels = [self.pick(matching_demo.MAIN_LEVEL_WEIGHTS)] + [
            self.pick(matching_demo.OTHER_LEVEL_WEIGHTS) for _ in chosen[1:]
        ]
        areas = {employer.departement}
        if code and code not in areas and (self.rng.random() < 0.7 or code not in NEIGHBOURS[
                employer.departement]):  # fmt: skip
            areas.add(code)
        admins = self.admins.get(employer.key, [])
        public = employer.kind == "public_body"
        mecenat = bool(admins) and (mecenat_only or self.rng.random() < (0.5 if public else 0.78))
        referent = None
        if mecenat:
            referent = next((a for a in admins if a != email), admins[0])
        hours = self.rng.choices(
            matching_demo.HOURS_PER_MONTH, weights=matching_demo.HOURS_PER_MONTH_WEIGHTS
        )[0]
        years = self.rng.choice(["Cinq", "Huit", "Dix", "Douze", "Quinze", "Vingt"])
        remote_ok = self.rng.random() < 0.5
        description = (
            f"{years} ans d'expérience {phrase}, chez {employer.name} à {employer.town}. {pitch}"
            + (
                f"\n\nEn mécénat de compétences, sur mon temps de travail : environ {hours} heures "
                "par mois."
                if mecenat
                else f"\n\nEn bénévolat, sur mon temps personnel : environ {hours} heures par mois."
            )
        )
        offer = PastOffer(
            ref=f"o{len(self.offers) + 1}",
            email=email,
            employer=employer,
            referent=referent,
            title=title,
            description=description,
            engagement="mecenat" if mecenat else "benevolat",
            remote_ok=remote_ok,
            hours_per_month=hours,
            skills=list(zip(chosen, levels, strict=True)),
            areas=tuple(sorted(areas)),
            created=max(-OLDEST_DAYS_AGO - 45, moment - self.between(5, 60)),
        )
        self.offers.append(offer)
        return offer

    # Needs

    def structure(self, code, name=None):
        candidates = [
            org
            for org in self.ess
            if (org.name == name if name else org.departement == code)
            and self.needs_of.get(org.key, 0) < MAX_HISTORY_NEEDS_PER_STRUCTURE
        ]
        return self.rng.choice(candidates)

    def new_need(self, published, code, outcome, structure=None, mecenat_only=False):
        from matching import demo_data as matching_demo

        while True:
            org = structure or self.structure(code)
            skill = self.pick(matching_demo.NEED_SKILL_WEIGHTS)
            templates = [
                t
                for t in matching_demo.NEED_TEMPLATES[skill]
                if matching_demo.fits(t[2], org)
                and (org.key, matching_demo.fill(t[0], org)) not in self.need_titles
            ]
            if templates:
                break
        title, ask, _ = self.rng.choice(templates)
        title = matching_demo.fill(title, org)
        self.need_titles.add((org.key, title))
        self.needs_of[org.key] = self.needs_of.get(org.key, 0) + 1
        short = self.rng.random() < 0.25
        hours = 2 if short else self.rng.choice(matching_demo.MISSION_HOURS)
        remote_ok = self.rng.random() < 0.4
        related = matching_demo.RELATED_SKILLS[skill]
        secondary = self.rng.sample(related, min(len(related), self.rng.choice([0, 1, 1, 2])))
        if short:
            time = "Une session de deux heures nous suffirait pour y voir plus clair."
        else:
            time = f"Nous imaginons une mission d'environ {hours} heures, sur quelques semaines."
        where = (
            "Les échanges peuvent se faire en visioconférence."
            if remote_ok
            else "Nous préférons travailler sur place."
        )
        need = {
            "structure": list(org.key),
            "author": self.rng.choice(org.members),
            "title": title,
            "description": "\n\n".join(
                [
                    f"{org.description} Nous sommes à {org.town}.",
                    matching_demo.fill(ask, org),
                    f"{time} {where}",
                ]
            ),  # fmt: skip
            "main_skill": skill,
            "secondary_skills": secondary,
            "departement": org.departement,
            "remote_ok": remote_ok,
            "format": "short_session" if short else "mission",
            "estimated_hours": hours,
            "created": published - self.between(0.05, 6),
            "published": published,
            "proposals": [],
            "mission": None,
        }
        if mecenat_only:
            self.live_completed(need, mecenat_only=True)
        else:
            getattr(self, f"live_{outcome}")(need)
        self.needs.append(need)
        return need

    def period(self, need, ends_after):
        """Wished dates (days from today) ending after `ends_after` and before yesterday."""
        start = math.ceil(need["published"]) + self.rng.randint(3, 30)
        end = max(start + self.rng.randint(30, 150), math.ceil(ends_after) + 1)
        end = min(end, -2)
        start = min(start, end - 14)
        return start, end

    def expire(self, need, after):
        """The need expires the day after its wished end, reminded a week before."""
        start, end = self.period(need, after)
        need["wished_start"], need["wished_end"] = start, end
        need["status"] = "expired"
        need["changed"] = end + 1 + self.between(0.1, 0.3)
        reminded = end - 7 + self.between(0.1, 0.3)
        need["reminded"] = reminded if reminded > need["published"] + 0.1 else None

    # Proposals

    def proposal(self, need, moment, taken, source="matcher", mecenat_only=False):
        offer = self.offer_for(need, moment, taken, mecenat_only)
        taken.add(offer.ref)
        place, via = self.place(offer, need)
        record = {
            "offer": offer,
            "source": source,
            "level": offer.level_of(need["main_skill"]),
            "place": place,
            "via": via,
            "created": moment,
            "review": None,
            "answers": [],
        }
        need["proposals"].append(record)
        return record

    def parties(self, record):
        parties = ["association", "volunteer"]
        if record["offer"].engagement == "mecenat":
            parties.append("employer")
        return parties

    def reject(self, record, at):
        weights = dict(REJECT_REASONS)
        if record["place"] != "same":
            weights["distance"] += DISTANT_REJECTION
        if record["offer"].engagement != "mecenat":
            weights.pop("conflict")
        reason = self.pick(weights)
        comment = self.rng.choice(REJECT_COMMENTS[reason]) if self.rng.random() < 0.6 else ""
        record["review"] = {"decision": "rejected", "reason": reason, "comment": comment, "at": at}
        record["status"], record["changed"] = "rejected", at

    def approve(self, record, at):
        offer = record["offer"]
        record["review"] = {"decision": "approved", "at": at}
        offer.asks.append(at)

    def fail(self, need, record):
        """A proposal that leads nowhere; returns when it ended."""
        mode = self.pick(FAILURES)
        created = record["created"]
        approved = created + self.between(0.3, 5)
        if mode in ("declined", "expired_answer") and approved > LATEST_APPROVAL:
            mode = "rejected"
        if mode == "expired_review" and created + REVIEW_EXPIRY_DAYS + 0.3 > -0.5:
            mode = "rejected"
        if mode == "rejected":
            self.reject(record, created + self.between(0.3, 6))
            return record["changed"]
        if mode == "expired_review":
            record["status"] = "expired"
            record["changed"] = created + REVIEW_EXPIRY_DAYS + self.between(0.05, 0.3)
            return record["changed"]
        self.approve(record, approved)
        parties = self.parties(record)
        self.rng.shuffle(parties)
        moment = approved
        if mode == "declined":
            weights = {p: DECLINERS[p] for p in parties}
            decliner = self.pick(weights)
            for party in parties[: parties.index(decliner)]:
                moment += self.between(0.1, 3)
                record["answers"].append({"party": party, "decision": "accepted", "at": moment})
            moment += self.between(0.1, 4)
            reason = self.pick(DECLINE_REASONS[decliner])
            comment = DECLINE_COMMENTS.get(reason, "") if self.rng.random() < 0.5 else ""
            record["answers"].append(
                {"party": decliner, "decision": "declined", "reason": reason, "comment": comment,
                 "at": moment}
            )  # fmt: skip
            record["status"], record["changed"] = "declined", moment
        else:
            for party in parties[: self.rng.randint(0, len(parties) - 1)]:
                moment += self.between(0.1, 3)
                record["answers"].append({"party": party, "decision": "accepted", "at": moment})
            record["status"] = "expired"
            record["changed"] = approved + ANSWER_EXPIRY_DAYS + self.between(0.05, 0.3)
        record["offer"].busy.append((approved, record["changed"]))
        return record["changed"]

    def failures(self, need, start, taken, count, mecenat_only=False):
        """Up to `count` proposals one after the other, each failing (none made after
        FAILURE_DEADLINE); returns when the last one ended."""
        moment = start
        for _ in range(count):
            if moment > FAILURE_DEADLINE:
                break
            record = self.proposal(need, moment, taken, mecenat_only=mecenat_only)
            moment = self.fail(need, record) + self.between(0.01, 0.2)
        return moment

    def withdraw(self, record, at, why):
        record["status"], record["changed"], record["why"] = "withdrawn", at, why

    def winner(self, need, moment, taken, mecenat_only):
        """An approved proposal every side accepts; returns (record, mission start)."""
        source = "matcher"
        if not need["proposals"] and self.rng.random() < 0.15:
            source, moment = "volunteer", moment + self.between(0.5, 8)
        record = self.proposal(need, moment, taken, source, mecenat_only)
        approved = moment + self.between(0.4, 7)
        self.approve(record, approved)
        started = approved
        for party in self.parties(record):
            at = approved + self.between(0.1, 4)
            record["answers"].append({"party": party, "decision": "accepted", "at": at})
            started = max(started, at)
        record["answers"].sort(key=lambda answer: answer["at"])
        return record, started

    def served_timeline(self, need, mecenat_only=False, failures=None):
        """Proposals up to a mission start, the approval no later than LATEST_APPROVAL."""
        first = need["published"] + self.between(0.02, 0.4)
        count = failures if failures is not None else self.pick({0: 55, 1: 33, 2: 12})
        while True:
            need["proposals"], taken, companion = [], set(), None
            if self.rng.random() < 0.45:
                companion = self.proposal(need, first, taken, mecenat_only=mecenat_only)
            moment = self.failures(need, first, taken, count, mecenat_only)
            record, started = self.winner(need, moment, taken, mecenat_only)
            if record["review"]["at"] <= LATEST_APPROVAL:
                break
            self.forget(need)
            count = max(0, count - 1)
        if companion is not None:
            review = first + self.between(0.5, 10)
            if review < started and self.rng.random() < 0.5:
                self.reject(companion, review)
            else:
                self.withdraw(companion, started, "taken")
        return record, started

    def forget(self, need):
        """Undo the asks and busy spells of a timeline drawn again."""
        for record in need["proposals"]:
            offer = record["offer"]
            if record["review"] and record["review"]["decision"] == "approved":
                offer.asks.remove(record["review"]["at"])
            offer.busy = [spell for spell in offer.busy if spell[0] != (
                record["review"] or {}).get("at")]  # fmt: skip

    def hours(self, need, started, until, count=None):
        """Entries from a few days after the start, every one or two weeks. The seed logs each
        one on the evening of its day and has the structure decide HOURS_DECIDED_AFTER later."""
        group = WORK[WORK_BY_SKILL[need["main_skill"]]]
        if need["format"] == "short_session":
            target = self.rng.choice([90, 120, 120, 150])
        else:
            target = need["estimated_hours"] * 60 * self.between(0.75, 1.1)
        day = math.ceil(started) + self.rng.randint(2, 9)
        entries, total = [], 0
        while total < target and day <= until and (count is None or len(entries) < count):
            minutes = self.pick(ENTRY_MINUTES) if need["format"] == "mission" else target
            minutes = max(30, min(minutes, 15 * math.ceil((target - total) / 15)))
            # The list in order (first meeting, work, restitution), then its middle again.
            text = (
                group[len(entries)] if len(entries) < len(group) else self.rng.choice(group[1:-1])
            )
            entries.append(
                {"day": day, "minutes": int(minutes), "status": "confirmed", "text": text}
            )
            total += minutes
            day += self.rng.randint(6, 15)
        return entries

    # Paths

    def live_completed(self, need, mecenat_only=False):
        record, started = self.served_timeline(need, mecenat_only)
        entries = self.hours(need, started, until=-4)
        # The last entry was decided two days after its day, by its evening at the latest.
        last = entries[-1]["day"] + HOURS_DECIDED_AFTER.days + 1
        closed = min(last + self.between(0.5, 8), -0.2)
        start, end = self.period(need, started)
        end = min(max(end, math.ceil(closed) - 30), -2)
        closed_by = self.pick({"volunteer": 55, "association": 45})
        auto = end + 31 + self.between(0.1, 0.3)
        if self.rng.random() < 0.1 and last + 0.1 < auto < -0.2:
            closed, closed_by = auto, None
        need["wished_start"], need["wished_end"] = min(start, end - 14), end
        feedback = []
        if closed_by is not None or self.rng.random() < 0.5:
            for side in ("association", "volunteer"):
                if self.rng.random() < 0.75:
                    rating = self.pick(RATINGS)
                    feedback.append({
                        "side": side, "rating": rating,
                        "comment": self.rng.choice(FEEDBACK[side][rating]),
                        "at": min(closed + self.between(0.1, 12), -0.05),
                    })  # fmt: skip
        need["mission"] = {
            "proposal": need["proposals"].index(record),
            "started": started,
            "status": "completed",
            "closed": closed,
            "closed_by": closed_by,
            "hours": entries,
            "feedback": feedback,
        }
        record["status"], record["changed"] = "completed", closed
        record["offer"].busy.append((record["review"]["at"], closed))
        need["status"], need["changed"] = "completed", closed

    def live_alone(self, need):
        self.expire(need, need["published"] + self.between(5, 60))

    def live_failed(self, need):
        first = need["published"] + self.between(0.02, 0.4)
        ended = self.failures(need, first, set(), self.pick({1: 55, 2: 32, 3: 13}))
        self.expire(need, ended + self.between(1, 30))

    def live_abandoned(self, need):
        record, started = self.served_timeline(need, failures=0)
        entries = self.hours(need, started, until=-10, count=self.rng.randint(1, 3))
        last = entries[-1]
        ending = self.pick({"logged": 40, "disputed": 30, "confirmed": 30})
        if ending != "confirmed":
            last["status"] = ending
        if ending == "disputed":
            last["note"] = self.rng.choice(DISPUTE_NOTES)
        moment = last["day"] + HOURS_DECIDED_AFTER.days + 1
        abandoned = min(moment + self.between(3, 25), -1)  # entries end 10 days ago at most
        by = self.pick({"volunteer": 60, "association": 40})
        need["mission"] = {
            "proposal": need["proposals"].index(record),
            "started": started,
            "status": "abandoned",
            "closed": abandoned,
            "closed_by": by,
            "note": self.rng.choice(ABANDON_NOTES[by]),
            "hours": entries,
            "feedback": [],
        }
        record["status"], record["changed"] = "withdrawn", abandoned
        record["offer"].busy.append((record["review"]["at"], abandoned))
        # Reopened while its period lasts, then expired; expired at once when it is over.
        self.expire(need, abandoned + self.between(-25, 30))
        if need["wished_end"] < math.ceil(abandoned) + 1:
            need["changed"], need["reminded"] = abandoned, None

    def live_cancelled(self, need):
        cancelled = min(need["published"] + self.between(2, 40), -1)
        if self.rng.random() < 0.5:
            record = self.proposal(need, need["published"] + self.between(0.02, 0.4), set())
            if record["created"] < cancelled:
                self.withdraw(record, cancelled, "cancelled")
            else:
                need["proposals"] = []
        start, end = self.period(need, need["published"] + self.between(10, 90))
        need["wished_start"], need["wished_end"] = start, end
        need["status"], need["changed"], need["reminded"] = "cancelled", cancelled, None

    # The whole year

    def build(self):
        """Needs in publication order, each with its département's next outcome."""
        from accounts.demo_data import apportion

        self.special_offer()
        codes = [c for c, n in apportion(NEED_COUNT, DEPARTEMENT_SHARES).items() for _ in range(n)]
        self.rng.shuffle(codes)
        outcomes = {code: self.outcomes(code, codes.count(code)) for code in DEPARTEMENT_SHARES}
        president = next(org for org in self.ess if org.name == PRESIDENT_ASSOCIATION)
        for index in PRESIDENT_NEEDS:
            other = codes.index("80", index)
            codes[index], codes[other] = codes[other], codes[index]
            outcomes["80"].remove("completed")
        for index, published in enumerate(self.publications()):
            if index in PRESIDENT_NEEDS:
                self.new_need(published, "80", "completed", president, mecenat_only=True)
            else:
                code = codes[index]
                self.new_need(published, code, outcomes[code].pop())
        return self.document()

    def outcomes(self, code, count):
        """What becomes of a département's needs: exactly its share served, the rest by the
        département's unserved paths, in a shuffled order."""
        from accounts.demo_data import apportion

        served = round(SERVED[code] * count)
        paths = ["completed"] * served
        for path, n in apportion(count - served, UNSERVED_PATHS[code]).items():
            paths += [path] * n
        self.rng.shuffle(paths)
        return paths

    def special_offer(self):
        org = next(org for org in self.employers if org.name == REFERENT_COMPANY)
        colleague = next(mail for mail in org.members if mail not in self.logins)
        offer = self.new_offer(
            None, -OLDEST_DAYS_AGO, employer=org, email=colleague, profile_key="appels_offres"
        )
        offer.engagement, offer.referent = "mecenat", self.admins[org.key][0]
        offer.areas, offer.remote_ok, offer.hours_per_month = ("59", "62"), True, 16
        offer.skills = [("commande-publique", "expert"), ("veille-reglementaire", "confirmed"),
                        ("gestion-projet", "confirmed")]  # fmt: skip
        offer.description = offer.description.replace("environ 8 heures", "environ 16 heures")
        offer.preferred = True
        offer.created = -OLDEST_DAYS_AGO - 20

    def publications(self):
        months = len(MONTH_WEIGHTS)
        span = (OLDEST_DAYS_AGO - NEWEST_DAYS_AGO) / months
        moments = []
        for _ in range(NEED_COUNT):
            month = self.rng.choices(range(months), weights=MONTH_WEIGHTS)[0]
            oldest = -OLDEST_DAYS_AGO + month * span
            moments.append(oldest + self.between(0, span))
        return sorted(moments)

    # The file

    def document(self):
        from accounts.models import Organisation

        # Offers drawn for a timeline drawn again may be left without a proposal: not kept.
        for offer in self.offers:
            offer.last_use = -math.inf
        for need in self.needs:
            for record in need["proposals"]:
                offer = record["offer"]
                offer.last_use = max(offer.last_use, record["changed"])
        used_offers = [o for o in self.offers if o.last_use > -math.inf]
        refs = {offer.ref: f"o{index}" for index, offer in enumerate(used_offers, start=1)}
        for offer in used_offers:
            offer.ref = refs[offer.ref]
        structures = {}
        for need in self.needs:
            structures[tuple(need["structure"])] = None
        for offer in used_offers:
            structures[offer.employer.key] = None
        specs = {org.natural_key: org for org in self.accounts_plan.organisations}
        return {
            "about": ABOUT,
            "reviewer": "cress@demo.probono.example.org",
            "organisations": [self.organisation(specs[key], Organisation) for key in structures],
            "offers": [self.offer_document(offer) for offer in used_offers],
            "needs": [self.need_document(need) for need in self.needs],
            "declarations": self.declarations(used_offers),
        }

    def organisation(self, spec, model):
        return {
            "key": list(spec.natural_key),
            "name": spec.name,
            "legal_form": legal_form(spec, model.Kind, self.rng),
            "street_address": f"{self.rng.randint(1, 140)} {self.rng.choice(STREETS)}",
        }

    def offer_document(self, offer):
        until = min(-1, math.ceil(offer.last_use) + self.rng.randint(5, 60))
        return {
            "ref": offer.ref,
            "volunteer": offer.email,
            "employer": list(offer.employer.key),
            "referent": offer.referent,
            "title": offer.title,
            "description": offer.description,
            "engagement": offer.engagement,
            "remote_ok": offer.remote_ok,
            "hours_per_month": offer.hours_per_month,
            "skills": [list(pair) for pair in offer.skills],
            "departements": list(offer.areas),
            "created": ago(offer.created),
            "available_from": -math.ceil(offer.created),
            "available_until": -until,
            "paused": ago(min(until + 0.5, -0.1)),
        }

    def need_document(self, need):
        document = {
            key: need[key]
            for key in ("structure", "author", "title", "description", "main_skill",
                        "secondary_skills", "departement", "remote_ok", "format",
                        "estimated_hours")
        }  # fmt: skip
        document |= {
            "wished_start": -need["wished_start"],
            "wished_end": -need["wished_end"],
            "created": ago(need["created"]),
            "published": ago(need["published"]),
            "status": need["status"],
            "changed": ago(need["changed"]),
            "proposals": [self.proposal_document(record) for record in need["proposals"]],
        }
        if need.get("reminded"):
            document["reminded"] = ago(need["reminded"])
        if need["mission"]:
            document["mission"] = self.mission_document(need["mission"])
        return document

    def proposal_document(self, record):
        document = {
            "offer": record["offer"].ref,
            "source": record["source"],
            "fit": [record["level"], record["place"], *([record["via"]] if record["via"] else [])],
            "created": ago(record["created"]),
            "status": record["status"],
            "changed": ago(record["changed"]),
        }
        if record.get("why"):
            document["why"] = record["why"]
        if record["review"]:
            document["review"] = {**record["review"], "at": ago(record["review"]["at"])}
            if not document["review"].get("comment", True):
                del document["review"]["comment"]
        if record["answers"]:
            document["answers"] = [
                {key: ago(value) if key == "at" else value for key, value in answer.items()
                 if value != ""}
                for answer in record["answers"]
            ]  # fmt: skip
        return document

    def mission_document(self, mission):
        document = {**mission, "started": ago(mission["started"]), "closed": ago(mission["closed"])}
        # Confirmed unless it says otherwise: most entries are.
        document["hours"] = [
            {key: -value if key == "day" else value for key, value in entry.items()
             if (key, value) != ("status", "confirmed")}
            for entry in mission["hours"]
        ]  # fmt: skip
        document["feedback"] = [{**f, "at": ago(f["at"])} for f in mission["feedback"]]
        if not document["feedback"]:
            del document["feedback"]
        return document

    def declarations(self, offers):
        """Each company with mécénat missions declares its volunteers' hourly costs for last
        year and this one, and (most of them) its turnover and other gifts."""
        companies = {}
        for offer in offers:
            if offer.engagement == "mecenat" and offer.employer.kind == "company":
                companies.setdefault(offer.employer, []).append(offer)
        declarations = []
        for employer, its_offers in companies.items():
            special = employer.name == REFERENT_COMPANY
            costs = []
            for email in dict.fromkeys(o.email for o in its_offers):
                if special:
                    last_year, this_year = ABOVE_CAP_COST
                elif self.rng.random() < 0.05:
                    continue  # not declared yet: the statement says so
                else:
                    this_year = round(self.between(36.5, 85), 1)
                    last_year = round(this_year / self.between(1.015, 1.035), 1)
                costs.append({"volunteer": email, "hourly_cost": [last_year, this_year]})
            years = []
            if special or self.rng.random() < 0.9:
                turnover = 27_400_000 if special else round(
                    math.exp(self.between(math.log(400_000), math.log(60_000_000))), -3
                )  # fmt: skip
                for offset in (-1, 0):
                    gifts = 0 if self.rng.random() < 0.5 else self.rng.randrange(1000, 30000, 500)
                    years.append({
                        "year": offset,
                        "turnover": int(turnover * (1 + 0.04 * offset)),
                        "other_gifts": gifts,
                    })  # fmt: skip
            declarations.append({
                "company": list(employer.key),
                "referent": its_offers[0].referent,
                "declared": round(self.between(2, 40), 2),
                "costs": costs,
                "years": years,
            })  # fmt: skip
        return declarations


ABOUT = (
    "L'année passée de la démonstration, tirée une fois par observatory/demo/build_history.py "
    "(graine fixe) et chargée par « manage.py seed_demo_history » : besoins des structures de "
    "démonstration publiés sur douze mois, leurs propositions (approuvées, rejetées, déclinées, "
    "expirées, retirées), les missions et leurs heures, les offres passées des bénévoles, les "
    "déclarations de mécénat des entreprises et l'adresse et la forme juridique des structures. "
    "Structures désignées par leur clé (RNA ou SIREN), personnes par e-mail, offres par « ref ». "
    "Instants (created, published, at, changed…) en jours avant le moment du chargement ; dates "
    "(day, wished_start, wished_end, available_from, available_until) en jours avant "
    "aujourd'hui ; années de déclaration relatives (-1 : l'an dernier, 0 : cette année). "
    "« fit » : niveau de la compétence, lieu (same, neighbour, remote) et département voisin."
)


def legal_form(spec, kind, rng):
    """The legal form a structure of that kind and name would write on the receipt."""
    name = spec.name
    if spec.kind == kind.ASSOCIATION:
        return "Association loi 1901"
    if spec.kind == kind.PUBLIC_BODY:
        if name.startswith("Ville"):
            return "Commune"
        if name.startswith("Région"):
            return "Région"
        if name.startswith("Communauté urbaine"):
            return "Communauté urbaine"
        return "Communauté d'agglomération"
    if spec.kind == kind.OTHER_ESS:
        for prefix, form in (
            ("SCIC", "SCIC SAS"), ("SCOP", "SCOP SARL"), ("Coopérative", "SCOP SA"),
            ("Mutuelle", "Mutuelle (livre II du code de la mutualité)"),
            ("Fondation", "Fondation reconnue d'utilité publique"),
            ("Entreprise d'insertion", "SAS"),
        ):  # fmt: skip
            if name.startswith(prefix):
                return form
        return "Association loi 1901"
    for form in ("SAS", "SARL", "SA"):
        if name.endswith(f" {form}"):
            return form
    if name.startswith("Cabinet"):
        return "SELARL"
    return rng.choice(["SAS", "SAS", "SARL", "SARL", "SA", "SASU"])


def ago(moment):
    """Days before now, as written in the file (a quarter of an hour's precision)."""
    return round(-moment, 2)


def dump(document):
    """JSON with one line per offer, need and declaration: readable, and diffs stay small."""
    lines = ["{"]
    keys = list(document)
    for position, key in enumerate(keys):
        value = document[key]
        comma = "," if position < len(keys) - 1 else ""
        if isinstance(value, list):
            lines.append(f"  {json.dumps(key)}: [")
            rows = [json.dumps(item, ensure_ascii=False) for item in value]
            lines += [f"    {row}," for row in rows[:-1]] + [f"    {rows[-1]}"] if rows else []
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", ROOT_SETTINGS)
    django.setup()
    from observatory.demo import HISTORY

    document = Builder(random.Random(SEED)).build()
    HISTORY.write_text(dump(document), encoding="utf-8")
    needs = document["needs"]
    print(f"{HISTORY}: {len(needs)} besoins, {len(document['offers'])} offres passées.")


if __name__ == "__main__":
    main()
