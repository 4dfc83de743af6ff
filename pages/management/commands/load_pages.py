"""Load the public pages and the FAQ from pages/content/ (see pages/services.py).

Run at every start (make run through seed_demo, the production web container): it creates what
is missing and refreshes what staff never edited; a text the CRESS edited is never overwritten.
"""

from django.core.management.base import BaseCommand

from pages.services import CONTENT_DIR, load_pages


class Command(BaseCommand):
    help = (
        "Charge les pages d'information et la foire aux questions depuis pages/content/ : "
        "crée celles qui manquent, ne remplace jamais un texte modifié par la CRESS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(CONTENT_DIR), help="Dossier du contenu.")

    def handle(self, *args, directory, **options):
        report = load_pages(directory)
        for label, counts in (("Pages", report.pages), ("Questions", report.questions)):
            self.stdout.write(
                f"{label} : {counts['created']} créée(s), {counts['updated']} mise(s) à jour, "
                f"{counts['kept']} gardée(s) telles que la CRESS les a modifiées, "
                f"{counts['unchanged']} inchangée(s)."
            )
