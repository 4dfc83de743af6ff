"""Requests to join a structure: asking, and an administrator's answer. Each side hears of it
by e-mail once the transaction commits (accounts.tasks, ids only): the structure's
administrators when someone asks, the person who asked when it is accepted or refused. A
broker outage never fails the request: the e-mail is lost, the request and its answer are
not (both show on the structure's page and on the person's home page).
"""

from django.db import transaction

from .models import Membership


def _enqueue(task, *args):
    from probono.celery import enqueue_after_commit

    enqueue_after_commit(task, *args)


def ask(user, organisation):
    """(membership, created): a request of `user` to join `organisation`, made once; its
    administrators are e-mailed when it is new."""
    from .tasks import send_join_request_email

    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, organisation=organisation)
        if created:
            admins = organisation.memberships.active().filter(role=Membership.Role.ADMIN)
            for admin_id in admins.values_list("user_id", flat=True):
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
