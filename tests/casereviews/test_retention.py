"""Retention: after the purge nothing written about the person is left anywhere, and the hash kept
for a confirmed passage cannot be reversed."""

import datetime as dt
import hashlib

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from portal.casereviews import services
from portal.casereviews.models import (
    NARRATIVE_FIELDS,
    AdviceRecord,
    AdviceRevision,
    Case,
    CaseAttachment,
    CaseTransition,
    ConflictOfInterest,
    FollowUpReport,
    PanelNote,
    PersonalDataConfirmation,
)
from portal.core import pii
from portal.core.models import Notification, OutboundEmail

from .conftest import CLEAN_CASE, png_upload

PHONE_HISTORY = "母から090-1234-5678で相談があった。"

# Every table and field that holds free text about the person of a case, and what the purge must
# leave there: "gone" (no rows of the case) or "blank" (the field is empty on every row).
PURGED = {(Case, name): "blank" for name in [*NARRATIVE_FIELDS, "decline_reason"]} | {
    (CaseTransition, "comment"): "blank",
    (CaseAttachment, "*"): "gone",
    (PersonalDataConfirmation, "*"): "gone",
    (PanelNote, "*"): "gone",
    (AdviceRecord, "summary"): "blank",
    (AdviceRecord, "medical"): "blank",
    (AdviceRecord, "psychology"): "blank",
    (AdviceRecord, "legal"): "blank",
    (AdviceRecord, "welfare"): "blank",
    (AdviceRevision, "*"): "gone",
    (FollowUpReport, "body"): "blank",
    (Notification, "body"): "blank",
    (OutboundEmail, "body_text"): "blank",
    (ConflictOfInterest, "reason"): "blank",
}

# Text fields of the app that hold no free text about the person (codes, references, file names
# of rows that the purge deletes, meeting details).
NOT_ABOUT_THE_PERSON = {
    "Case": {"reference", "route", "disciplines"},
    "CaseTransition": {"from_status", "to_status"},
    "CaseAttachment": {"file", "stored_name", "original_name", "content_type"},
    "PersonalDataConfirmation": {"field", "kind", "start", "end", "text_hash"},
    "Meeting": {"venue", "online_url", "reminders_sent"},
    "PanelNote": {"body"},  # rows deleted
    "AdviceRevision": {"content"},  # rows deleted
    "PurgeRecord": {"fields"},
}


def _rows(model, case):
    if model is Case:
        return Case.objects.filter(pk=case.pk)
    if model in (AdviceRevision,):
        return model.objects.filter(advice__case=case)
    if model is Notification:
        return model.objects.filter(url__startswith=f"/cases/{case.pk}/")
    if model is OutboundEmail:
        return model.objects.filter(body_text__contains=f"/cases/{case.pk}/")
    return model.objects.filter(case=case)


# Fields the route of ``lived_case`` does not write (so they are empty before the purge too).
NOT_WRITTEN_ON_THIS_ROUTE = {
    (Case, "decline_reason"),
    (Case, "consent_reason"),
    (AdviceRecord, "psychology"),
    (AdviceRecord, "legal"),
    (AdviceRecord, "welfare"),
}


@pytest.fixture
def lived_case(org_a, member_a, coordinator, meeting, panel_expert, other_expert):
    """A case that went through everything that writes text about the person."""
    case = services.case_create(
        actor=member_a,
        organization=org_a,
        data={**CLEAN_CASE, "age": 34, "history": PHONE_HISTORY},
        uploads_=[png_upload()],
    )
    with pytest.raises(services.PersonalDataFound) as found:
        services.case_submit(actor=member_a, case=case)
    keys = {services.finding_key(f, x) for f, items in found.value.findings.items() for x in items}
    case = services.case_submit(actor=member_a, case=case, confirmed=keys)
    case = services.case_return(actor=coordinator, case=case, comment="母の通院先を教えてください")
    case = services.case_submit(actor=member_a, case=case, confirmed=keys)
    case = services.case_accept(actor=coordinator, case=case, comment="次回会議で検討")
    case = services.case_schedule(actor=coordinator, case=case, meeting=meeting)
    panel_expert.refresh_from_db()
    services.note_add(actor=type(panel_expert).objects.get(pk=panel_expert.pk), case=case, body="事前メモ")
    services.advice_save(
        actor=type(panel_expert).objects.get(pk=panel_expert.pk),
        case=case,
        based_on_version=0,
        content={"medical": "受診の勧め方"},
    )
    services.advice_save(actor=coordinator, case=case, based_on_version=1, content={"summary": "助言の要旨"})
    case = services.case_mark_reviewed(actor=coordinator, case=case)
    services.advice_issue(actor=coordinator, case=case)
    case.refresh_from_db()
    services.follow_up_report(actor=member_a, case=case, body="本人と会えた")
    case.refresh_from_db()
    services.conflict_declare(
        actor=coordinator, expert=other_expert, case=case, reason="本人の兄と同じ職場にいる"
    )
    case = services.case_close(actor=coordinator, case=case, comment="終結")
    return case


