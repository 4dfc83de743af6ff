"""Template context shared by every page."""


def roles(request):
    """The signed-in person's roles, for navigation; computed from one query per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"roles": None}
    return {"roles": user.roles}
