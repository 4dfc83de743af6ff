"""The published needs of verified structures, for anyone, signed in or not: a list filtered
by département and skill (the API's queryset and NeedFilter, matching/filters.py) and a page
per need, with its tags for sharing and the call to act, « Je propose mes compétences ».

Never a draft, nor the need of a structure the CRESS has not verified or has suspended (a 404),
never a person's name, e-mail address or phone number: only what the API's public serializer
shows (matching/serializers.py, PublishedNeedSerializer).

A shared link outlives the need: once a published need is no longer open (a pair found, done,
cancelled, expired), its address answers 410 Gone, « Ce besoin n'est plus ouvert », with the
open needs of the same département and skill. 410 rather than 404: the page did exist and is
gone on purpose, which tells search engines to drop it; the visitor gets a page either way.
Only for a need that was public (published_at set) of a structure still verified: a draft, or
any need of a registered or suspended structure, stays the plain 404 that shows nothing.
"""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.departements import label
from accounts.models import Organisation
from pages.sharing import absolute, sharing

from .filters import NeedFilter, published_needs
from .models import Need
from .views import paginate

SITEMAP_LIMIT = 50_000  # the most a sitemap file may list (sitemaps.org)
NEARBY = 5  # open needs shown on a gone need's page
# A need no longer open, once published: its shared link answers 410 with what is open near it.
NO_LONGER_OPEN = (
    Need.Status.MATCHED,
    Need.Status.IN_PROGRESS,
    Need.Status.COMPLETED,
    Need.Status.CANCELLED,
    Need.Status.EXPIRED,
)


@require_safe
def public_needs(request):
    """The published needs, newest first; the filters live in the URL, a link to share."""
    needs = NeedFilter(request.GET, queryset=published_needs())
    page, querystring = paginate(request, needs.qs)
    title = list_title(needs.form.cleaned_data if needs.is_valid() else {})
    shared_query = request.GET.copy()
    shared_query.pop("page", None)
    path = reverse("public_needs") + shared_filters(needs, request.GET)
    description = _(
        "Les besoins des associations, coopératives et fondations vérifiées par la CRESS, qui "
        "cherchent des salariés et des agents publics pour partager leurs compétences."
    )
    return render(
        request,
        "matching/public_need_list.html",
        {
            "filter": needs,
            "page": page,
            "querystring": querystring,
            "filtered": bool(shared_query),
            "sharing": sharing(title, description, path),
        },
    )


def shared_filters(needs, query):
    """The query string to share: the valid filters chosen, in the form's order; not the
    empty fields the form sends, nor the order, the page or a tracker picked up on the way."""
    if not needs.is_valid():
        return ""
    chosen = {
        name: query[name]
        for name, value in needs.form.cleaned_data.items()
        if name != "ordering" and value not in (None, "") and query.get(name)
    }
    return f"?{urlencode(chosen)}" if chosen else ""


def list_title(filters):
    """The list's title, and its shared one: the skill and the département it is filtered by."""
    skill, departement = filters.get("skill"), filters.get("departement")
    if skill and departement:
        return _("Besoins publiés : %(skill)s, %(departement)s") % {
            "skill": skill.name,
            "departement": label(departement),
        }
    if skill:
        return _("Besoins publiés : %(skill)s") % {"skill": skill.name}
    if departement:
        return _("Besoins publiés : %(departement)s") % {"departement": label(departement)}
    return _("Besoins publiés des structures de l'ESS")


@require_safe
def public_need(request, pk):
    """One published need of a verified structure, and what a visitor does to answer it."""
    need = published_needs().filter(pk=pk).first()
    if need is None:
        return no_longer_open(request, pk)
    path = reverse("public_need", args=[need.pk])
    return render(
        request,
        "matching/public_need_detail.html",
        {
            "need": need,
            "secondary_skills": list(need.secondary_skills.all()),
            "sharing": sharing(need.title, need.description, path, kind="article"),
            "call": call_to_act(request.user, need, path),
        },
    )


def no_longer_open(request, pk):
    """410 for a need once published by a structure still verified and now closed, with the
    open needs of its département and skill; a 404 for anything else (nothing shown)."""
    need = (
        Need.objects.with_list_columns()
        .filter(
            status__in=NO_LONGER_OPEN,
            published_at__isnull=False,
            organisation__status=Organisation.Status.VERIFIED,
        )
        .filter(pk=pk)
        .first()
    )
    if need is None:
        raise Http404
    near = {"departement": need.departement, "skill": need.main_skill_id}
    nearby = NeedFilter(near, queryset=published_needs()).qs[:NEARBY]
    lists = reverse("public_needs")
    return render(
        request,
        "matching/public_need_closed.html",
        {
            "need": need,
            "nearby": list(nearby),
            "both": f"{lists}?{urlencode(near)}",
            "same_departement": f"{lists}?{urlencode({'departement': need.departement})}",
            "same_skill": f"{lists}?{urlencode({'skill': need.main_skill_id})}",
        },
        status=410,
    )


@require_safe
def public_needs_sitemap(request):
    """A sitemap (sitemaps.org) of the public list and of every published need, for search
    engines: full addresses on SITE_URL, each need's last change."""
    needs = published_needs().prefetch_related(None).values_list("pk", "updated_at")
    entries = [(absolute(reverse("public_needs")), None)] + [
        (absolute(reverse("public_need", args=[pk])), updated_at)
        for pk, updated_at in needs[:SITEMAP_LIMIT]
    ]
    return render(
        request,
        "pages/sitemap.xml",
        {"entries": entries},
        content_type="application/xml; charset=utf-8",
    )


def call_to_act(user, need, path):
    """Who the visitor is decides the call: sign up (or log in) and come back, confirm the
    address, join an employer, raise a hand on the need's own page, or no button at all."""
    if not user.is_authenticated:
        back = urlencode({"next": path})
        return {
            "kind": "anonymous",
            "signup": f"{reverse('signup')}?{back}",
            "login": f"{reverse('login')}?{back}",
        }
    if user.email_confirmed_at is None:
        return {"kind": "unconfirmed"}
    if user.is_member_of(need.organisation):
        return {"kind": "own_structure", "url": need.get_absolute_url()}
    roles = user.roles
    if roles.volunteer:
        return {"kind": "volunteer", "url": need.get_absolute_url()}
    if roles.cress_staff:
        return {"kind": "staff", "url": need.get_absolute_url()}
    if roles.association_member:
        return {"kind": "association"}
    waiting = user.memberships.pending().select_related("organisation").first()
    if waiting is not None:
        return {"kind": "waiting", "organisation": waiting.organisation}
    back = urlencode({"next": path})
    return {"kind": "no_employer", "join": f"{reverse('organisation_join')}?{back}"}
