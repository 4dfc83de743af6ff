"""Inbox and notification preferences."""

urlpatterns = []
