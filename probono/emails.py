"""E-mails: every message is a subject/text/html trio under templates/emails/, sent one way."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_email(name, context, recipients, language=None):
    """Render templates/emails/<name>_{subject.txt,body.txt,body.html} and send them."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
        text = render_to_string(f"emails/{name}_body.txt", context)
        html = render_to_string(f"emails/{name}_body.html", context)
    message = EmailMultiAlternatives(subject, text, to=list(recipients))
    message.attach_alternative(html, "text/html")
    message.send()
