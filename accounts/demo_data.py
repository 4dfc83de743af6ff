"""The demo picture of Hauts-de-France: word lists, and a deterministic plan built from them.

Modelled on Pro Bono Lab's 2019 territorial study (167 ESS structures and 362 companies answered,
across the five départements). Towns and postcodes are real; structures and people are invented.
Nothing here touches the database: `build_plan()` returns plain specs that `seed_demo` stores.
"""

import random
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.text import slugify
from stdnum import luhn
from stdnum.fr import siret as siret_rules

from .departements import DEPARTEMENTS
from .models import Membership, Organisation

Kind = Organisation.Kind
Status = Organisation.Status
Role = Membership.Role

# The year of the study; any fixed number keeps the demo identical from one run to the next.
SEED = 2019
DEMO_PASSWORD = "probono-demo-2026"
DEMO_DOMAIN = "demo.probono.example.org"

ESS_COUNT = 167
COMPANY_COUNT = 362

# Per-cent share of structures per département: Nord and Pas-de-Calais weigh most, as in reality.
DEPARTEMENT_SHARES = {"59": 40, "62": 22, "60": 14, "80": 12, "02": 12}

# Real towns, their postcode, their "pays" or basin (with its article, to name structures after
# it), and a weight: how often a structure sits there.
TOWNS = {
    "02": [
        ("Laon", "02000", "du Laonnois", 6),
        ("Saint-Quentin", "02100", "du Saint-Quentinois", 8),
        ("Soissons", "02200", "du Soissonnais", 6),
        ("Chauny", "02300", "du Chaunois", 3),
        ("Château-Thierry", "02400", "du Sud de l'Aisne", 4),
        ("Hirson", "02500", "de la Thiérache", 2),
        ("Villers-Cotterêts", "02600", "du Sud de l'Aisne", 2),
        ("Tergnier", "02700", "du Chaunois", 2),
        ("La Fère", "02800", "du Chaunois", 1),
        ("Guise", "02120", "de la Thiérache", 1),
        ("Bohain-en-Vermandois", "02110", "du Vermandois", 1),
        ("Vervins", "02140", "de la Thiérache", 1),
        ("Fère-en-Tardenois", "02130", "du Sud de l'Aisne", 1),
    ],
    "59": [
        ("Lille", "59000", "de la Métropole lilloise", 14),
        ("Roubaix", "59100", "de la Métropole lilloise", 5),
        ("Tourcoing", "59200", "de la Métropole lilloise", 4),
        ("Dunkerque", "59140", "du Dunkerquois", 5),
        ("Valenciennes", "59300", "du Valenciennois", 5),
        ("Cambrai", "59400", "du Cambrésis", 3),
        ("Douai", "59500", "du Douaisis", 3),
        ("Maubeuge", "59600", "de la Sambre", 3),
        ("Villeneuve-d'Ascq", "59650", "de la Métropole lilloise", 4),
        ("Marcq-en-Barœul", "59700", "de la Métropole lilloise", 3),
        ("Armentières", "59280", "de la Métropole lilloise", 2),
        ("Hazebrouck", "59190", "de la Flandre intérieure", 2),
        ("Wattrelos", "59150", "de la Métropole lilloise", 1),
        ("Lambersart", "59130", "de la Métropole lilloise", 1),
        ("Denain", "59220", "du Hainaut", 2),
        ("Avesnes-sur-Helpe", "59440", "de l'Avesnois", 1),
        ("Saint-Amand-les-Eaux", "59230", "du Hainaut", 1),
        ("Fourmies", "59610", "de l'Avesnois", 1),
        ("Caudry", "59540", "du Cambrésis", 1),
        ("Bailleul", "59270", "de la Flandre intérieure", 1),
        ("Seclin", "59113", "de la Métropole lilloise", 1),
        ("Grande-Synthe", "59760", "du Dunkerquois", 1),
        ("Croix", "59170", "de la Métropole lilloise", 1),
        ("Wasquehal", "59290", "de la Métropole lilloise", 1),
        ("Loos", "59120", "de la Métropole lilloise", 1),
    ],
    "60": [
        ("Beauvais", "60000", "du Beauvaisis", 8),
        ("Compiègne", "60200", "du Compiégnois", 7),
        ("Creil", "60100", "du Creillois", 5),
        ("Nogent-sur-Oise", "60180", "du Creillois", 2),
        ("Senlis", "60300", "du Sud de l'Oise", 3),
        ("Noyon", "60400", "du Noyonnais", 2),
        ("Chantilly", "60500", "du Sud de l'Oise", 2),
        ("Clermont", "60600", "du Clermontois", 2),
        ("Pont-Sainte-Maxence", "60700", "du Sud de l'Oise", 1),
        ("Crépy-en-Valois", "60800", "du Valois", 2),
        ("Méru", "60110", "du Pays de Thelle", 1),
        ("Montataire", "60160", "du Creillois", 1),
        ("Liancourt", "60140", "du Clermontois", 1),
        ("Breteuil", "60120", "du Plateau picard", 1),
        ("Chambly", "60230", "du Pays de Thelle", 1),
    ],
    "62": [
        ("Arras", "62000", "de l'Artois", 7),
        ("Calais", "62100", "du Calaisis", 6),
        ("Boulogne-sur-Mer", "62200", "du Boulonnais", 5),
        ("Lens", "62300", "du Bassin minier", 5),
        ("Béthune", "62400", "du Béthunois", 4),
        ("Saint-Omer", "62500", "de l'Audomarois", 3),
        ("Berck", "62600", "de la Côte d'Opale", 2),
        ("Bruay-la-Buissière", "62700", "du Béthunois", 2),
        ("Liévin", "62800", "du Bassin minier", 2),
        ("Hénin-Beaumont", "62110", "du Bassin minier", 2),
        ("Carvin", "62220", "du Bassin minier", 1),
        ("Outreau", "62230", "du Boulonnais", 1),
        ("Montreuil-sur-Mer", "62170", "du Montreuillois", 1),
        ("Étaples", "62630", "de la Côte d'Opale", 1),
        ("Bapaume", "62450", "de l'Artois", 1),
        ("Avion", "62210", "du Bassin minier", 1),
        ("Auchel", "62260", "du Béthunois", 1),
        ("Saint-Pol-sur-Ternoise", "62130", "du Ternois", 1),
        ("Aire-sur-la-Lys", "62120", "de l'Audomarois", 1),
        ("Le Touquet-Paris-Plage", "62520", "de la Côte d'Opale", 1),
    ],
    "80": [
        ("Amiens", "80000", "de l'Amiénois", 12),
        ("Abbeville", "80100", "du Ponthieu", 5),
        ("Péronne", "80200", "de la Haute-Somme", 2),
        ("Albert", "80300", "de la Haute-Somme", 2),
        ("Montdidier", "80500", "du Santerre", 1),
        ("Doullens", "80600", "du Doullennais", 1),
        ("Roye", "80700", "du Santerre", 1),
        ("Corbie", "80800", "de l'Amiénois", 1),
        ("Friville-Escarbotin", "80130", "du Vimeu", 1),
        ("Saint-Valery-sur-Somme", "80230", "de la Baie de Somme", 1),
        ("Rue", "80120", "de la Baie de Somme", 1),
        ("Poix-de-Picardie", "80290", "du Sud-Ouest amiénois", 1),
        ("Longueau", "80330", "de l'Amiénois", 1),
        ("Camon", "80450", "de l'Amiénois", 1),
    ],
}

