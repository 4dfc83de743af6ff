"""The REST API under /api/: each app's endpoints, the OpenAPI schema and its docs page."""

urlpatterns = []
