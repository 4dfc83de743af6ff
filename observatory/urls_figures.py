"""URLs of the observatory: figures."""

urlpatterns = []
