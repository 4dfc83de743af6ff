"""URLs of the observatory: territories."""

urlpatterns = []
