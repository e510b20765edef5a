import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from portal.municipalities import services
from portal.municipalities.models import HearingSheet
from portal.windows.models import ConsultationWindow

from .conftest import SUBMITTABLE, pdf_upload


def edit_url(sheet):
    return reverse("municipalities:sheet_edit", args=[sheet.pk])


@pytest.mark.django_db
def test_stale_save_in_the_form_keeps_what_was_typed_and_shows_the_other_version(
    sheet, admin_a, member_a, client
):
    client.force_login(member_a)
    loaded_version = sheet.version
    services.sheet_save(
        actor=admin_a,
        sheet=sheet,
        answers={"department": "福祉部（管理者が保存）"},
        based_on_version=loaded_version,
    )

    response = client.post(
        edit_url(sheet), {"version": loaded_version, "q_department": "保健部（私の入力）", "action": "save"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="保健部（私の入力）"' in body, "what the user typed is kept in the form"
    assert "福祉部（管理者が保存）" in body, "the newer saved version is shown beside it"
    assert "編集中に別の内容が保存されました" in body
    sheet.refresh_from_db()
    assert sheet.answers["department"] == "福祉部（管理者が保存）"
    # Saving again, knowingly, now works (the form carries the current version).
    assert f'name="version" value="{sheet.version}"' in body


@pytest.mark.django_db
def test_autosave_saves_and_answers_409_when_stale(sheet, admin_a, member_a, client):
    client.force_login(member_a)
    url = reverse("municipalities:sheet_autosave", args=[sheet.pk])

    first = client.post(url, {"version": sheet.version, "q_department": "福祉部"})
    assert first.status_code == 200 and first.json()["saved"]
    stale = client.post(url, {"version": sheet.version, "q_department": "別の値"})

    assert stale.status_code == 409 and stale.json()["conflict"]
    sheet.refresh_from_db()
    assert sheet.answers["department"] == "福祉部"


@pytest.mark.django_db
def test_autosave_saves_what_is_valid_and_names_the_field_it_could_not_save(sheet, member_a, client):
    client.force_login(member_a)
    url = reverse("municipalities:sheet_autosave", args=[sheet.pk])
    client.post(url, {"version": sheet.version, "q_consultations_total": "12"})
    sheet.refresh_from_db()

    response = client.post(
        url,
        {
            "version": sheet.version,
            "q_department": "福祉部",
            "q_challenges": "残してほしい文章",
            "q_consultations_total": "たくさん",
        },
    )

    body = response.json()
    assert response.status_code == 200 and body["saved"] and body["partial"]
    assert "まだ保存されていません" in body["message"] and "画面に残っています" in body["message"]
    assert "q_consultations_total" in body["errors"]
    sheet.refresh_from_db()
    assert sheet.answers["department"] == "福祉部"
    assert sheet.answers["challenges"] == "残してほしい文章"
    assert sheet.answers["consultations_total"] == 12, "the stored answer of the invalid field stays"


@pytest.mark.django_db
def test_autosave_without_a_version_says_it_could_not_save(sheet, member_a, client):
    client.force_login(member_a)

    response = client.post(reverse("municipalities:sheet_autosave", args=[sheet.pk]), {"q_department": "x"})

    assert response.status_code == 400
    assert response.json()["message"] == "下書きを保存できませんでした。"


@pytest.mark.django_db
def test_bad_input_gets_japanese_field_errors_and_keeps_everything(sheet, member_a, client):
    client.force_login(member_a)
    too_long = "あ" * 201

    response = client.post(
        edit_url(sheet),
        {
            "version": sheet.version,
            "q_department": too_long,
            "q_consultations_total": "たくさん",
            "q_challenges": "残してほしい文章",
            "action": "save",
        },
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "200 文字以下" in body or "200文字以下" in body
    assert "整数" in body
    assert "残してほしい文章" in body
    sheet.refresh_from_db()
    assert "challenges" not in sheet.answers


@pytest.mark.django_db
def test_full_width_digits_are_accepted_for_numbers(sheet, member_a, client):
    client.force_login(member_a)

    client.post(
        edit_url(sheet), {"version": sheet.version, "q_consultations_total": "１，２３０", "action": "save"}
    )

    sheet.refresh_from_db()
    assert sheet.answers["consultations_total"] == 1230


@pytest.mark.django_db
def test_wrong_file_type_is_refused_and_answers_kept(sheet, member_a, client):
    client.force_login(member_a)
    fake = SimpleUploadedFile("集計.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = client.post(
        edit_url(sheet),
        {
            "version": sheet.version,
            "q_challenges": "入力した課題",
            "q_statistics_file": fake,
            "action": "save",
        },
    )

    body = response.content.decode()
    assert "この種類のファイルはアップロードできません" in body
    assert "入力した課題" in body
    sheet.refresh_from_db()
    assert sheet.files.count() == 0 and "challenges" not in sheet.answers


@pytest.mark.django_db
def test_too_large_file_is_refused(sheet, member_a, client):
    client.force_login(member_a)

    response = client.post(
        edit_url(sheet),
        {
            "version": sheet.version,
            "action": "save",
            "q_statistics_file": pdf_upload(size=10 * 1024 * 1024 + 1),
        },
    )

    assert "ファイルが大きすぎます" in response.content.decode()


@pytest.mark.django_db
def test_uploaded_file_is_served_only_through_the_permission_checked_view(sheet, member_a, admin_b, client):
    client.force_login(member_a)
    client.post(
        edit_url(sheet), {"version": sheet.version, "q_statistics_file": pdf_upload(), "action": "save"}
    )
    attached = sheet.files.get()
    url = reverse("municipalities:sheet_file", args=[sheet.pk, attached.pk])

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(admin_b)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_submit_with_missing_answers_marks_them(sheet, member_a, client):
    client.force_login(member_a)

    response = client.post(
        edit_url(sheet), {"version": sheet.version, "q_department": "福祉部", "action": "submit"}
    )

    body = response.content.decode()
    assert "提出にはこの回答が必要です" in body
    sheet.refresh_from_db()
    assert sheet.status == HearingSheet.Status.DRAFT and sheet.answers["department"] == "福祉部"


@pytest.mark.django_db
def test_submitted_sheet_redirects_editors_to_the_read_only_view(sheet, member_a, client):
    services.sheet_submit(actor=member_a, sheet=sheet, answers=SUBMITTABLE, based_on_version=sheet.version)
    client.force_login(member_a)

    response = client.get(edit_url(sheet))

    assert response.status_code == 302 and response.url == reverse(
        "municipalities:sheet_detail", args=[sheet.pk]
    )


@pytest.mark.django_db
def test_secretariat_notes_are_hidden_from_the_municipality(sheet, coordinator, member_a, client):
    services.sheet_add_note(actor=coordinator, sheet=sheet, body="内部メモ：電話で確認済み")
    client.force_login(member_a)

    assert (
        "内部メモ" not in client.get(reverse("municipalities:sheet_detail", args=[sheet.pk])).content.decode()
    )
    client.force_login(coordinator)
    assert "内部メモ" in client.get(reverse("municipalities:sheet_detail", args=[sheet.pk])).content.decode()


@pytest.mark.django_db
def test_sheet_list_filters(coordinator, programme, sheet, member_a, org_b, client):
    services.participation_add(actor=coordinator, programme=programme, organizations=[org_b])
    services.sheet_submit(actor=member_a, sheet=sheet, answers=SUBMITTABLE, based_on_version=sheet.version)
    client.force_login(coordinator)

    submitted = client.get(reverse("municipalities:sheet_list"), {"status": "submitted"})
    wards = client.get(reverse("municipalities:sheet_list"), {"municipality_kind": "ward"})

    assert [s.organization for s in submitted.context["page"]] == [sheet.organization]
    assert [s.organization for s in wards.context["page"]] == [org_b]


@pytest.mark.django_db
def test_xlsx_export_neutralises_formulas(coordinator, programme, sheet, member_a, client):
    answers = {**SUBMITTABLE, "challenges": '=HYPERLINK("http://evil.example","x")', "department": "+福祉部"}
    services.sheet_submit(actor=member_a, sheet=sheet, answers=answers, based_on_version=sheet.version)
    client.force_login(coordinator)

    response = client.get(reverse("municipalities:programme_export", args=[programme.pk]))

    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert '\'=HYPERLINK("http://evil.example","x")' in values
    assert "'+福祉部" in values
    assert not any(v.startswith(("=", "+", "@")) for v in values)


@pytest.mark.django_db
def test_sheet_pdf_embeds_japanese_fonts_and_reiwa_dates(sheet, member_a, client, tmp_path):
    services.sheet_submit(actor=member_a, sheet=sheet, answers=SUBMITTABLE, based_on_version=sheet.version)
    client.force_login(member_a)

    response = client.get(reverse("municipalities:sheet_pdf", args=[sheet.pk]))

    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils not installed")
    path = tmp_path / "sheet.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "令和8年度 事前ヒアリングシート" in text and "令和8年12月1日" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "yes" in fonts.splitlines()[2]  # embedded
    if (
        shutil.which("fc-list")
        and "IPAex" in subprocess.run(["fc-list"], capture_output=True, text=True).stdout
    ):
        assert "IPAexGothic" in fonts


@pytest.mark.django_db
def test_hearing_sheet_prefills_windows_from_the_directory(coordinator, programme, org_a, member_a):
    ConsultationWindow.objects.create(
        organization=org_a, name="こころの相談", phone="03-1111-2222", hours="平日", accepts_home_visit=True
    )

    services.participation_add(actor=coordinator, programme=programme, organizations=[org_a])

    answer = HearingSheet.objects.get(programme=programme, organization=org_a).answers["windows"]
    assert "こころの相談" in answer and "03-1111-2222" in answer and "訪問相談" in answer


@pytest.mark.django_db
def test_session_ics_download(sheet, coordinator, admin_a, client):
    start = dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)
    session = services.session_schedule(
        actor=coordinator,
        sheet=sheet,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        meeting_url="https://x.example.jp",
        participants=[admin_a],
    )
    client.force_login(admin_a)

    response = client.get(reverse("municipalities:session_ics", args=[session.pk]))

    assert response["Content-Type"].startswith("text/calendar")
    assert b"DTSTART:20261201T050000Z" in response.content
