"""URLs of the observatory: exports."""

urlpatterns = []
