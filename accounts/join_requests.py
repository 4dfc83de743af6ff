"""Requests to join a structure: asking, and an administrator's answer. Each side hears of it
by e-mail once the transaction commits (accounts.tasks, ids only): the structure's
administrators when someone asks, the person who asked when it is accepted or refused. A
broker outage never fails the request: the e-mail is lost, the request and its answer are
not (both show on the structure's page and on the person's home page).
"""

from django.db import transaction
from django.db.models import Exists, OuterRef

from .models import Membership


def _enqueue(task, *args):
    from probono.celery import enqueue_after_commit

    enqueue_after_commit(task, *args)


class NoAdministrator(Exception):
    """The structure has no active administrator: nobody could answer a request."""


def answerable():
    """An expression for Organisation querysets: whether someone could answer a request to
    join it (it has an active administrator)."""
    return Exists(
        Membership.objects.active().filter(organisation=OuterRef("pk"), role=Membership.Role.ADMIN)
    )


def ask(user, organisation):
    """(membership, created): a request of `user` to join `organisation`, made once; its
    administrators are e-mailed when it is new. NoAdministrator, and nothing created, when it
    has none to answer: the request would wait forever."""
    from .tasks import send_join_request_email

    with transaction.atomic():
        existing = Membership.objects.filter(user=user, organisation=organisation).first()
        if existing is not None:
            return existing, False
        admins = list(
            organisation.memberships.active()
            .filter(role=Membership.Role.ADMIN)
            .values_list("user_id", flat=True)
        )
        if not admins:
            raise NoAdministrator
        membership, created = Membership.objects.get_or_create(user=user, organisation=organisation)
        if created:
            for admin_id in admins:
                _enqueue(send_join_request_email, membership.pk, admin_id)
    return membership, created


def answer(membership, accept):
    """Accept or refuse a request still waiting; False when another answer came first.
    The person who asked is e-mailed the answer."""
    from .tasks import send_join_answer_email

    with transaction.atomic():
        done = membership.approve() if accept else membership.refuse()
        if done:
            _enqueue(send_join_answer_email, membership.user_id, membership.organisation_id, accept)
    return done