FIRST_NAMES = [
    "Marie", "Camille", "Julie", "Sophie", "Nathalie", "Isabelle", "Céline", "Aurélie", "Émilie",
    "Sandrine", "Chloé", "Léa", "Manon", "Inès", "Sarah", "Fatima", "Nadia", "Amandine",
    "Virginie", "Élodie", "Hélène", "Cécile", "Agnès", "Françoise", "Laetitia", "Mélanie",
    "Justine", "Pauline", "Anaïs", "Karima", "Thomas", "Nicolas", "Julien", "Maxime", "Pierre",
    "Antoine", "Mathieu", "Kévin", "Jérôme", "Christophe", "Sébastien", "Olivier", "Karim",
    "Mehdi", "Hugo", "Lucas", "Théo", "Bruno", "François", "Gaël", "Loïc", "Benoît", "Joël",
    "Jean-Marc", "Jean-Pierre", "Rémi", "Damien", "Frédéric", "Yannick", "Grégory", "Samir",
]  # fmt: skip

# Family names common in the region, Flemish and Polish roots included.
LAST_NAMES = [
    "Lefebvre", "Dupont", "Lemaire", "Leroy", "Lefèvre", "Delattre", "Vasseur", "Caron",
    "Dubois", "Lecomte", "Deprez", "Delcroix", "Desmet", "Vandamme", "Dewitte", "Leclercq",
    "Declercq", "Poulain", "Carpentier", "Lambert", "Martin", "Bernard", "Petit", "Duhamel",
    "Wallet", "Flament", "Delannoy", "Dumont", "Legrand", "Hennebert", "Boulanger", "Mercier",
    "Lemoine", "Dufour", "Dhainaut", "Delforge", "Vanhove", "Van de Velde", "Kowalski", "Nowak",
    "Lewandowski", "Wojcik", "Benali", "Haddad", "Mansouri", "Cherif", "Bouchez", "Lagache",
    "Descamps", "Dequidt", "Debruyne", "Verhaeghe", "Becquet", "Tison", "Lenglet", "Fournier",
    "Moreau", "Gérard", "Roussel", "Hautecœur", "Delahaye", "Prévost", "Cordier", "Fontaine",
    "Lejeune", "Masson", "Bertin", "Delmotte", "Demarcq", "Hochart", "Leblanc", "Marécaux",
]  # fmt: skip

