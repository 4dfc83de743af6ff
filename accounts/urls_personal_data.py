"""A person's own data (GDPR): download it, delete the account."""

urlpatterns = []
