"""URLs of the observatory: mecenat."""

urlpatterns = []
