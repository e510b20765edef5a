"""Move the kept passages of cases onto the one keyed hash every app uses (``pii.finding_key``).

A stored hash is re-keyed when the case still holds the very same text at the recorded place
(checked against the previous keyed hash); otherwise (an attachment page, a text changed since)
the row is deleted: a hash that can no longer be re-keyed is worth less than the risk it carries.
"""

from django.db import migrations
from django.utils.crypto import salted_hmac

PREVIOUS = "portal.casereviews.PersonalDataConfirmation.text_hash"


def rekey(apps, schema_editor):
    from portal.core import pii

    Confirmation = apps.get_model("casereviews", "PersonalDataConfirmation")
    for row in list(Confirmation.objects.select_related("case")):
        text = str(getattr(row.case, row.field, "") or "")[row.start : row.end]
        same = text and salted_hmac(PREVIOUS, text, algorithm="sha256").hexdigest() == row.text_hash
        if not same:
            row.delete()
            continue
        finding = pii.Finding(start=row.start, end=row.end, kind=row.kind, text=text)
        row.text_hash = pii.finding_key(row.field, finding)
        row.save(update_fields=["text_hash"])


class Migration(migrations.Migration):
    dependencies = [("casereviews", "0005_list_indexes")]

    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
