"""Replace the unkeyed SHA-256 of the passages a municipality confirmed (reversible for names and
phone numbers by hashing every candidate) with the keyed ``pii.finding_key``, and drop the
confirmations of purged referrals.

A stored hash is re-keyed only when the guard still finds a passage of the same kind in the same
field whose old hash matches; otherwise the row is deleted: a hash that can no longer be re-keyed
is worth less than the risk it carries.
"""

import hashlib

from django.db import migrations


def _rekey(rows, owner, field_text):
    from portal.core import pii

    for row in rows:
        text = field_text(getattr(row, owner), row.field)
        match = next(
            (
                f
                for f in pii.scan(text)
                if f.kind == row.kind and hashlib.sha256(f.text.encode()).hexdigest() == row.text_hash
            ),
            None,
        )
        if match is None:
            row.delete()
        else:
            row.text_hash = pii.finding_key(row.field, match)
            row.save(update_fields=["text_hash"])


def rekey(apps, schema_editor):
    Referral = apps.get_model("outreach", "ReferralConfirmation")
    Booking = apps.get_model("outreach", "BookingConfirmation")
    Referral.objects.filter(referral__purged_at__isnull=False).delete()
    Booking.objects.filter(booking__purged_at__isnull=False).delete()

    def text(obj, field):
        return str(getattr(obj, field, "") or "")

    _rekey(list(Referral.objects.select_related("referral")), "referral", text)
    _rekey(list(Booking.objects.select_related("booking")), "booking", text)


class Migration(migrations.Migration):
    dependencies = [("outreach", "0003_slotbooking_purged_at")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
