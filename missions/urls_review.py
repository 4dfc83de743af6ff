"""CRESS staff: the review queue, proposal review, notes, the to-handle-first view."""

urlpatterns = []
