"""Password reset by email: links from the site's own address, and a mail failure that
changes nothing the visitor sees (whether the account exists stays unsaid)."""

from __future__ import annotations

from django.contrib.auth import forms as auth_forms
from django.core.mail import EmailMultiAlternatives
from django.template import loader

from . import mailing, site


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form; its link starts with SITE_URL in production, never the Host."""

    def save(self, *args, **kwargs):
        configured = site.site_domain_and_scheme()
        if configured is not None:
            domain, scheme = configured
            kwargs["domain_override"] = domain
            kwargs["use_https"] = scheme == "https"
        return super().save(*args, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Send the reset email; a failing mail server is logged (no address), never raised."""
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        if html_email_template_name is not None:
            html = loader.render_to_string(html_email_template_name, context)
            message.attach_alternative(html, "text/html")
        mailing.deliver(message, what=f"Password reset for user {context['user'].pk}")
