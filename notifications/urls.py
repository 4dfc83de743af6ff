"""Inbox and notification preferences."""

from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.inbox, name="notification_inbox"),
    path("notifications/<int:pk>/", views.follow, name="notification_follow"),
    path("notifications/tout-lu/", views.mark_all_read, name="notification_mark_all_read"),
    path("notifications/preferences/", views.preferences, name="notification_preferences"),
]