# (name, description): themes of the region's associations.
ASSOCIATION_THEMES = [
    ("Les Jardins partagés", "Jardins partagés et ateliers de jardinage au naturel."),
    ("L'Épicerie solidaire", "Épicerie à petits prix pour les familles aux revenus modestes."),
    ("La Recyclerie", "Collecte, réparation et revente d'objets du quotidien."),
    ("L'Atelier vélo solidaire", "Atelier participatif de réparation de vélos."),
    ("Le Repair café", "Ateliers de réparation bénévoles, pour jeter moins."),
    ("La Ludothèque", "Prêt de jeux et animations pour tous les âges."),
    ("L'Accueil de jour", "Accueil, douches et accompagnement de personnes sans abri."),
    ("L'Aide aux devoirs", "Accompagnement scolaire des enfants et des collégiens."),
    ("La Maison des familles", "Lieu d'écoute et d'activités pour les parents et les enfants."),
    ("Le Chantier d'insertion", "Chantier d'insertion en espaces verts et petit bâtiment."),
    ("Le Tiers-lieu", "Tiers-lieu associatif : coworking, fablab et café."),
    ("L'École de musique", "Enseignement musical et orchestre d'harmonie."),
    ("L'Amicale laïque", "Activités sportives, culturelles et de loisirs."),
    ("Les Amis du patrimoine", "Sauvegarde et valorisation du patrimoine local."),
    ("La Boutique solidaire", "Vêtements et objets de seconde main à petit prix."),
    ("Le Garage solidaire", "Réparation automobile à prix réduit pour les personnes en insertion."),
    ("La Bibliothèque de rue", "Lectures et ateliers d'écriture au pied des immeubles."),
    ("Les Paniers solidaires", "Paniers de légumes locaux pour les familles modestes."),
    ("La Ferme pédagogique", "Découverte des animaux et de l'agriculture pour les écoles."),
    ("Le Café associatif", "Café associatif, concerts et rencontres entre habitants."),
    ("La Crèche parentale", "Crèche gérée par les parents."),
    ("L'Auto-école sociale", "Permis de conduire accompagné pour les personnes en insertion."),
    ("La Maison de quartier", "Animation de la vie du quartier et accueil des habitants."),
    ("Le Club de randonnée", "Randonnées et entretien des chemins."),
]  # fmt: skip

# Words for associations named after a cause rather than an activity.
CAUSES = [
    "Solidarité Emploi", "Entraide", "Tremplin", "Passerelle", "Coup de pouce", "Pas à pas",
    "Horizons", "Trait d'union", "Ensemble", "Avenir Jeunes", "Femmes relais", "Insertion Sport",
]  # fmt: skip
CAUSE_DESCRIPTION = "Accompagnement vers l'emploi et lutte contre l'isolement."

