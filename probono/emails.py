"""E-mails: every message is a subject/text/html trio under templates/emails/, sent one way."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation


def render_plain_text(template_name, context):
    """Render a subject or text part: plain text, so nothing in it is HTML-escaped.

    A need titled « L'atelier » must arrive as typed, not as « L&#x27;atelier ».
    """
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render_email(name, context):
    """The subject (one line), text and HTML parts of templates/emails/<name>_*."""
    subject = " ".join(render_plain_text(f"emails/{name}_subject.txt", context).split())
    text = render_plain_text(f"emails/{name}_body.txt", context)
    html = render_to_string(f"emails/{name}_body.html", context)
    return subject, text, html


def send_templated_email(name, context, recipients, language=None):
    """Render templates/emails/<name>_{subject.txt,body.txt,body.html} and send them."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject, text, html = render_email(name, context)
    message = EmailMultiAlternatives(subject, text, to=list(recipients))
    message.attach_alternative(html, "text/html")
    message.send()
