"""The inbox (newest first, unread marked), following a notification, and preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import PreferenceForm
from .models import Notification, Preference
from .services import mark_read

PAGE_SIZE = 30


@login_required
def inbox(request):
    """A person's notifications, newest first; the unread count comes from the header's."""
    page = Paginator(Notification.objects.for_inbox(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
def follow(request, pk):
    """Mark a notification read, then go where it points: only ever a path of this site."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    mark_read(request.user, notification.pk)
    return redirect(local_path(notification.url) or "notification_inbox")


def local_path(url):
    """The URL if it is a path on this site ("/missions/3/"), else "" (no open redirect)."""
    if not url.startswith("/") or url.startswith("//"):
        return ""
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=False):
        return ""
    return url


@login_required
@require_POST
def mark_all_read(request):
    count = mark_read(request.user)
    if count:
        messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return redirect("notification_inbox")


@login_required
def preferences(request):
    """Immediate e-mails or a daily digest."""
    preference = Preference.objects.filter(user=request.user).first() or Preference(
        user=request.user
    )
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        # update_or_create rather than form.save(): two tabs saving at once must not collide
        # on the one-preference-per-person constraint.
        Preference.objects.update_or_create(
            user=request.user, defaults={"email_mode": form.cleaned_data["email_mode"]}
        )
        messages.success(request, _("Vos préférences de notification sont enregistrées."))
        return redirect("notification_preferences")
    return render(request, "notifications/preferences.html", {"form": form})
