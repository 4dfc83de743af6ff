"""The skills catalogue: the five priority areas of the 2019 study first, then the others."""

from django.db import migrations

# (domain code, French name, English name, [(skill code, FR, EN, description FR, description EN,
#  priority)])
CATALOGUE = [
    ("rh", "Ressources humaines et fonction employeur", "Human resources and the employer function", [
        ("fonction-employeur-rh", "Fonction employeur / RH", "Employer function / HR",
         "Organiser le travail des salariés, contrats, entretiens, obligations de l'employeur.",
         "Organising staff work, contracts, reviews, the employer's obligations.", True),
        ("recrutement", "Recrutement", "Recruitment",
         "Définir un poste, rédiger une offre, mener des entretiens.",
         "Defining a job, writing an advert, running interviews.", False),
        ("droit-du-travail", "Droit du travail et paie", "Employment law and payroll",
         "Convention collective, paie, temps de travail, rupture de contrat.",
         "Collective agreements, payroll, working time, ending a contract.", False),
        ("formation-competences", "Formation et développement des compétences",
         "Training and skills development",
         "Plan de développement des compétences, financement de la formation.",
         "Skills development plans, funding training.", False),
    ]),
    ("juridique", "Droit et réglementation", "Law and regulation", [
        ("veille-reglementaire", "Veille réglementaire", "Regulatory watch",
         "Suivre les évolutions législatives et réglementaires qui concernent la structure.",
         "Following the legal and regulatory changes that affect the organisation.", True),
        ("droit-associations", "Droit des associations et statuts", "Non-profit law and statutes",
         "Statuts, assemblées générales, responsabilité des dirigeants.",
         "Statutes, general meetings, board members' liability.", False),
        ("rgpd", "Protection des données (RGPD)", "Data protection (GDPR)",
         "Registre des traitements, consentement, droits des personnes.",
         "Records of processing, consent, data subjects' rights.", False),
    ]),
    ("strategie", "Stratégie, gouvernance et modèle économique",
     "Strategy, governance and business model", [
        ("modele-economique", "Modèle économique", "Business model",
         "Diversifier les ressources, équilibrer activités et financements.",
         "Diversifying income, balancing activities and funding.", True),
        ("gouvernance-strategie", "Gouvernance et stratégie", "Governance and strategy",
         "Projet associatif, rôle du conseil d'administration, plan stratégique.",
         "The organisation's project, the board's role, strategic planning.", False),
        ("evaluation-impact", "Évaluation de l'impact social", "Social impact evaluation",
         "Indicateurs, mesure et valorisation de l'utilité sociale.",
         "Indicators, measuring and showing social value.", False),
    ]),
    ("financements", "Financements publics et commande publique", "Public funding and procurement", [
        ("fonds-europeens", "Fonds européens", "EU funds",
         "FSE+, FEDER, LEADER : monter et suivre un dossier de financement européen.",
         "ESF+, ERDF, LEADER: preparing and managing an EU funding application.", True),
        ("commande-publique", "Commande publique", "Public procurement",
         "Répondre aux marchés publics, clauses sociales, réservation de marchés.",
         "Answering public tenders, social clauses, reserved contracts.", True),
        ("subventions", "Subventions publiques", "Public grants",
         "Trouver et rédiger des demandes de subvention, rendre compte.",
         "Finding and writing grant applications, reporting.", False),
    ]),
    ("finance", "Finance et gestion", "Finance and management", [
        ("comptabilite-finance", "Comptabilité et finance", "Accounting and finance",
         "Tenue des comptes, budget prévisionnel, clôture, plan de trésorerie.",
         "Bookkeeping, budgets, year-end closing, cash-flow planning.", False),
        ("controle-gestion", "Contrôle de gestion", "Management control",
         "Coûts par activité, tableaux de bord, suivi budgétaire.",
         "Activity costing, dashboards, budget monitoring.", False),
    ]),
    ("ressources", "Mécénat et collecte de fonds", "Sponsorship and fundraising", [
        ("mecenat-collecte", "Recherche de mécénat et collecte de fonds", "Sponsorship and fundraising",
         "Approcher des entreprises mécènes, campagnes de dons, reçus fiscaux.",
         "Approaching corporate sponsors, donation campaigns, tax receipts.", False),
    ]),
    ("communication", "Communication", "Communication", [
        ("communication", "Communication et relations presse", "Communication and press relations",
         "Plan de communication, messages clés, relations avec les médias.",
         "Communication plans, key messages, media relations.", False),
        ("reseaux-sociaux", "Réseaux sociaux", "Social media",
         "Ligne éditoriale, animation de communauté.",
         "Editorial line, community management.", False),
        ("graphisme", "Graphisme et supports", "Graphic design and materials",
         "Identité visuelle, plaquettes, affiches.",
         "Visual identity, brochures, posters.", False),
    ]),
    ("numerique", "Outils numériques", "Digital tools", [
        ("outils-numeriques", "Outils numériques et bureautique", "Digital and office tools",
         "Choisir et prendre en main des outils collaboratifs, tableurs, logiciels métier.",
         "Choosing and learning collaborative tools, spreadsheets, business software.", False),
        ("site-web", "Site web", "Website",
         "Créer ou refondre un site, référencement, accessibilité.",
         "Building or redesigning a website, search visibility, accessibility.", False),
        ("cybersecurite", "Cybersécurité", "Cybersecurity",
         "Sauvegardes, mots de passe, sensibilisation des équipes.",
         "Backups, passwords, raising staff awareness.", False),
    ]),
    ("projet", "Gestion de projet", "Project management", [
        ("gestion-projet", "Gestion de projet", "Project management",
         "Planifier, piloter et suivre un projet, animer une équipe projet.",
         "Planning, steering and tracking a project, leading a project team.", False),
        ("facilitation", "Animation et facilitation", "Facilitation",
         "Animer des réunions, des ateliers participatifs, de l'intelligence collective.",
         "Running meetings, participatory workshops, collective intelligence.", False),
    ]),
]  # fmt: skip


def load_catalogue(apps, schema_editor):
    SkillDomain = apps.get_model("matching", "SkillDomain")
    Skill = apps.get_model("matching", "Skill")
    for domain_position, (code, name_fr, name_en, skills) in enumerate(CATALOGUE):
        domain, _ = SkillDomain.objects.update_or_create(
            code=code,
            defaults={"name_fr": name_fr, "name_en": name_en, "position": domain_position},
        )
        for position, (skill_code, fr, en, desc_fr, desc_en, priority) in enumerate(skills):
            Skill.objects.update_or_create(
                code=skill_code,
                defaults={
                    "domain": domain, "name_fr": fr, "name_en": en, "description_fr": desc_fr,
                    "description_en": desc_en, "is_priority": priority, "position": position,
                },
            )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("matching", "0002_french_text_search")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