def _purge(case):
    later = timezone.now() + dt.timedelta(days=5 * 366)
    assert services.purge_due_cases(now=later) == 1
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_every_table_with_text_about_the_person_holds_it_before_the_purge(lived_case):
    for (model, field), expected in PURGED.items():
        rows = _rows(model, lived_case)
        if expected == "gone":
            assert rows.exists(), model.__name__
        elif (model, field) not in NOT_WRITTEN_ON_THIS_ROUTE:
            assert rows.exclude(**{field: ""}).exists(), f"{model.__name__}.{field}"


@pytest.mark.django_db
def test_purge_clears_every_table_that_holds_text_about_the_person(lived_case):
    case = _purge(lived_case)

    for (model, field), expected in PURGED.items():
        rows = _rows(model, case)
        if expected == "gone":
            assert not rows.exists(), f"{model.__name__} rows are left after the purge"
        else:
            left = rows.exclude(**{field: ""})
            assert not left.exists(), f"{model.__name__}.{field} still holds text after the purge"
    assert case.age is None and case.purged_at is not None
    # what the statistics need stays
    assert case.disciplines == ["medical", "welfare"] and case.route == "meeting"


@pytest.mark.django_db
def test_every_text_field_of_the_app_is_either_purged_or_not_about_the_person():
    listed = {(m.__name__, f) for (m, f) in PURGED}
    for model in apps.get_app_config("casereviews").get_models():
        name = model.__name__
        if name.endswith("ObjectPermission"):
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(
                field, models.CharField | models.TextField | models.JSONField | models.FileField
            ):
                continue
            if field.choices:
                continue
            if (name, field.name) in listed or (name, "*") in listed:
                continue
            assert field.name in NOT_ABOUT_THE_PERSON.get(name, set()), (
                f"{name}.{field.name} is new: purge it in services.purge_case and list it in PURGED, "
                "or list it in NOT_ABOUT_THE_PERSON with a reason"
            )


@pytest.mark.django_db
def test_confirmed_passage_is_kept_as_the_keyed_finding_key_that_cannot_be_brute_forced(
    org_a, member_a, settings
):
    case = services.case_create(
        actor=member_a, organization=org_a, data={**CLEAN_CASE, "history": PHONE_HISTORY}
    )
    with pytest.raises(services.PersonalDataFound) as found:
        services.case_submit(actor=member_a, case=case)
    (finding,) = found.value.findings["history"]
    services.case_submit(actor=member_a, case=case, confirmed={services.finding_key("history", finding)})

    stored = PersonalDataConfirmation.objects.get(case=case).text_hash
    assert finding.text == "090-1234-5678"
    assert stored != hashlib.sha256(finding.text.encode()).hexdigest()
    assert stored == pii.finding_key("history", finding)  # one keyed hash for every app
    settings.SECRET_KEY = "another-key-" + "x" * 40
    assert pii.finding_key("history", finding) != stored


@pytest.mark.django_db
def test_rekey_migration_moves_case_confirmations_to_the_finding_key(org_a, member_a):
    import importlib

    case = services.case_create(
        actor=member_a, organization=org_a, data={**CLEAN_CASE, "history": PHONE_HISTORY}
    )
    (finding,) = pii.scan(PHONE_HISTORY)
    services.case_submit(actor=member_a, case=case, confirmed={services.finding_key("history", finding)})
    previous = salted_hmac(
        "portal.casereviews.PersonalDataConfirmation.text_hash", finding.text, algorithm="sha256"
    ).hexdigest()
    PersonalDataConfirmation.objects.filter(case=case).update(text_hash=previous)
    PersonalDataConfirmation.objects.create(
        case=case,
        field="attachment-1-p1",
        kind="phone",
        start=0,
        end=3,
        text_hash=previous,
        confirmed_by=member_a,
    )
    migration = importlib.import_module(
        "portal.casereviews.migrations.0006_confirmations_keyed_with_finding_key"
    )

    migration.rekey(apps, None)

    (kept,) = PersonalDataConfirmation.objects.filter(case=case)
    assert kept.field == "history" and kept.text_hash == pii.finding_key("history", finding)
