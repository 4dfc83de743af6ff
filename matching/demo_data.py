"""The demo's needs and skill offers: word lists, and a deterministic plan drawn from them.

Built on top of the structures and people of `accounts.demo_data`: needs are posted by members of
verified ESS structures, offers by employees of verified companies and agents of public bodies.
The 2019 study shapes the draw: most needs ask for one of its five priority skills, and volunteers
are far more numerous around Lille than in the Aisne. Nothing here touches the database:
`build_plan()` returns plain specs that the `seed_demo_matching` command stores.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, replace

from accounts import demo_data as accounts_demo
from accounts.demo_data import DEMO_DOMAIN, apportion, of_place
from accounts.departements import HAUTS_DE_FRANCE, label
from accounts.models import Membership, Organisation

from .engine.departements import NEIGHBOURS
from .models import Level, Need, Offer

Kind = Organisation.Kind
Status = Need.Status
Format = Need.Format
Engagement = Offer.Engagement

# The study's year, as for the structures; drawn from a generator of its own, so adding needs or
# offers never shifts the structures' draw.
SEED = accounts_demo.SEED

NEED_COUNT = 300
OFFER_COUNT = 400
NEED_STATUS_SHARES = {
    Status.PUBLISHED: 80,
    Status.DRAFT: 10,
    Status.COMPLETED: 6,
    Status.CANCELLED: 4,
}
# Per-cent share of offers per employer's département: volunteers concentrate around Lille.
OFFER_DEPARTEMENT_SHARES = {"59": 45, "62": 20, "60": 13, "80": 12, "02": 10}
PAUSED_SHARE = 0.1

PRIORITY_SKILLS = (
    "fonction-employeur-rh",
    "veille-reglementaire",
    "modele-economique",
    "fonds-europeens",
    "commande-publique",
)
# How often each skill is a need's main skill, in per cent: the five priorities make 60.
NEED_SKILL_WEIGHTS = {
    "fonction-employeur-rh": 14, "veille-reglementaire": 10, "modele-economique": 14,
    "fonds-europeens": 10, "commande-publique": 12,
    "recrutement": 2, "droit-du-travail": 3, "formation-competences": 1, "droit-associations": 2,
    "rgpd": 2, "gouvernance-strategie": 2, "evaluation-impact": 2, "subventions": 4,
    "comptabilite-finance": 4, "controle-gestion": 2, "mecenat-collecte": 3, "communication": 3,
    "reseaux-sociaux": 2, "graphisme": 1, "outils-numeriques": 2, "site-web": 2,
    "cybersecurite": 1, "gestion-projet": 1, "facilitation": 1,
}  # fmt: skip

# Skills that often come along with a main skill, for needs' secondary skills.
RELATED_SKILLS = {
    "fonction-employeur-rh": ["droit-du-travail", "recrutement", "formation-competences"],
    "recrutement": ["fonction-employeur-rh", "communication"],
    "droit-du-travail": ["fonction-employeur-rh", "veille-reglementaire"],
    "formation-competences": ["fonction-employeur-rh", "subventions"],
    "veille-reglementaire": ["droit-associations", "droit-du-travail", "rgpd"],
    "droit-associations": ["gouvernance-strategie", "veille-reglementaire"],
    "rgpd": ["outils-numeriques", "veille-reglementaire", "cybersecurite"],
    "modele-economique": ["comptabilite-finance", "controle-gestion", "mecenat-collecte"],
    "gouvernance-strategie": ["facilitation", "modele-economique", "droit-associations"],
    "evaluation-impact": ["communication", "gouvernance-strategie"],
    "fonds-europeens": ["subventions", "comptabilite-finance", "gestion-projet"],
    "commande-publique": ["veille-reglementaire", "modele-economique", "controle-gestion"],
    "subventions": ["fonds-europeens", "comptabilite-finance"],
    "comptabilite-finance": ["controle-gestion", "outils-numeriques"],
    "controle-gestion": ["comptabilite-finance", "modele-economique"],
    "mecenat-collecte": ["communication", "modele-economique"],
    "communication": ["reseaux-sociaux", "graphisme"],
    "reseaux-sociaux": ["communication", "graphisme"],
    "graphisme": ["communication", "site-web"],
    "outils-numeriques": ["cybersecurite", "rgpd"],
    "site-web": ["communication", "rgpd"],
    "cybersecurite": ["outils-numeriques", "rgpd"],
    "gestion-projet": ["facilitation", "evaluation-impact"],
    "facilitation": ["gouvernance-strategie", "gestion-projet"],
}

# Which structures a need template fits: any (None), associations only, structures outside the
# big towns (LEADER funds rural areas), or those whose name or description holds one of the words.
ASSOCIATIONS = "associations"
RURAL = "rural"
URBAN_TERRITORIES = {
    "de la Métropole lilloise", "de l'Amiénois", "du Dunkerquois", "du Bassin minier",
    "du Creillois", "du Valenciennois", "du Douaisis", "du Béthunois",
}  # fmt: skip
# A structure that is about to hire its first employee has none yet.
BEFORE_FIRST_HIRE = "Préparer l'arrivée de notre premier salarié"

# Needs by main skill: (title, what the structure asks, which structures it fits).
# Placeholders: {of_town} ("de Laon"), {territory} ("du Laonnois"), {of_epci} ("de la
# Communauté d'agglomération du Pays de Laon").
NEED_TEMPLATES = {
    "fonction-employeur-rh": [
        ("Mettre en place nos entretiens annuels",
         "Nos salariés n'ont jamais eu d'entretien annuel, et l'entretien professionnel tous les "
         "deux ans est pourtant obligatoire. Nous aimerions une trame simple, un calendrier, et "
         "un peu de préparation pour les membres du bureau qui les mèneront.", None),
        ("Préparer l'arrivée de notre premier salarié",
         "Nous allons embaucher notre premier salarié. Déclaration préalable à l'embauche, "
         "contrat, mutuelle obligatoire, médecine du travail : nous ne savons pas par où "
         "commencer et voulons éviter les erreurs.", ASSOCIATIONS),
        ("Structurer la fonction employeur de notre bureau bénévole",
         "Le bureau, entièrement bénévole, est l'employeur de l'équipe sans avoir jamais été "
         "formé à ce rôle. Nous voulons savoir ce que la loi nous impose et qui fait quoi : "
         "contrats, congés, temps de travail, visites médicales.", ASSOCIATIONS),
        ("Écrire les fiches de poste de l'équipe",
         "Les missions de chacun ont beaucoup évolué et plus personne ne sait vraiment qui fait "
         "quoi. Nous cherchons quelqu'un pour nous aider à écrire des fiches de poste claires, "
         "utiles aussi pour les prochains recrutements.", None),
        ("Mettre à jour notre document unique d'évaluation des risques",
         "Notre document unique n'a pas été revu depuis plusieurs années, alors que nos activités "
         "ont changé. Nous voulons le remettre à jour avec l'équipe, risques psychosociaux "
         "compris.", None),
        ("Accompagner les encadrants techniques de notre chantier d'insertion",
         "Nos encadrants techniques managent des salariés en parcours d'insertion sans formation "
         "au management. Nous cherchons un regard RH pour organiser les réunions d'équipe, les "
         "entretiens et le suivi des parcours.", ("insertion", "chantier")),
        ("Créer un livret d'accueil pour les nouveaux salariés",
         "Chaque arrivée se fait dans l'urgence et les informations se perdent. Un livret "
         "d'accueil (organisation, règles de vie, contacts, droits) aiderait les nouveaux "
         "salariés comme les bénévoles qui les accueillent.", None),
    ],
    "veille-reglementaire": [
        ("Organiser une veille réglementaire simple pour le bureau",
         "Nous découvrons souvent les nouvelles obligations trop tard, par hasard ou par un "
         "financeur. Nous voulons savoir quelles sources suivre, à quel rythme, et comment "
         "partager l'information au sein du bureau.", None),
        ("Faire le point sur nos obligations d'établissement recevant du public",
         "Nous accueillons du public dans nos locaux {of_town} : accessibilité, sécurité "
         "incendie, registre, affichages obligatoires. Nous voulons une liste claire de ce qui "
         "s'applique vraiment à nous.", None),
        ("Comprendre le contrat d'engagement républicain",
         "Toute demande de subvention passe désormais par le contrat d'engagement républicain. "
         "Nous voulons comprendre ce qu'il nous impose, ce qu'il faut changer dans nos statuts "
         "ou notre règlement, et comment en informer nos adhérents.", ASSOCIATIONS),
        ("Suivre les évolutions de notre convention collective",
         "Les avenants de notre convention collective se succèdent (valeur du point, "
         "classifications, prévoyance) et nous avons du mal à suivre. Nous cherchons une méthode "
         "et un premier point sur ce qui a changé.", None),
        ("Préparer le renouvellement de notre agrément",
         "Notre agrément arrive à échéance l'an prochain. Nous voulons vérifier que nous "
         "remplissons toujours les conditions et préparer le dossier sans mauvaise surprise.",
         None),
        ("Vérifier nos obligations pour l'accueil de mineurs",
         "Nous accueillons de plus en plus d'enfants et de jeunes. Déclarations, taux "
         "d'encadrement, contrôle d'honorabilité des bénévoles : nous voulons être sûrs d'être "
         "en règle.", ("enfan", "scolaire", "jeu", "famil", "école", "jeunes", "crèche")),
    ],
    "modele-economique": [
        ("Revoir notre modèle économique après la baisse des subventions",
         "Nos subventions de fonctionnement ont baissé d'un tiers en trois ans. Nous devons "
         "trouver d'autres ressources (prestations, adhésions, mécénat) sans perdre de vue notre "
         "projet social, et nous aimerions un regard extérieur.", None),
        ("Construire une offre de prestations payantes",
         "Des entreprises et des collectivités {territory} nous demandent des ateliers et des "
         "interventions. Nous ne savons ni fixer un prix, ni présenter une offre, ni dire non "
         "quand la demande nous éloigne de notre projet.", None),
        ("Savoir ce que nous coûte chaque activité avant de fixer nos tarifs",
         "Nos tarifs ont été fixés il y a longtemps, sans calcul. Nous voulons connaître le coût "
         "complet de chaque activité pour décider de ce que nous facturons et de ce qui doit "
         "rester financé autrement.", None),
        ("Étudier la viabilité de notre projet de boutique",
         "Nous envisageons d'ouvrir une boutique pour vendre ce que nous produisons. Budget "
         "prévisionnel, point mort, besoin en fonds de roulement : nous voulons savoir si le "
         "projet tient debout avant de nous lancer.", None),
        ("Étudier le passage d'une partie de nos activités en SCIC",
         "Une partie de nos activités est devenue marchande et nos partenaires voudraient "
         "s'impliquer davantage. Nous nous demandons si une société coopérative d'intérêt "
         "collectif serait plus adaptée, et à quelles conditions.", None),
        ("Réduire notre dépendance à un seul financeur",
         "Plus de la moitié de notre budget vient d'un seul financeur public. Nous voulons bâtir "
         "un plan sur trois ans pour diversifier nos ressources et sécuriser les emplois.", None),
    ],
    "fonds-europeens": [
        ("Monter un dossier FSE+ pour notre chantier d'insertion",
         "Notre chantier d'insertion pourrait être cofinancé par le FSE+, mais le dossier nous "
         "fait peur : plan de financement, indicateurs, pièces justificatives. Nous cherchons "
         "quelqu'un qui a déjà monté ou instruit ce type de dossier.", ("insertion", "chantier")),
        ("Savoir si notre projet est éligible aux fonds européens",
         "On nous a parlé du FSE+, du FEDER et du programme régional 2021-2027 sans que nous "
         "sachions si notre projet peut en bénéficier. Nous voulons un premier diagnostic avant "
         "d'y consacrer du temps.", None),
        ("Déposer une candidature LEADER auprès du GAL {territory}",
         "Notre projet s'inscrit dans la stratégie du groupe d'action locale {territory}. Nous "
         "voulons préparer une candidature LEADER solide et comprendre les règles de "
         "cofinancement.", RURAL),
        ("Préparer le contrôle de service fait de notre dossier FSE+",
         "Nous avons obtenu un financement FSE+ et le premier bilan d'exécution approche. Suivi "
         "du temps passé, pièces justificatives, indicateurs de participants : nous voulons être "
         "prêts pour le contrôle.", None),
        ("Mettre en place le suivi des temps et des dépenses d'un projet européen",
         "Les fonds européens exigent de justifier chaque heure et chaque dépense. Nous "
         "cherchons une méthode et des outils simples pour que l'équipe tienne ce suivi sans y "
         "passer ses journées.", None),
        ("Trouver des partenaires belges pour un projet Interreg",
         "Nous aimerions monter avec des structures de Wallonie ou de Flandre un projet du "
         "programme Interreg France-Wallonie-Vlaanderen. Nous ne savons pas comment trouver des "
         "partenaires ni présenter une candidature.", None),
    ],
    "commande-publique": [
        ("Répondre à un marché public {of_epci}",
         "Un marché {of_epci} comporte une clause sociale qui correspond à notre activité. Nous "
         "n'avons jamais répondu à un marché public : dossier de candidature, mémoire technique, "
         "prix. Nous voulons être accompagnés pour cette première réponse.", None),
        ("Répondre à un marché public de la Ville {of_town}",
         "La Ville {of_town} lance une consultation qui nous concerne. Nous voulons comprendre "
         "le règlement de consultation, décider si nous répondons seuls ou en groupement, et "
         "construire un mémoire technique convaincant.", None),
        ("Comprendre les clauses sociales et les marchés réservés",
         "Les acheteurs publics du territoire parlent de clauses sociales et de marchés réservés "
         "aux structures de l'ESS. Nous voulons comprendre ces outils et savoir comment nous "
         "faire connaître des acheteurs.", None),
        ("Se positionner sur les marchés réservés aux structures d'insertion",
         "Certains marchés sont réservés aux structures d'insertion par l'activité économique. "
         "Nous voulons repérer ceux qui nous concernent et préparer nos réponses avec nos "
         "encadrants.", ("insertion", "chantier", "services verts")),
        ("Créer un dossier type pour répondre aux appels d'offres",
         "Nous répondons à deux ou trois consultations par an et repartons de zéro à chaque "
         "fois. Nous voulons un dossier type (références, moyens, attestations) et une trame de "
         "mémoire technique réutilisable.", None),
        ("Organiser une veille sur les appels d'offres de notre secteur",
         "Nous apprenons souvent l'existence d'un marché trop tard. Nous aimerions mettre en "
         "place des alertes sur les profils d'acheteurs et une façon simple de décider vite si "
         "nous répondons.", None),
    ],
    "recrutement": [
        ("Recruter notre futur coordinateur ou coordinatrice",
         "Notre coordinatrice part à la retraite dans six mois. Nous voulons définir le poste, "
         "rédiger l'annonce, la diffuser au bon endroit et mener les entretiens avec méthode.",
         None),
        ("Rédiger nos offres d'emploi et mener nos entretiens",
         "Nos dernières annonces ont reçu peu de candidatures, et nos entretiens manquent de "
         "structure. Nous cherchons des conseils concrets sur les annonces et une grille "
         "d'entretien.", None),
    ],
    "droit-du-travail": [
        ("Sécuriser nos contrats de travail et notre paie",
         "Nous employons des salariés en contrats aidés, à temps partiel et en CDD. Nous voulons "
         "vérifier que nos contrats et nos bulletins de paie sont conformes à notre convention "
         "collective.", None),
        ("Comprendre les règles du temps de travail pour nos animateurs",
         "Nos animateurs travaillent le soir, le week-end et pendant les vacances. Nous voulons "
         "organiser leur temps de travail dans les règles : modulation, repos, heures "
         "supplémentaires.", None),
    ],
    "formation-competences": [
        ("Construire notre plan de développement des compétences",
         "Nous voulons former l'équipe mais nous décidons au fil de l'eau. Nous aimerions un plan "
         "sur deux ans, relié aux entretiens professionnels, et savoir ce que notre OPCO peut "
         "financer.", None),
    ],
    "droit-associations": [
        ("Réécrire nos statuts",
         "Nos statuts datent de la création de l'association et ne correspondent plus à notre "
         "fonctionnement : collège de membres, durée des mandats, bureau. Nous voulons les "
         "réécrire avant notre prochaine assemblée générale.", None),
        ("Préparer une assemblée générale dans les règles",
         "Convocation, quorum, pouvoirs, procès-verbal : notre dernière assemblée générale a "
         "soulevé des questions. Nous voulons préparer la prochaine sereinement.", None),
    ],
    "rgpd": [
        ("Mettre notre fichier d'adhérents en conformité avec le RGPD",
         "Notre fichier d'adhérents est partagé entre plusieurs bénévoles sur des tableurs. Nous "
         "voulons savoir ce que nous pouvons garder, combien de temps, et comment informer nos "
         "adhérents.", None),
        ("Rédiger notre registre des traitements de données",
         "Un financeur nous a demandé notre registre des traitements. Nous ne savons pas à quoi "
         "il doit ressembler ni quels traitements y inscrire.", None),
    ],
    "gouvernance-strategie": [
        ("Écrire notre projet associatif pour les cinq prochaines années",
         "Notre projet associatif n'a pas été revu depuis dix ans. Nous voulons associer les "
         "bénévoles, les salariés et les personnes accompagnées pour écrire le prochain.",
         ASSOCIATIONS),
        ("Préparer le renouvellement de notre conseil d'administration",
         "Plusieurs administrateurs historiques souhaitent passer la main. Nous voulons préparer "
         "la transmission et attirer de nouveaux profils au conseil d'administration.", None),
    ],
    "evaluation-impact": [
        ("Mesurer l'impact social de nos actions",
         "Nos financeurs nous demandent de démontrer notre utilité sociale au-delà du nombre de "
         "participants. Nous voulons choisir quelques indicateurs pertinents et une méthode de "
         "collecte réaliste.", None),
        ("Construire les indicateurs de notre rapport d'activité",
         "Notre rapport d'activité est long mais peu lisible. Nous voulons définir les chiffres "
         "qui comptent et les suivre tout au long de l'année.", None),
    ],
    "subventions": [
        ("Rédiger notre dossier de demande de subvention à la Région",
         "Nous voulons solliciter la Région pour développer notre action {territory}. Nous "
         "cherchons de l'aide pour présenter le projet, le budget et les résultats attendus.",
         None),
        ("Répondre à l'appel à projets d'une fondation",
         "Une fondation d'entreprise a ouvert un appel à projets qui correspond à notre action. "
         "Nous voulons une relecture exigeante de notre dossier avant de le déposer.", None),
    ],
    "comptabilite-finance": [
        ("Passer d'un cahier de caisse à une vraie comptabilité",
         "Nos comptes sont tenus par le trésorier sur un cahier et un tableur. Avec la croissance "
         "de l'activité, nous devons passer à une comptabilité d'engagement et choisir un "
         "logiciel.", None),
        ("Construire notre budget prévisionnel et notre plan de trésorerie",
         "Les subventions arrivent souvent tard et la trésorerie est tendue chaque printemps. "
         "Nous voulons un budget prévisionnel et un plan de trésorerie mois par mois.", None),
        ("Préparer la clôture des comptes avec le trésorier",
         "Le trésorier, nouveau dans la fonction, doit préparer la clôture de l'exercice : "
         "rapprochements, charges à payer, fonds dédiés. Un accompagnement pas à pas l'aiderait "
         "beaucoup.", None),
    ],
    "controle-gestion": [
        ("Créer un tableau de bord de suivi budgétaire",
         "Le bureau découvre l'état des finances à la clôture. Nous voulons un tableau de bord "
         "simple, mis à jour chaque mois, pour piloter le budget en cours d'année.", None),
        ("Calculer le coût de revient de nos ateliers",
         "Nous voulons connaître le coût réel de chacun de nos ateliers, frais de structure "
         "compris, pour répondre aux financeurs et fixer nos participations.", None),
    ],
    "mecenat-collecte": [
        ("Trouver des entreprises mécènes {territory}",
         "Nous aimerions nouer des partenariats avec des entreprises {territory}, en argent, en "
         "nature ou en compétences. Nous ne savons pas comment les approcher ni quoi leur "
         "proposer en retour.", None),
        ("Lancer notre première campagne de dons",
         "Nous voulons lancer une campagne de dons auprès des habitants et de nos adhérents, en "
         "ligne et sur nos événements. Par où commencer, et comment émettre les reçus "
         "fiscaux ?", None),
    ],
    "communication": [
        ("Faire connaître nos actions auprès des habitants {of_town}",
         "Beaucoup d'habitants {of_town} ne connaissent pas nos actions. Nous voulons un plan de "
         "communication simple, avec peu de moyens, et des messages clairs.", None),
        ("Préparer nos relations avec la presse locale",
         "Nous organisons plusieurs événements cette année et aimerions que la presse locale en "
         "parle. Nous cherchons de l'aide pour rédiger des communiqués et contacter les "
         "journalistes.", None),
    ],
    "reseaux-sociaux": [
        ("Animer nos réseaux sociaux avec une ligne éditoriale",
         "Nos pages sur les réseaux sociaux sont alimentées au hasard par deux bénévoles. Nous "
         "voulons une ligne éditoriale, un calendrier de publication et quelques bonnes "
         "pratiques.", None),
    ],
    "graphisme": [
        ("Refaire notre logo et notre charte graphique",
         "Notre logo a vingt ans et nos supports ne se ressemblent pas. Nous voulons une identité "
         "visuelle simple que les bénévoles pourront utiliser eux-mêmes.", None),
        ("Créer une plaquette de présentation",
         "Nous avons besoin d'une plaquette claire pour présenter nos actions aux partenaires et "
         "aux financeurs.", None),
    ],
    "outils-numeriques": [
        ("Choisir un logiciel de gestion des adhérents",
         "Adhésions, cotisations, inscriptions aux activités : tout est éparpillé. Nous voulons "
         "comparer les logiciels adaptés aux associations et en choisir un.", None),
        ("Mettre en place des outils de travail partagés",
         "Salariés et bénévoles s'échangent des fichiers par e-mail. Nous voulons des outils "
         "partagés (documents, agenda, messagerie) simples à prendre en main.", None),
    ],
    "site-web": [
        ("Refaire notre site internet",
         "Notre site n'est plus à jour et personne ne sait le modifier. Nous voulons un site "
         "simple, que nous pourrons faire vivre nous-mêmes.", None),
        ("Rendre notre site accessible et mieux référencé",
         "Notre site est peu visible dans les moteurs de recherche et difficile à lire pour les "
         "personnes malvoyantes. Nous voulons l'améliorer pas à pas.", None),
    ],
    "cybersecurite": [
        ("Sécuriser nos ordinateurs et nos sauvegardes",
         "Après la perte d'un disque dur, nous voulons organiser nos sauvegardes, nos mots de "
         "passe et les accès aux comptes de l'association.", None),
    ],
    "gestion-projet": [
        ("Piloter l'ouverture de notre nouveau local",
         "Nous ouvrons un nouveau local l'an prochain : travaux, financement, équipe, "
         "calendrier. Nous voulons un rétroplanning et une organisation de projet solides.", None),
        ("Organiser notre événement annuel",
         "Notre fête annuelle mobilise une cinquantaine de bénévoles. Nous voulons mieux "
         "répartir les rôles et anticiper la logistique.", None),
    ],
    "facilitation": [
        ("Animer un séminaire du conseil d'administration",
         "Nous voulons réunir le conseil d'administration une journée pour réfléchir à nos "
         "priorités. Une animation extérieure nous aiderait à faire participer chacun.", None),
        ("Mener une concertation avec les habitants",
         "Nous voulons associer les habitants {of_town} à la définition de nos futures actions. "
         "Nous cherchons des méthodes d'animation participative.", None),
    ],
}  # fmt: skip

# Intercommunalités named in needs, by the basin of the structure's town.
EPCI_BY_TERRITORY = {
    "de la Métropole lilloise": "de la Métropole européenne de Lille",
    "de l'Amiénois": "d'Amiens Métropole",
    "du Dunkerquois": "de la Communauté urbaine de Dunkerque",
    "du Laonnois": "de la Communauté d'agglomération du Pays de Laon",
    "de l'Artois": "de la Communauté urbaine d'Arras",
    "du Calaisis": "de Grand Calais Terres et Mers",
    "du Bassin minier": "de la Communauté d'agglomération de Lens-Liévin",
    "du Béthunois": "de la Communauté d'agglomération de Béthune-Bruay",
    "du Creillois": "de l'Agglomération Creil Sud Oise",
}
# Team sizes, small ones more often: most of the region's associations employ a few people.
STAFF_SIZES = {
    "une salariée": 20, "deux salariés": 25, "trois salariés": 20, "cinq salariés": 15,
    "huit salariés": 10, "douze salariés": 6, "une vingtaine de salariés": 4,
}  # fmt: skip
# A small structure posts a few needs at a time, not ten.
MAX_NEEDS_PER_STRUCTURE = 5
VOLUNTEER_SIZES = ["une dizaine", "une vingtaine", "une trentaine", "une cinquantaine"]

# Volunteers' profiles: (key, experience phrase, title variants, skills with the main one first,
# what the volunteer offers).
PROFILES = [
    ("rh", "en ressources humaines",
     ["Fonction employeur : contrats, entretiens, obligations RH",
      "Appui RH aux petites structures employeuses"],
     ["fonction-employeur-rh", "recrutement", "droit-du-travail", "formation-competences"],
     "Je peux vous aider à poser les bases : fiches de poste, entretiens annuels et "
     "professionnels, contrats, obligations de l'employeur."),
    ("paie", "en paie et en droit social",
     ["Paie, convention collective et droit du travail"],
     ["droit-du-travail", "fonction-employeur-rh", "veille-reglementaire"],
     "Bulletins de paie, convention collective, temps de travail : je vous aide à sécuriser "
     "vos pratiques d'employeur."),
    ("recrutement", "en recrutement",
     ["Recruter sereinement : définir le poste, l'annonce, les entretiens"],
     ["recrutement", "fonction-employeur-rh", "formation-competences"],
     "Je vous accompagne de la fiche de poste à l'intégration de la personne recrutée."),
    ("juriste", "comme juriste",
     ["Veille juridique et conformité", "Droit des associations et veille réglementaire"],
     ["veille-reglementaire", "droit-associations", "rgpd"],
     "Statuts, obligations légales, nouvelles réglementations : je vous aide à y voir clair "
     "et à organiser votre veille."),
    ("dpo", "en protection des données",
     ["RGPD : registre, fichiers d'adhérents, bonnes pratiques"],
     ["rgpd", "cybersecurite", "veille-reglementaire"],
     "Je vous aide à faire le tri dans vos fichiers et à tenir un registre des traitements "
     "proportionné à votre structure."),
    ("qhse", "en qualité, sécurité et environnement",
     ["Veille réglementaire, sécurité et prévention des risques"],
     ["veille-reglementaire", "fonction-employeur-rh", "gestion-projet"],
     "Document unique, établissements recevant du public, veille réglementaire : je partage "
     "mes méthodes d'entreprise, adaptées à une petite équipe."),
    ("controle", "en contrôle de gestion",
     ["Contrôle de gestion et tableaux de bord", "Coûts, budget et pilotage financier"],
     ["controle-gestion", "comptabilite-finance", "modele-economique"],
     "Coût complet des activités, tableau de bord, suivi budgétaire : je vous aide à piloter "
     "avec des outils simples."),
    ("compta", "en comptabilité",
     ["Comptabilité, budget et trésorerie", "Accompagnement des trésoriers d'association"],
     ["comptabilite-finance", "controle-gestion", "modele-economique"],
     "Tenue des comptes, clôture, budget prévisionnel, plan de trésorerie : j'accompagne les "
     "trésoriers pas à pas."),
    ("daf", "en direction financière",
     ["Modèle économique et stratégie financière"],
     ["modele-economique", "comptabilite-finance", "gouvernance-strategie"],
     "Diversifier vos ressources, bâtir un plan à trois ans, équilibrer activités et "
     "financements : je vous aide à construire un modèle durable."),
    ("strategie", "en conseil en stratégie",
     ["Stratégie, gouvernance et modèle économique", "Projet associatif et plan stratégique"],
     ["gouvernance-strategie", "modele-economique", "evaluation-impact", "facilitation"],
     "J'anime des démarches de projet stratégique et vous aide à relier projet social et "
     "modèle économique."),
    ("appels_offres", "en réponse aux appels d'offres",
     ["Réponse aux appels d'offres publics", "Marchés publics : candidature et mémoire technique"],
     ["commande-publique", "veille-reglementaire", "gestion-projet"],
     "Je réponds chaque année à des dizaines de marchés publics et peux vous aider à "
     "construire un dossier type et un mémoire technique efficace."),
    ("acheteur_public", "dans la commande publique",
     ["Commande publique : marchés, clauses sociales, marchés réservés"],
     ["commande-publique", "veille-reglementaire", "subventions"],
     "Je connais les marchés publics du côté de l'acheteur : je vous explique ce qu'il attend "
     "et comment les clauses sociales peuvent vous ouvrir des portes."),
    ("fonds_ue", "dans la gestion des fonds européens",
     ["Fonds européens : FSE+, FEDER, LEADER", "Monter et suivre un dossier européen"],
     ["fonds-europeens", "subventions", "gestion-projet"],
     "J'instruis ou je monte des dossiers européens : éligibilité, plan de financement, "
     "suivi des temps et des dépenses, contrôle de service fait."),
    ("financements", "dans les financements publics",
     ["Subventions et financements publics"],
     ["subventions", "fonds-europeens", "modele-economique"],
     "Trouver les bons guichets, rédiger un dossier convaincant, rendre compte : je vous aide "
     "à sécuriser vos financements publics."),
    ("communication", "en communication",
     ["Communication, presse et réseaux sociaux", "Plan de communication à petit budget"],
     ["communication", "reseaux-sociaux", "graphisme"],
     "Plan de communication, messages clés, relations presse : je vous aide à faire connaître "
     "vos actions avec peu de moyens."),
    ("graphisme", "en graphisme",
     ["Graphisme et supports de communication"],
     ["graphisme", "communication", "site-web"],
     "Logo, charte, plaquettes, affiches : je crée des supports que vous pourrez faire vivre "
     "vous-mêmes."),
    ("numerique", "dans les systèmes d'information",
     ["Outils numériques et travail collaboratif"],
     ["outils-numeriques", "cybersecurite", "site-web"],
     "Choisir les bons outils, les installer, former l'équipe : je vous aide à travailler "
     "mieux ensemble."),
    ("web", "dans le développement web",
     ["Création et refonte de site web"],
     ["site-web", "reseaux-sociaux", "outils-numeriques"],
     "Je vous aide à créer un site simple, accessible et que vous pourrez mettre à jour "
     "vous-mêmes."),
    ("cyber", "en cybersécurité",
     ["Cybersécurité, sauvegardes et bonnes pratiques"],
     ["cybersecurite", "outils-numeriques", "rgpd"],
     "Sauvegardes, mots de passe, sensibilisation des équipes : les bons réflexes, sans "
     "jargon."),
    ("projet", "en gestion de projet",
     ["Gestion de projet et animation d'équipe", "Piloter un projet de A à Z"],
     ["gestion-projet", "facilitation", "evaluation-impact"],
     "Rétroplanning, organisation, suivi : je vous aide à mener vos projets sans vous "
     "épuiser."),
    ("rse", "en RSE et partenariats",
     ["Mécénat, partenariats et collecte de fonds"],
     ["mecenat-collecte", "communication", "evaluation-impact"],
     "Je connais les attentes des entreprises mécènes et peux vous aider à leur présenter "
     "votre projet."),
    ("formation", "en formation professionnelle",
     ["Formation et développement des compétences"],
     ["formation-competences", "facilitation", "recrutement"],
     "Plan de développement des compétences, financements de l'OPCO, ingénierie de "
     "formation : je vous accompagne."),
]  # fmt: skip
PROFILE_BY_KEY = {profile[0]: profile for profile in PROFILES}

# Which profiles an employer's staff have, by sector (found from the employer's description).
PROFILE_WEIGHTS = {
    "general": {
        "rh": 12, "paie": 5, "recrutement": 4, "juriste": 3, "dpo": 1, "qhse": 7, "controle": 8,
        "compta": 9, "daf": 5, "strategie": 2, "appels_offres": 9, "fonds_ue": 2,
        "financements": 3, "communication": 7, "graphisme": 2, "numerique": 5, "web": 2,
        "cyber": 2, "projet": 9, "rse": 5, "formation": 3,
    },
    "compta": {"compta": 30, "controle": 15, "daf": 15, "paie": 15, "juriste": 5,
               "financements": 10, "rh": 5},
    "droit": {"juriste": 35, "paie": 20, "dpo": 15, "appels_offres": 15, "strategie": 5},
    "numerique": {"numerique": 20, "web": 20, "cyber": 15, "dpo": 5, "projet": 15,
                  "communication": 10, "rh": 5, "controle": 5, "appels_offres": 5},
    "communication": {"communication": 35, "graphisme": 25, "web": 20, "projet": 10, "rse": 10},
    "rh": {"rh": 30, "recrutement": 30, "formation": 20, "paie": 15, "juriste": 5},
    "conseil": {"strategie": 30, "daf": 15, "projet": 15, "financements": 10, "fonds_ue": 15,
                "appels_offres": 10, "rh": 10},
    "finance": {"daf": 20, "compta": 20, "controle": 15, "financements": 15, "fonds_ue": 5,
                "rse": 5, "juriste": 10},
    "formation": {"formation": 30, "projet": 15, "rh": 15, "fonds_ue": 15, "financements": 10,
                  "appels_offres": 10},
    "ingenierie": {"appels_offres": 30, "projet": 25, "qhse": 15, "controle": 10, "rh": 10,
                   "numerique": 10},
    "public": {"fonds_ue": 25, "acheteur_public": 25, "financements": 20, "juriste": 10,
               "rh": 10, "projet": 5, "communication": 5},
}  # fmt: skip
SECTOR_BY_DESCRIPTION = {
    "Expertise comptable et commissariat aux comptes.": "compta",
    "Cabinet d'avocats d'affaires.": "droit",
    "Services informatiques et développement de logiciels.": "numerique",
    "Entreprise de services numériques, 250 salariés.": "numerique",
    "Agence de communication numérique.": "communication",
    "Cabinet de recrutement et de conseil RH.": "rh",
    "Conseil en organisation et en stratégie.": "conseil",
    "Gestion de patrimoine et financement d'entreprises.": "finance",
    "Courtage en assurances.": "finance",
    "Organisme de formation professionnelle.": "formation",
    "Agence d'architecture.": "ingenierie",
    "Bureau d'ingénierie industrielle.": "ingenierie",
    "Efficacité énergétique et installations photovoltaïques.": "ingenierie",
}
HOURS_PER_MONTH = [4, 6, 8, 10, 12, 16, 20, 24]
HOURS_PER_MONTH_WEIGHTS = [15, 15, 20, 12, 14, 10, 8, 6]
MISSION_HOURS = [10, 12, 15, 20, 24, 30, 40, 50, 60]
MAIN_LEVEL_WEIGHTS = {Level.JUNIOR: 15, Level.CONFIRMED: 50, Level.EXPERT: 35}
OTHER_LEVEL_WEIGHTS = {Level.JUNIOR: 35, Level.CONFIRMED: 45, Level.EXPERT: 20}

TREASURER_EMAIL = f"tresoriere.aisne@{DEMO_DOMAIN}"
VOLUNTEER_EMAIL = f"benevole.lille@{DEMO_DOMAIN}"


@dataclass(frozen=True)
class NeedSpec:
    """A need to seed, found again by (organisation, title)."""

    organisation_key: tuple
    email: str
    title: str
    description: str
    main_skill: str
    secondary_skills: tuple
    departement: str
    remote_ok: bool
    format: str
    estimated_hours: int
    wished_start: datetime.date
    wished_end: datetime.date
    status: str
    published_at: datetime.datetime | None
    created_at: datetime.datetime

    @property
    def is_priority(self):
        return self.main_skill in PRIORITY_SKILLS


@dataclass(frozen=True)
class OfferSpec:
    """A skill offer to seed, found again by (volunteer, title)."""

    email: str
    organisation_key: tuple
    title: str
    description: str
    engagement: str
    remote_ok: bool
    hours_per_month: int
    available_from: datetime.date
    available_until: datetime.date | None
    is_active: bool
    skills: tuple  # ((skill code, level), ...), the main skill first
    departements: tuple
    created_at: datetime.datetime


@dataclass(frozen=True)
class MatchingPlan:
    """The demo's needs and offers, in creation order."""

    needs: list
    offers: list

    def summary_lines(self):
        """What the plan holds, in French, for the command's output."""
        statuses = Counter(need.status for need in self.needs)
        priority = sum(need.is_priority for need in self.needs)
        by_departement = Counter(need.departement for need in self.needs)
        acting = Counter(code for offer in self.offers for code in offer.departements)
        active = sum(offer.is_active for offer in self.offers)
        mecenat = sum(offer.engagement == Engagement.MECENAT for offer in self.offers)
        return [
            "Besoins et offres de compétences de démonstration",
            f"  {len(self.needs)} besoins (dont {statuses[Status.PUBLISHED]} publiés), "
            f"{len(self.offers)} offres de compétences",
            f"  Besoins : {statuses[Status.DRAFT]} brouillons, "
            f"{statuses[Status.COMPLETED]} terminés, {statuses[Status.CANCELLED]} annulés ; "
            f"{round(100 * priority / len(self.needs))} % portent sur les cinq compétences "
            "prioritaires de l'étude",
            "  Besoins par département : "
            + " · ".join(f"{label(code)} {by_departement[code]}" for code in HAUTS_DE_FRANCE),
            f"  Offres : {active} actives, {len(self.offers) - active} en pause ; "
            f"{mecenat} en mécénat, {len(self.offers) - mecenat} en bénévolat",
            "  Offres par département d'intervention : "
            + " · ".join(f"{label(code)} {acting[code]}" for code in HAUTS_DE_FRANCE),
        ]


