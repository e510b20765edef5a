"""The portal's side of the restore drill (scripts/restore_drill.sh), run with the production settings
against the drill's PostgreSQL and MEDIA_ROOT.

    drill_portal.py write PHASE STATE.json   a case with an uploaded file and a training registration,
                                             made through the portal's services as a municipal user would
    drill_portal.py files FILES.json         sha256 of every file a row of the database names
    drill_portal.py verify STATE.json FILES.json PRESENT_PHASES ABSENT_PHASES
                                             after the restore: the rows of the present phases are there,
                                             those of the absent ones are not, and every file a restored row
                                             names is in MEDIA_ROOT with the checksum it had before the loss
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import models  # noqa: E402
from django.utils import timezone  # noqa: E402

USERS = ["hachioji@example.jp", "bunkyo@example.jp", "npo-a@example.jp", "npo-b@example.jp"]


def _pdf(marker: str) -> bytes:
    # a small valid PDF whose bytes differ per phase, so each checksum is its own
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"% " + marker.encode() + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def _registration(marker: str):
    from portal.accounts.models import User
    from portal.training import services as training
    from portal.training.models import Registration, Session
    from portal.training.permissions import eligibility

    now = timezone.now()
    sessions = Session.objects.filter(cancelled_at__isnull=True, starts_at__gt=now).order_by("starts_at")
    for email in USERS:
        user = User.objects.get(email=email)
        for session in sessions:
            if Registration.objects.filter(session=session, user=user).exists():
                continue
            if eligibility(user, session).ok:
                registration = training.register(
                    actor=user, session=session, accessibility=f"{marker} 車椅子で参加します"
                )
                return registration
    raise SystemExit("no training session open to a demo user: the demo data changed")


def write(phase: str, state_path: str) -> None:
    from portal.accounts.models import User
    from portal.casereviews import services as cases

    marker = f"drill-{phase}-{uuid.uuid4().hex[:8]}"
    author = User.objects.get(email="hachioji@example.jp")
    organization = author.memberships.get().organization
    case = cases.case_create(
        actor=author,
        organization=organization,
        data={
            "pseudonym": f"{marker}さん",
            "age_band": "30s",
            "gender": "male",
            "withdrawal_years": 5,
            "difficulty": f"本人に会えない。({marker})",
            "question": "本人との接点の作り方について助言がほしい。",
            "disciplines": ["medical"],
            "urgency": "normal",
            "consent": "family",
        },
        uploads_=[SimpleUploadedFile(f"{marker}.pdf", _pdf(marker), content_type="application/pdf")],
    )
    registration = _registration(marker)
    attachment = case.attachments.get()
    state = json.loads(Path(state_path).read_text()) if Path(state_path).exists() else {}
    state[phase] = {
        "marker": marker,
        "case": case.pk,
        "reference": case.reference,
        "attachment": attachment.pk,
        "file": attachment.file.name,
        "sha256": hashlib.sha256(_pdf(marker)).hexdigest(),
        "registration": registration.pk,
        "at": timezone.now().isoformat(),
    }
    Path(state_path).write_text(json.dumps(state, indent=2))
    print(
        f"phase {phase}: case {case.reference}, file {attachment.file.name}, registration {registration.pk}"
    )


def _file_fields():
    for model in apps.get_models():
        fields = [f.name for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        if fields:
            yield model, fields


def stored_files() -> dict[str, str]:
    """name -> sha256 of every file that a row of the database names ('' where it is missing)."""
    checksums = {}
    for model, fields in _file_fields():
        for row in model._default_manager.values_list(*fields):
            for name in row:
                if not name or name in checksums:
                    continue
                field_file = model._meta.get_field(fields[0]).storage
                try:
                    with field_file.open(name, "rb") as handle:
                        digest = hashlib.sha256()
                        for chunk in iter(lambda h=handle: h.read(1 << 20), b""):
                            digest.update(chunk)
                        checksums[name] = digest.hexdigest()
                except FileNotFoundError:
                    checksums[name] = ""
    return checksums


def files(files_path: str) -> None:
    checksums = stored_files()
    Path(files_path).write_text(json.dumps(checksums, indent=2, sort_keys=True))
    missing = [n for n, c in checksums.items() if not c]
    print(f"{len(checksums)} stored files named by the database, {len(missing)} missing")


def verify(state_path: str, files_path: str, present: str, absent: str) -> int:
    from portal.casereviews.models import Case, CaseAttachment
    from portal.training.models import Registration

    state = json.loads(Path(state_path).read_text())
    before = json.loads(Path(files_path).read_text())
    problems = []
    for phase in present.split(","):
        record = state[phase]
        case = Case.objects.filter(pk=record["case"], reference=record["reference"]).first()
        if case is None or record["marker"] not in case.pseudonym:
            problems.append(f"phase {phase}: case {record['reference']} is missing after the restore")
        if not CaseAttachment.objects.filter(pk=record["attachment"]).exists():
            problems.append(f"phase {phase}: attachment {record['attachment']} is missing")
        if not Registration.objects.filter(pk=record["registration"]).exists():
            problems.append(f"phase {phase}: registration {record['registration']} is missing")
        if before.get(record["file"]) != record["sha256"]:
            problems.append(f"phase {phase}: the file's checksum was not recorded before the loss")
    for phase in absent.split(","):
        record = state[phase]
        if Case.objects.filter(reference=record["reference"]).exists():
            problems.append(f"phase {phase}: case {record['reference']} (after T) is present")
        if Registration.objects.filter(pk=record["registration"]).exists():
            problems.append(f"phase {phase}: registration {record['registration']} (after T) is present")
    after = stored_files()
    for name, checksum in after.items():
        if not checksum:
            problems.append(f"{name}: named by the database, not in MEDIA_ROOT after the restore")
        elif before.get(name) != checksum:
            problems.append(f"{name}: checksum differs from before the loss")
    for problem in problems:
        print("FAIL", problem, file=sys.stderr)
    cases = Case.objects.count()
    print(
        f"verified: phases {present} present, {absent} absent; {cases} cases; "
        f"{len(after)} stored files, every checksum as before the loss"
        if not problems
        else f"{len(problems)} problems"
    )
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    command, *args = argv
    if command == "write":
        write(*args)
    elif command == "files":
        files(*args)
    elif command == "verify":
        return verify(*args)
    else:
        raise SystemExit(__doc__)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
