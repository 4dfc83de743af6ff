"""Run a full matching pass now, in this process: for operators and the local demo."""

from django.core.management.base import BaseCommand

from matching import matcher
from matching.models import MatchingRun


class Command(BaseCommand):
    help = (
        "Lance un passage complet du moteur de mise en relation dans ce processus, sans "
        "passer par Celery. Sans effet sur les besoins déjà pourvus."
    )

    def handle(self, *args, **options):
        parent = matcher.run_full_pass_in_process(MatchingRun.Trigger.MANUAL)
        self.stdout.write(
            f"Passage complet : {parent.needs_considered} besoins examinés, "
            f"{parent.proposals_created} propositions créées ({parent.get_status_display()})."
        )