def build_plan(today, now, accounts_plan=None, seed=SEED):
    """The demo's needs and offers, identical for the same seed and the same day."""
    accounts_plan = accounts_plan or accounts_demo.build_plan()
    return _MatchingPlanBuilder(random.Random(seed), accounts_plan, today, now).build()


def slots(shares, taken):
    """NEED_COUNT values dealt by their shares, less those already taken by the demo's needs."""
    values = [value for value, n in apportion(NEED_COUNT, shares).items() for _ in range(n)]
    for value in taken:
        values.remove(value)
    return values


def hauts_de_france_neighbours(code):
    """The région's départements that border this one."""
    return [n for n in NEIGHBOURS[code] if n in HAUTS_DE_FRANCE]


def fill(text, org):
    """The template with the structure's town, basin and intercommunalité."""
    return text.format(
        of_town=of_place(org.town),
        territory=org.territory,
        of_epci=EPCI_BY_TERRITORY.get(
            org.territory, f"de la Communauté d'agglomération {org.territory}"
        ),
    )


def fits(only, org):
    """Whether a need template fits the structure (see ASSOCIATIONS and RURAL)."""
    if only is None:
        return True
    if only == ASSOCIATIONS:
        return org.kind == Kind.ASSOCIATION
    if only == RURAL:
        return org.territory not in URBAN_TERRITORIES
    about = f"{org.name} {org.description}".lower()
    return any(word in about for word in only)


