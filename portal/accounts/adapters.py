"""allauth adapters: no open sign-up, mail through the outbox, MFA secrets encrypted at rest."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.functional import cached_property

from portal.core import outbox


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are created only by accepting an invitation (accounts.services.invitation_accept).
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Password resets, verification codes and security notices go through the outbox too."""
        request = context.get("request") or getattr(self, "request", None)
        ctx = {"email": email, **context}
        if request is not None:
            from django.contrib.sites.shortcuts import get_current_site

            ctx.setdefault("request", request)
            ctx.setdefault("current_site", get_current_site(request))
        message = self.render_mail(template_prefix, email, ctx)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []) or []:
            if mimetype == "text/html":
                html = content
        outbox.queue_email(
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            kind=template_prefix,
        )


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored Fernet-encrypted (keys in settings)."""

    PREFIX = "fernet:"

    @cached_property
    def _fernet(self) -> MultiFernet:
        keys = settings.MFA_ENCRYPTION_KEYS
        if not keys:
            raise RuntimeError("MFA_ENCRYPTION_KEYS is empty")
        return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])

    def encrypt(self, text: str) -> str:
        return self.PREFIX + self._fernet.encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(self.PREFIX):
            raise ValueError("MFA secret is not encrypted")
        try:
            return self._fernet.decrypt(encrypted_text[len(self.PREFIX) :].encode()).decode()
        except InvalidToken as exc:
            raise ValueError("MFA secret cannot be decrypted with the configured keys") from exc
