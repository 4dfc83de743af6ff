"""The unread count shown in the header of every page."""


def unread_notifications(request):
    """The signed-in person's unread notifications: one COUNT query, none for anonymous."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .services import unread_count

    return {"unread_notifications": unread_count(user)}