# (pattern, description) for cooperatives, mutuals and foundations; {where} is a territory.
OTHER_ESS_PATTERNS = [
    ("SCIC Énergies citoyennes {where}", "Coopérative de production d'énergie renouvelable."),
    ("SCIC Mobilités partagées {where}", "Autopartage et covoiturage solidaire."),
    ("SCIC Circuits courts {where}", "Plateforme coopérative de produits fermiers locaux."),
    ("SCIC Bois local {where}", "Filière coopérative du bois de chauffage et de construction."),
    ("SCOP Imprimerie {where}", "Imprimerie coopérative détenue par ses salariés."),
    ("SCOP Menuiserie {where}", "Menuiserie coopérative détenue par ses salariés."),
    ("SCOP Bureau d'études {where}", "Bureau d'études en bâtiment, coopératif."),
    ("Coopérative d'activités et d'emploi {where}", "Accompagnement d'entrepreneurs salariés."),
    ("Mutuelle familiale {where}", "Mutuelle santé de proximité."),
    ("Mutuelle solidaire {where}", "Complémentaire santé et prévoyance mutualiste."),
    ("Entreprise d'insertion Services verts {where}", "Entretien d'espaces verts en insertion."),
    ("Fondation {surname} pour l'enfance", "Fondation pour la protection de l'enfance."),
    ("Fondation {surname} pour le logement", "Fondation pour l'accès au logement."),
]  # fmt: skip

# (trade, description) for companies named after a founder or a territory.
TRADES = [
    ("Transports", "Transport routier de marchandises."),
    ("Menuiserie", "Menuiserie bois et aluminium."),
    ("Imprimerie", "Impression et façonnage."),
    ("Métallerie", "Chaudronnerie et métallerie industrielle."),
    ("Boulangerie industrielle", "Boulangerie et viennoiserie pour la grande distribution."),
    ("Logistique", "Entreposage et logistique."),
    ("Laiterie", "Produits laitiers régionaux."),
    ("Brasserie", "Brasserie artisanale."),
    ("Plasturgie", "Injection plastique pour l'automobile."),
    ("Électricité", "Installations électriques pour le bâtiment."),
    ("Maçonnerie", "Gros œuvre et rénovation."),
    ("Textiles", "Linge de maison et textiles techniques."),
]  # fmt: skip

# Invented brand names are a prefix plus a suffix, then a sector.
BRAND_PREFIXES = [
    "Nor", "Opal", "Art", "Val", "Flan", "Beff", "Som", "Lin", "Hain", "Pic", "Esca", "Terr",
    "Dun", "Lys", "Cal", "Aven", "Sen", "Vim", "Marq", "Orée",
]  # fmt: skip
BRAND_SUFFIXES = ["éo", "ia", "is", "ix", "ance", "tech", "ys", "alis", "era", "ium"]  # fmt: skip
SECTORS = [
    ("Conseil", "Conseil en organisation et en stratégie."),
    ("Ingénierie", "Bureau d'ingénierie industrielle."),
    ("Informatique", "Services informatiques et développement de logiciels."),
    ("Digital", "Agence de communication numérique."),
    ("Énergie", "Efficacité énergétique et installations photovoltaïques."),
    ("Environnement", "Gestion et valorisation des déchets."),
    ("Assurances", "Courtage en assurances."),
    ("Finance", "Gestion de patrimoine et financement d'entreprises."),
    ("Immobilier", "Promotion et gestion immobilières."),
    ("Formation", "Organisme de formation professionnelle."),
    ("Emballages", "Fabrication d'emballages en carton."),
    ("Agroalimentaire", "Transformation de légumes de la région."),
    ("Santé", "Distribution de matériel médical."),
    ("Ressources humaines", "Cabinet de recrutement et de conseil RH."),
]  # fmt: skip
LEGAL_FORMS = ["SAS", "SARL", "SA"]
CABINETS = [
    ("Cabinet {surname} Expertise comptable", "Expertise comptable et commissariat aux comptes."),
    ("Cabinet {surname} & Associés", "Cabinet d'avocats d'affaires."),
    ("{surname} Architectes", "Agence d'architecture."),
]  # fmt: skip

# The few public bodies whose agents volunteer: real institutions, with invented identifiers.
# (name, département, town, SIREN prefix: 21 + département for communes, 200 for the others)
PUBLIC_BODIES = [
    ("Région Hauts-de-France", "59", "Lille", "200"),
    ("Ville de Laon", "02", "Laon", "2102"),
    ("Ville d'Arras", "62", "Arras", "2162"),
    ("Ville de Beauvais", "60", "Beauvais", "2160"),
    ("Communauté d'agglomération du Saint-Quentinois", "02", "Saint-Quentin", "200"),
    ("Communauté urbaine de Dunkerque", "59", "Dunkerque", "200"),
    ("Amiens Métropole", "80", "Amiens", "200"),
]

