"""The site's URLs with two views that fail, one on a page and one under /api/: how a server
error is answered (tests.probono.test_server_error)."""

from django.urls import path

from probono import urls
from probono.urls import handler400, handler500  # noqa: F401 - the site's own handlers


def fail(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("en-panne/", fail),
    path("api/en-panne/", fail),
    *urls.urlpatterns,
]
