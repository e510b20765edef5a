"""Re-encrypt every stored TOTP secret and recovery-code seed with the newest MFA_ENCRYPTION_KEYS key.

Rotation (README, "Runbook"): put the new key first and keep the old one after it
(MFA_ENCRYPTION_KEYS=new,old), restart, run this command, then remove the old key and restart again.
Nobody has to enrol their authenticator again. The configured MFA adapter (settings.MFA_ADAPTER)
does the encryption, so this command holds no key logic of its own.
"""

from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from django.core.management.base import BaseCommand
from django.db import transaction

ENCRYPTED_FIELDS = ("secret", "seed")  # TOTP secret, recovery codes' seed


class Command(BaseCommand):
    help = "Re-encrypt TOTP secrets and recovery seeds with the first key of MFA_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        adapter = get_adapter()
        rotated = 0
        kinds = [Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
        ids = list(Authenticator.objects.filter(type__in=kinds).values_list("pk", flat=True))
        for pk in ids:
            with transaction.atomic():
                authenticator = Authenticator.objects.select_for_update().get(pk=pk)
                data = dict(authenticator.data)
                changed = False
                for field in ENCRYPTED_FIELDS:
                    if isinstance(data.get(field), str):
                        data[field] = adapter.encrypt(adapter.decrypt(data[field]))
                        changed = True
                if changed:
                    authenticator.data = data
                    authenticator.save(update_fields=["data"])
                    rotated += 1
        self.stdout.write(f"{rotated} authenticators re-encrypted with the newest key")
