import json
import sys

from django.core.management.base import BaseCommand

from portal.core.pii import scan


class Command(BaseCommand):
    help = (
        "Read UTF-8 text on stdin and print the personal-data findings as JSON: "
        '[{"kind", "start", "end", "text"}] with character offsets.'
    )

    def handle(self, *args, **options):
        text = sys.stdin.buffer.read().decode("utf-8")
        findings = [f.as_dict() for f in scan(text)]
        self.stdout.write(json.dumps(findings, ensure_ascii=False))
