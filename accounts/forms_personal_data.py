"""The form that confirms a person's own account deletion with their password."""

from django.utils.translation import gettext_lazy as _

from .forms import PasswordAgainForm


class AccountDeleteForm(PasswordAgainForm):
    """The password again: a session left open is not enough to delete an account."""

    wrong_password = _("Mot de passe incorrect : votre compte n'a pas été supprimé.")
