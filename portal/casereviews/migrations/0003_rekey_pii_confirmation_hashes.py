"""Replace the unsalted SHA-256 of confirmed passages (reversible for phone numbers and birthdates
by hashing every candidate) with the keyed hash, and drop the confirmations of purged cases.

A stored hash is re-keyed only when the case still holds the very same text at the recorded place
(checked against the old hash); otherwise it is blanked: a hash that can no longer be re-keyed is
worth less than the risk it carries.
"""

import hashlib

from django.db import migrations
from django.utils.crypto import salted_hmac

PURPOSE = "portal.casereviews.PersonalDataConfirmation.text_hash"


def rekey(apps, schema_editor):
    Confirmation = apps.get_model("casereviews", "PersonalDataConfirmation")
    Confirmation.objects.filter(case__purged_at__isnull=False).delete()
    for row in Confirmation.objects.select_related("case").iterator():
        text = (getattr(row.case, row.field, "") or "")[row.start : row.end]
        same = text and hashlib.sha256(text.encode()).hexdigest() == row.text_hash
        row.text_hash = salted_hmac(PURPOSE, text, algorithm="sha256").hexdigest() if same else ""
        row.save(update_fields=["text_hash"])


class Migration(migrations.Migration):
    dependencies = [("casereviews", "0002_case_case_newest_first")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