# A few volunteers also sit on an association's board: one person, several roles.
BOARD_MEMBER_VOLUNTEERS = 6


class Place(NamedTuple):
    """Where a structure sits: a real town of a département, and the basin it belongs to."""

    departement: str
    town: str
    postcode: str
    territory: str


def place_of(departement, town):
    """The Place of a town of the TOWNS table."""
    for name, postcode, territory, _ in TOWNS[departement]:
        if name == town:
            return Place(departement, name, postcode, territory)
    raise KeyError(town)


@dataclass
class OrgSpec:
    """An organisation to seed; mutable only while the plan is being built."""

    kind: str
    name: str
    departement: str
    town: str
    postcode: str
    slug: str
    status: str = Status.VERIFIED
    siren: str = ""
    siret: str = ""
    rna: str = ""
    description: str = ""

    @property
    def natural_key(self):
        """How a second run finds this structure again: RNA for associations, else SIREN."""
        return ("rna", self.rna) if self.kind == Kind.ASSOCIATION else ("siren", self.siren)


@dataclass(frozen=True)
class PersonSpec:
    """A person to seed, found again by e-mail."""

    email: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class MembershipSpec:
    """A person's place in an organisation, by the natural keys of both."""

    email: str
    organisation_key: tuple
    role: str = Role.MEMBER
    status: str = Membership.Status.ACTIVE


@dataclass(frozen=True)
class DemoLogin:
    """A well-known account printed at the end of the seed, with who it is in the story."""

    role: str
    email: str
    who: str


@dataclass
class DemoPlan:
    """Everything the demo seeds, in creation order."""

    organisations: list = field(default_factory=list)
    people: list = field(default_factory=list)
    memberships: list = field(default_factory=list)
    logins: list = field(default_factory=list)

    def organisations_of(self, *kinds):
        """The planned organisations of those kinds."""
        return [org for org in self.organisations if org.kind in kinds]

    def members_of(self, org):
        """E-mails of the organisation's planned members, pending ones included."""
        return [m.email for m in self.memberships if m.organisation_key == org.natural_key]

    def cress_staff_email(self):
        """The CRESS's one staff member, who verified the verified structures."""
        return self.members_of(self.organisations_of(Kind.CRESS)[0])[0]


def build_plan(seed=SEED):
    """The whole demo picture, identical for the same seed, without touching the database."""
    return _PlanBuilder(random.Random(seed)).build()


def apportion(total, shares):
    """Split total by per-cent shares, exactly (largest remainder), so the counts are stable."""
    weight = sum(shares.values())
    exact = {code: total * share / weight for code, share in shares.items()}
    counts = {code: int(value) for code, value in exact.items()}
    by_remainder = sorted(exact, key=lambda code: exact[code] - counts[code], reverse=True)
    for code in by_remainder[: total - sum(counts.values())]:
        counts[code] += 1
    return counts


def ascii_slug(text):
    """Lower-case ASCII for e-mails and domains; œ and æ spelt out, which slugify would drop."""
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    return slugify(text)


def email_local_part(first_name, last_name):
    """prenom.nom without accents or spaces: 'Jean-Marc', 'Van de Velde' → jean-marc.vandevelde."""
    return f"{ascii_slug(first_name)}.{ascii_slug(last_name).replace('-', '')}"


def of_place(town):
    """'de Laon', "d'Arras", 'du Touquet-Paris-Plage': the French 'of' before a town name."""
    if town.startswith("Le "):
        return "du " + town[3:]
    if town.startswith("Les "):
        return "des " + town[4:]
    if unicodedata.normalize("NFKD", town[0])[0] in "AEIOUHaeiouh":
        return "d'" + town
    return "de " + town