@dataclass(frozen=True)
class _Org:
    """A planned organisation with what the draw needs of it."""

    key: tuple
    kind: str
    name: str
    description: str
    departement: str
    town: str
    territory: str
    members: tuple


class _MatchingPlanBuilder:
    """Draws needs and offers from one seeded random generator."""

    def __init__(self, rng, accounts_plan, today, now):
        self.rng = rng
        self.today, self.now = today, now
        self.logins = {login.email for login in accounts_plan.logins}
        self.ess, self.employers = [], []
        territories = {
            (town, postcode): territory
            for towns in accounts_demo.TOWNS.values()
            for town, postcode, territory, _ in towns
        }
        active = {}
        for membership in accounts_plan.memberships:
            if membership.status == Membership.Status.ACTIVE:
                active.setdefault(membership.organisation_key, []).append(membership.email)
        for spec in accounts_plan.organisations:
            if spec.status != Organisation.Status.VERIFIED:
                continue
            org = _Org(
                key=spec.natural_key,
                kind=spec.kind,
                name=spec.name,
                description=spec.description,
                departement=spec.departement,
                town=spec.town,
                territory=territories[(spec.town, spec.postcode)],
                members=tuple(active.get(spec.natural_key, ())),
            )
            if not org.members:
                continue
            if spec.kind in (Kind.ASSOCIATION, Kind.OTHER_ESS):
                self.ess.append(org)
            elif spec.kind in (Kind.COMPANY, Kind.PUBLIC_BODY):
                self.employers.append(org)
        self.need_titles = set()  # (organisation key, title)
        self.needs_of = Counter()  # organisation key: how many needs it posted
        self.offer_titles = set()  # (e-mail, title)

    def build(self):
        needs = self.demo_needs()
        needs += self.needs(needs)
        offers = [self.demo_offer()]
        offers += self.offers(offers)
        return MatchingPlan(needs, offers)

    # Dates

    def days(self, days):
        return self.today + datetime.timedelta(days=days)

    def moment(self, days_ago_low, days_ago_high):
        """An aware date-time between those many days ago, always at least an hour ago."""
        minutes = self.rng.randint(days_ago_low * 24 * 60 + 60, days_ago_high * 24 * 60 + 60)
        return self.now - datetime.timedelta(minutes=minutes)

    def period(self, start_low, start_high):
        """A wished period starting in that window (days from today), lasting 1 to 6 months."""
        start = self.days(self.rng.randint(start_low, start_high))
        end = start + datetime.timedelta(days=30 * self.rng.randint(1, 6) + self.rng.randint(0, 9))
        # Every demo need is live: its period ends after today.
        return start, max(end, self.days(7))

    # Needs

    def demo_needs(self):
        """The printed treasurer's garden association: one published need, one draft."""
        org = next(org for org in self.ess if TREASURER_EMAIL in org.members)
        published_at = self.moment(11, 12)
        return [
            self.need_spec(
                org,
                TREASURER_EMAIL,
                NEED_TEMPLATES["modele-economique"][0],
                "modele-economique",
                ("comptabilite-finance", "mecenat-collecte"),
                remote_ok=True,
                format_=Format.MISSION,
                hours=20,
                period=(self.days(14), self.days(14 + 91)),
                status=Status.PUBLISHED,
                published_at=published_at,
                created_at=published_at - datetime.timedelta(days=2, hours=3),
            ),
            self.need_spec(
                org,
                TREASURER_EMAIL,
                NEED_TEMPLATES["fonction-employeur-rh"][0],
                "fonction-employeur-rh",
                (),
                remote_ok=False,
                format_=Format.SHORT_SESSION,
                hours=2,
                period=(self.days(30), self.days(30 + 61)),
                status=Status.DRAFT,
                published_at=None,
                created_at=self.moment(3, 4),
            ),
        ]

    def needs(self, demo_needs):
        """Needs of verified ESS structures, in proportion to where the structures are.

        Statuses and main skills are dealt exactly by their shares, so the demo's figures are
        round: 240 published needs out of 300, 60 % of them on the five priority skills.
        """
        statuses = slots(NEED_STATUS_SHARES, [need.status for need in demo_needs])
        skills = slots(NEED_SKILL_WEIGHTS, [need.main_skill for need in demo_needs])
        self.rng.shuffle(statuses)
        self.rng.shuffle(skills)
        posters = [org for org in self.ess if TREASURER_EMAIL not in org.members]
        needs = []
        for status, skill in zip(statuses, skills, strict=True):
            org, template = self.free_template(skill, posters)
            secondary = self.rng.sample(
                RELATED_SKILLS[skill], min(len(RELATED_SKILLS[skill]), self.secondary_count())
            )
            short = self.rng.random() < 0.25
            needs.append(
                self.need_spec(
                    org,
                    self.rng.choice(org.members),
                    template,
                    skill,
                    tuple(secondary),
                    remote_ok=self.rng.random() < 0.4,
                    format_=Format.SHORT_SESSION if short else Format.MISSION,
                    hours=2 if short else self.rng.choice(MISSION_HOURS),
                    **self.need_life(status),
                )
            )
        return needs

    def secondary_count(self):
        return self.rng.choices([0, 1, 2], weights=[25, 45, 30])[0]

    def free_template(self, skill, posters):
        """A structure with room for one more need, and a template of that skill it has not used."""
        while True:
            org = self.rng.choice(posters)
            if self.needs_of[org.key] >= MAX_NEEDS_PER_STRUCTURE:
                continue
            templates = [
                t
                for t in NEED_TEMPLATES[skill]
                if fits(t[2], org) and (org.key, fill(t[0], org)) not in self.need_titles
            ]
            if templates:
                return org, self.rng.choice(templates)

    def need_life(self, status):
        """Period, status and dates: published over the last 60 days, so waiting times vary."""
        if status == Status.COMPLETED:
            published_at = self.moment(40, 60)
            period = self.period(-30, -20)
        elif status == Status.DRAFT:
            published_at = None
            period = self.period(0, 60)
        elif status == Status.CANCELLED and self.rng.random() < 0.5:
            published_at = None  # given up before publication
            period = self.period(-30, 60)
        else:
            published_at = self.moment(0, 59)
            period = self.period(-30, 60)
        if published_at is None:
            created_at = self.moment(0, 25)
        else:
            created_at = published_at - datetime.timedelta(minutes=self.rng.randint(10, 7 * 1440))
        return {
            "period": period,
            "status": status,
            "published_at": published_at,
            "created_at": created_at,
        }

    def need_spec(
        self, org, email, template, skill, secondary, *, remote_ok, format_, hours, period,
        status, published_at, created_at,
    ):  # fmt: skip
        title, ask, _ = template
        title = fill(title, org)
        self.need_titles.add((org.key, title))
        self.needs_of[org.key] += 1
        return NeedSpec(
            organisation_key=org.key,
            email=email,
            title=title,
            description=self.need_description(
                org, fill(ask, org), remote_ok, format_, hours, hiring=title == BEFORE_FIRST_HIRE
            ),
            main_skill=skill,
            secondary_skills=secondary,
            departement=org.departement,
            remote_ok=remote_ok,
            format=format_,
            estimated_hours=hours,
            wished_start=period[0],
            wished_end=period[1],
            status=status,
            published_at=published_at,
            created_at=created_at,
        )

    def need_description(self, org, ask, remote_ok, format_, hours, hiring=False):
        """Who we are, what we ask, how much time, where: as a structure would write it."""
        staff = self.rng.choices(list(STAFF_SIZES), weights=list(STAFF_SIZES.values()))[0]
        volunteers = f"{self.rng.choice(VOLUNTEER_SIZES)} de bénévoles"
        if hiring:
            team = volunteers
        elif org.kind == Kind.ASSOCIATION:
            team = f"{staff} et {volunteers}"
        else:
            team = staff
        who = f"{org.description} Nous sommes {team}, à {org.town}."
        if format_ == Format.SHORT_SESSION:
            time = (
                "Une session d'environ deux heures nous suffirait pour y voir plus clair et "
                "repartir avec une feuille de route."
            )
        else:
            time = (
                f"Nous imaginons une mission d'environ {hours} heures, étalée sur quelques "
                "semaines, avec un point d'étape régulier."
            )
        where = (
            "Les échanges peuvent se faire en visioconférence."
            if remote_ok
            else f"Nous préférons travailler sur place, dans nos locaux {of_place(org.town)}."
        )
        return "\n\n".join([who, ask, f"{time} {where}"])

    # Offers

    def demo_offer(self):
        """The printed volunteer: a management controller at a digital services firm in Lille."""
        org = next(org for org in self.employers if VOLUNTEER_EMAIL in org.members)
        title = "Contrôle de gestion et comptabilité pour les associations"
        self.offer_titles.add((VOLUNTEER_EMAIL, title))
        return OfferSpec(
            email=VOLUNTEER_EMAIL,
            organisation_key=org.key,
            title=title,
            description=(
                f"Douze ans d'expérience en contrôle de gestion, aujourd'hui chez {org.name} à "
                f"{org.town}. Coût complet des activités, tableau de bord mensuel, budget "
                "prévisionnel, clôture des comptes : j'aide les trésoriers et les équipes à "
                "piloter avec des outils simples.\n\nMon employeur m'accorde ce temps dans le "
                "cadre du mécénat de compétences : environ 8 heures par mois. Visioconférence "
                "possible, et déplacements dans le Nord et le Pas-de-Calais."
            ),
            engagement=Engagement.MECENAT,
            remote_ok=True,
            hours_per_month=8,
            available_from=self.days(-21),
            available_until=None,
            is_active=True,
            skills=(
                ("controle-gestion", Level.EXPERT),
                ("comptabilite-finance", Level.CONFIRMED),
            ),
            departements=("59", "62"),
            created_at=self.moment(22, 23),
        )

    def offers(self, demo_offers):
        """Offers by employer's département in the target shares (Nord far ahead of Aisne)."""
        quotas = apportion(OFFER_COUNT, OFFER_DEPARTEMENT_SHARES)
        quotas["59"] -= len(demo_offers)  # the printed volunteer works in Lille
        offers = []
        for code, quota in quotas.items():
            pool = [
                (email, org)
                for org in self.employers
                if org.departement == code
                for email in org.members
                if email not in self.logins
            ]
            chosen = self.rng.sample(pool, min(quota, len(pool)))
            # Where volunteers are too few for the quota, some give a second offer.
            chosen += self.rng.choices(pool, k=quota - len(chosen))
            offers += [self.offer(email, org) for email, org in chosen]
        # One offer in ten is paused by its volunteer (busy season, holidays…).
        for index in self.rng.sample(range(len(offers)), round(OFFER_COUNT * PAUSED_SHARE)):
            offers[index] = replace(offers[index], is_active=False)
        return offers

    def offer(self, email, org):
        sector = (
            "public"
            if org.kind == Kind.PUBLIC_BODY
            else SECTOR_BY_DESCRIPTION.get(org.description, "general")
        )
        weights = PROFILE_WEIGHTS[sector]
        while True:
            key = self.rng.choices(list(weights), weights=list(weights.values()))[0]
            _, phrase, titles, skills, pitch = PROFILE_BY_KEY[key]
            title = self.rng.choice(titles)
            if (email, title) not in self.offer_titles:
                break
        self.offer_titles.add((email, title))
        count = self.rng.choices([1, 2, 3], weights=[30, 45, 25])[0]
        chosen = [skills[0], *self.rng.sample(skills[1:], count - 1)]
        levels = [self.level(MAIN_LEVEL_WEIGHTS)] + [
            self.level(OTHER_LEVEL_WEIGHTS) for _ in chosen[1:]
        ]
        public = org.kind == Kind.PUBLIC_BODY
        mecenat = self.rng.random() < (0.5 if public else 0.8)
        remote_ok = self.rng.random() < 0.5
        hours = self.rng.choices(HOURS_PER_MONTH, weights=HOURS_PER_MONTH_WEIGHTS)[0]
        available_from = self.days(
            self.rng.randint(1, 30) if self.rng.random() < 0.15 else -self.rng.randint(0, 120)
        )
        available_until = None
        if self.rng.random() < 0.5:
            months = self.rng.randint(3, 12)
            available_until = max(
                available_from + datetime.timedelta(days=30 * months), self.days(30)
            )
        created_days_ago = max(0, (self.today - available_from).days) + self.rng.randint(0, 20)
        years = self.rng.choice(["Cinq", "Huit", "Dix", "Douze", "Quinze", "Vingt"])
        description = "\n\n".join(
            [
                f"{years} ans d'expérience {phrase}, aujourd'hui chez {org.name} à {org.town}. "
                + pitch,
                (
                    "Mon employeur m'accorde ce temps dans le cadre du mécénat de compétences : "
                    f"environ {hours} heures par mois."
                    if mecenat
                    else f"Je donne ce temps bénévolement, en dehors de mon travail : environ "
                    f"{hours} heures par mois, plutôt en soirée ou le samedi matin."
                )
                + (
                    " Visioconférence possible."
                    if remote_ok
                    else " Je préfère rencontrer les équipes sur place."
                ),
            ]
        )
        return OfferSpec(
            email=email,
            organisation_key=org.key,
            title=title,
            description=description,
            engagement=Engagement.MECENAT if mecenat else Engagement.BENEVOLAT,
            remote_ok=remote_ok,
            hours_per_month=hours,
            available_from=available_from,
            available_until=available_until,
            is_active=True,
            skills=tuple(zip(chosen, levels, strict=True)),
            departements=self.areas(org.departement),
            created_at=self.moment(created_days_ago, created_days_ago + 1),
        )

    def level(self, weights):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def areas(self, home):
        """The employer's département, sometimes its neighbours, now and then the whole région."""
        draw = self.rng.random()
        if draw < 0.1:
            return HAUTS_DE_FRANCE
        if draw < 0.35:
            neighbours = hauts_de_france_neighbours(home)
            how_many = self.rng.choices([1, 2], weights=[70, 30])[0]
            extra = self.rng.sample(neighbours, min(len(neighbours), how_many))
            return tuple(sorted([home, *extra]))
        return (home,)
