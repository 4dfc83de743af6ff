"""Filled by issue 12's parts."""

urlpatterns = []