class _PlanBuilder:
    """Draws the demo structures and people from one seeded random generator."""

    def __init__(self, rng):
        self.rng = rng
        self.plan = DemoPlan()
        # What is already taken, so names, slugs, identifiers and e-mails stay unique.
        self.names, self.slugs, self.emails = set(), set(), set()
        self.sirens, self.rnas = set(), set()
        self.active_members = {}
        # Structures of the printed demo accounts: they stay verified so every page works.
        self.demo_keys = set()

    def build(self):
        """CRESS first (its staff verifies the others), the demo accounts, then the crowd."""
        self.add_cress()
        demo_ess, demo_companies = self.add_demo_structures()
        self.add_ess(self.departement_slots(ESS_COUNT, demo_ess))
        self.add_companies(self.departement_slots(COMPANY_COUNT, demo_companies))
        self.add_public_bodies()
        self.add_board_members()
        self.suspend_a_few()
        return self.plan

    def departement_slots(self, total, taken):
        """One département per structure still to draw, in the study's proportions."""
        slots = []
        for code, count in apportion(total, DEPARTEMENT_SHARES).items():
            slots += [code] * (count - taken.count(code))
        self.rng.shuffle(slots)
        return slots

    # Identifiers

    def siren(self, prefix):
        """A fresh SIREN: the prefix, random digits, and the Luhn check digit."""
        while True:
            body = prefix + "".join(str(self.rng.randrange(10)) for _ in range(8 - len(prefix)))
            number = body + luhn.calc_check_digit(body)
            if number not in self.sirens:
                self.sirens.add(number)
                return number

    def company_siren(self):
        # Public bodies' SIRENs start with 2 (21 for communes, 200 for recent ones): keep clear.
        return self.siren(self.rng.choice("3456789"))

    def association_siren(self):
        # Associations that employ staff or receive subsidies also have a SIREN, often 77… to 8….
        return self.siren(self.rng.choice(["77", "78", "79", "8"]))

    def siret(self, siren):
        """A SIRET of that SIREN: a small establishment number (NIC) and its check digit."""
        while True:
            nic = f"{self.rng.randrange(1, 60):04d}"
            number = siren + nic + luhn.calc_check_digit(siren + nic)
            # La Poste's establishments follow another rule; stdnum knows it, so let it judge.
            if siret_rules.is_valid(number):
                return number

    def maybe_siret(self, siren):
        # Many structures give only their SIREN when they register; some give a SIRET too.
        return self.siret(siren) if self.rng.random() < 0.6 else ""

    def rna(self, departement):
        """A fresh RNA number: W, the département, seven digits."""
        while True:
            number = f"W{departement}{self.rng.randrange(10**7):07d}"
            if number not in self.rnas:
                self.rnas.add(number)
                return number

    # Structures

    def place(self, departement):
        """A real town of the département, bigger towns more often."""
        towns = TOWNS[departement]
        town, postcode, territory, _ = self.rng.choices(towns, weights=[t[3] for t in towns])[0]
        return Place(departement, town, postcode, territory)

    def unique_name(self, draw, place):
        """Call draw(place) until it gives a name not used yet."""
        while True:
            name, description = draw(place)
            if name not in self.names:
                return name, description

    def unique_slug(self, name):
        """A DNS-safe slug of the name, cut between words, for the members' e-mail domain."""
        base = ascii_slug(name)
        # A DNS label holds 63 characters; keep room for a "-2" if two names slug alike.
        if len(base) > 60:
            base = base[:61].rsplit("-", 1)[0]
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        self.slugs.add(slug)
        return slug

    def organisation(self, kind, name, place, **fields):
        """Add an organisation to the plan and return it."""
        self.names.add(name)
        org = OrgSpec(
            kind=kind,
            name=name,
            departement=place.departement,
            town=place.town,
            postcode=place.postcode,
            slug=self.unique_slug(name),
            **fields,
        )
        self.plan.organisations.append(org)
        return org

    def drawn_status(self):
        # About one structure in eight is still waiting for the CRESS to check it.
        return Status.REGISTERED if self.rng.random() < 0.13 else Status.VERIFIED

    def add_cress(self):
        """The regional chamber and its one staff account."""
        cress = self.organisation(
            Kind.CRESS,
            "CRESS Hauts-de-France",
            place_of("59", "Lille"),
            siren=self.association_siren(),
            description="Chambre régionale de l'économie sociale et solidaire.",
        )
        self.demo_login(
            "Équipe CRESS",
            "cress",
            ("Claire", "Vandamme"),
            cress,
            Role.ADMIN,
            "chargée de mission du pôle Mécénat et Bénévolat de Compétences",
        )

    def add_demo_structures(self):
        """The structures of the printed demo accounts; returns their départements."""
        garden = self.organisation(
            Kind.ASSOCIATION,
            "Association Les Jardins partagés de Laon",
            place_of("02", "Laon"),
            rna=self.rna("02"),
            description=ASSOCIATION_THEMES[0][1],
        )
        self.person_in(garden, Role.ADMIN)
        self.demo_login(
            "Membre d'association",
            "tresoriere.aisne",
            ("Martine", "Lefebvre"),
            garden,
            Role.MEMBER,
            "trésorière bénévole",
        )
        employment = self.organisation(
            Kind.ASSOCIATION,
            "Solidarité Emploi Amiénois",
            place_of("80", "Amiens"),
            rna=self.rna("80"),
            siren=self.association_siren(),
            description=CAUSE_DESCRIPTION,
        )
        self.demo_login(
            "Administrateur d'association",
            "president.somme",
            ("Karim", "Benali"),
            employment,
            Role.ADMIN,
            "président (une demande d'adhésion l'attend)",
        )
        self.person_in(employment, Role.MEMBER)
        self.person_in(employment, Role.MEMBER, status=Membership.Status.PENDING)
        company_siren = self.company_siren()
        company = self.organisation(
            Kind.COMPANY,
            "Beffroi Services Numériques",
            place_of("59", "Lille"),
            siren=company_siren,
            siret=self.siret(company_siren),
            description="Entreprise de services numériques, 250 salariés.",
        )
        self.demo_login(
            "Bénévole",
            "benevole.lille",
            ("Julien", "Delattre"),
            company,
            Role.MEMBER,
            "contrôleur de gestion, bénévole de compétences",
        )
        self.demo_login(
            "Référente entreprise",
            "referente.lille",
            ("Sophie", "Leclercq"),
            company,
            Role.ADMIN,
            "responsable RH, référente mécénat de compétences",
        )
        self.person_in(company, Role.MEMBER)
        self.person_in(company, Role.MEMBER, status=Membership.Status.PENDING)
        return ["02", "80"], ["59"]

    def add_ess(self, departements):
        """Associations mostly, and some cooperatives, mutuals and foundations."""
        for departement in departements:
            place = self.place(departement)
            if self.rng.random() < 0.83:
                name, description = self.unique_name(self.association_name, place)
                has_siren = self.rng.random() < 0.3
                org = self.organisation(
                    Kind.ASSOCIATION,
                    name,
                    place,
                    status=self.drawn_status(),
                    rna=self.rna(departement),
                    siren=self.association_siren() if has_siren else "",
                    description=description,
                )
            else:
                name, description = self.unique_name(self.other_ess_name, place)
                siren = self.company_siren()
                org = self.organisation(
                    Kind.OTHER_ESS,
                    name,
                    place,
                    status=self.drawn_status(),
                    siren=siren,
                    siret=self.maybe_siret(siren),
                    description=description,
                )
            for index in range(self.rng.choice([1, 2, 2])):
                self.person_in(org, Role.ADMIN if index == 0 else Role.MEMBER)

    def add_companies(self, departements):
        """Companies of every size; about half have named a referent (their administrator)."""
        for departement in departements:
            place = self.place(departement)
            name, description = self.unique_name(self.company_name, place)
            siren = self.company_siren()
            org = self.organisation(
                Kind.COMPANY,
                name,
                place,
                status=self.drawn_status(),
                siren=siren,
                siret=self.maybe_siret(siren),
                description=description,
            )
            has_referent = self.rng.random() < 0.5
            size = self.rng.choices([1, 2, 3, 4], weights=[30, 30, 25, 15])[0]
            for index in range(size):
                self.person_in(org, Role.ADMIN if has_referent and index == 0 else Role.MEMBER)

    def add_public_bodies(self):
        """The Région and a few towns and intercommunalités whose agents volunteer."""
        for name, departement, town, siren_prefix in PUBLIC_BODIES:
            org = self.organisation(
                Kind.PUBLIC_BODY,
                name,
                place_of(departement, town),
                siren=self.siren(siren_prefix),
                description="Collectivité dont les agents partagent leurs compétences.",
            )
            for index in range(self.rng.choice([2, 3])):
                self.person_in(org, Role.ADMIN if index == 0 else Role.MEMBER)

    def add_board_members(self):
        """Some volunteers also sit on the board of an association of their département."""
        employers = {
            org.natural_key: org
            for org in self.plan.organisations_of(Kind.COMPANY, Kind.PUBLIC_BODY)
        }
        volunteers = [
            (membership.email, employers[membership.organisation_key])
            for membership in self.plan.memberships
            if membership.organisation_key in employers
            and membership.status == Membership.Status.ACTIVE
            and not membership.email.endswith("@" + DEMO_DOMAIN)
        ]
        for email, employer in self.rng.sample(volunteers, BOARD_MEMBER_VOLUNTEERS):
            small = [
                org
                for org in self.plan.organisations_of(Kind.ASSOCIATION)
                if org.departement == employer.departement
                and self.active_members[org.natural_key] == 1
            ]
            self.add_membership(email, self.rng.choice(small), Role.MEMBER)

    def suspend_a_few(self):
        """One association and one company suspended, so the CRESS pages show that state too."""
        for kind in (Kind.ASSOCIATION, Kind.COMPANY):
            candidates = [
                org
                for org in self.plan.organisations_of(kind)
                if org.status == Status.VERIFIED and org.natural_key not in self.demo_keys
            ]
            self.rng.choice(candidates).status = Status.SUSPENDED

    # Names

    def association_name(self, place):
        """'Association La Ludothèque de Laon', 'La Recyclerie du Soissonnais', …"""
        pattern = self.rng.randrange(3)
        if pattern == 0:
            theme, description = self.rng.choice(ASSOCIATION_THEMES)
            return f"Association {theme} {of_place(place.town)}", description
        if pattern == 1:
            theme, description = self.rng.choice(ASSOCIATION_THEMES)
            return f"{theme} {place.territory}", description
        return f"{self.rng.choice(CAUSES)} {of_place(place.town)}", CAUSE_DESCRIPTION

    def other_ess_name(self, place):
        """'SCIC Énergies citoyennes du Boulonnais', 'Fondation Delcroix pour l'enfance', …"""
        pattern, description = self.rng.choice(OTHER_ESS_PATTERNS)
        surname = self.rng.choice(LAST_NAMES)
        return pattern.format(where=place.territory, surname=surname), description

    def company_name(self, place):
        """'Transports Delattre', 'Opalis Conseil SAS', 'Métallerie du Hainaut', …"""
        pattern = self.rng.randrange(4)
        if pattern == 0:
            trade, description = self.rng.choice(TRADES)
            return f"{trade} {self.rng.choice(LAST_NAMES)}", description
        if pattern == 1:
            trade, description = self.rng.choice(TRADES)
            return f"{trade} {place.territory}", description
        if pattern == 2:
            template, description = self.rng.choice(CABINETS)
            return template.format(surname=self.rng.choice(LAST_NAMES)), description
        brand = self.rng.choice(BRAND_PREFIXES) + self.rng.choice(BRAND_SUFFIXES)
        sector, description = self.rng.choice(SECTORS)
        form = f" {self.rng.choice(LEGAL_FORMS)}" if self.rng.random() < 0.4 else ""
        return f"{brand} {sector}{form}", description

    # People

    def person_in(self, org, role, status=Membership.Status.ACTIVE):
        """A new person with an e-mail at the organisation's .example.org domain."""
        first_name, last_name = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        local = email_local_part(first_name, last_name)
        email, n = f"{local}@{org.slug}.example.org", 1
        while email in self.emails:
            n += 1
            email = f"{local}{n}@{org.slug}.example.org"
        self.add_person(email, first_name, last_name)
        self.add_membership(email, org, role, status)

    def add_person(self, email, first_name, last_name):
        self.emails.add(email)
        self.plan.people.append(PersonSpec(email, first_name, last_name))

    def add_membership(self, email, org, role, status=Membership.Status.ACTIVE):
        key = org.natural_key
        self.plan.memberships.append(MembershipSpec(email, key, role, status))
        if status == Membership.Status.ACTIVE:
            self.active_members[key] = self.active_members.get(key, 0) + 1

    def demo_login(self, label, local_part, full_name, org, role, title):
        """A well-known account at the demo domain, printed with who they are."""
        email = f"{local_part}@{DEMO_DOMAIN}"
        self.add_person(email, *full_name)
        self.add_membership(email, org, role)
        self.demo_keys.add(org.natural_key)
        where = f"{org.town} ({DEPARTEMENTS[org.departement]})"
        who = f"{' '.join(full_name)}, {title} — {org.name}, {where}"
        self.plan.logins.append(DemoLogin(label, email, who))
