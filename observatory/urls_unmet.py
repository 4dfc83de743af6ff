"""URLs of the observatory: unmet."""

urlpatterns = []
