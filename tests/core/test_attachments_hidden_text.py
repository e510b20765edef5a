"""Word files are read whole (headers, footers, footnotes, comments, deleted text); a file that still
holds tracked changes or comments is refused with the reason, and an Office file with macros is
refused for every upload, whatever its name."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from portal.core import attachments_text, uploads

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCX = attachments_text.DOCX


def _part(body: str, root: str = "document") -> str:
    inner = f"<w:body>{body}</w:body>" if root == "document" else body
    return f'<?xml version="1.0"?><w:{root} xmlns:w="{W}">{inner}</w:{root}>'


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _docx(body: str, extra: dict[str, str] | None = None, content_types: str = "<Types/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", _part(body))
        for name, xml in (extra or {}).items():
            archive.writestr(name, xml)
    return buffer.getvalue()


def _upload(content: bytes, name: str = "記録.docx"):
    return SimpleUploadedFile(name, content, content_type=DOCX)


@pytest.mark.parametrize(
    ("part", "root", "label"),
    [
        ("word/header1.xml", "hdr", "ヘッダー"),
        ("word/footer2.xml", "ftr", "フッター"),
        ("word/footnotes.xml", "footnotes", "脚注"),
        ("word/endnotes.xml", "endnotes", "文末脚注"),
    ],
)
def test_text_outside_the_body_is_read_and_named(part, root, label):
    content = _docx(_p("経過の概要のみ。"), {part: _part(_p("担当 連絡先090-1234-5678"), root)})

    with translation.override("ja"):
        found = attachments_text.scan_upload(_upload(content), content_type=DOCX)
        assert [(f.kind, f.text) for f in found] == [("phone", "090-1234-5678")]
        assert found[0].where == f"「記録.docx」{label}"
    assert found[0].page == 2, "numbered after the body's pages, so each part has its own key"


def test_comments_are_read_and_the_file_is_refused_with_the_reason():
    comments = _part(
        '<w:comment w:id="0" w:author="山田太郎">' + _p("母は090-1234-5678") + "</w:comment>", "comments"
    )
    body = '<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>概要</w:t></w:r></w:p>'
    content = _docx(body, {"word/comments.xml": comments})

    text = attachments_text.extract(_upload(content), name="記録.docx", content_type=DOCX)
    assert ("phone", "090-1234-5678") in [(f.kind, f.text) for f in attachments_text.scan(text)]
    with translation.override("ja"), pytest.raises(ValidationError) as refused:
        attachments_text.check_upload(_upload(content), content_type=DOCX)

    assert "コメント" in refused.value.messages[0] and "記録.docx" in refused.value.messages[0]


def test_deleted_text_of_tracked_changes_is_read_and_the_file_is_refused():
    body = (
        '<w:p><w:r><w:t>本人の連絡先は</w:t></w:r><w:del w:id="1" w:author="x">'
        "<w:r><w:delText>090-1234-5678</w:delText></w:r></w:del><w:r><w:t>（削除）</w:t></w:r></w:p>"
    )
    content = _docx(body)

    text = attachments_text.extract(_upload(content), name="記録.docx", content_type=DOCX)
    assert [(f.kind, f.text) for f in attachments_text.scan(text)] == [("phone", "090-1234-5678")]
    with translation.override("ja"), pytest.raises(ValidationError) as refused:
        attachments_text.check_upload(_upload(content), content_type=DOCX)

    assert "変更履歴" in refused.value.messages[0]


def test_inserted_text_still_tracked_is_refused_too():
    body = '<w:p><w:ins w:id="2" w:author="x"><w:r><w:t>追記</w:t></w:r></w:ins></w:p>'

    with pytest.raises(ValidationError):
        attachments_text.check_upload(_upload(_docx(body)), content_type=DOCX)


def test_clean_word_file_passes():
    text = attachments_text.check_upload(_upload(_docx(_p("経過の概要。"))), content_type=DOCX)

    assert text.readable and not text.tracked_changes and not text.comments


MACRO_CONTENT_TYPES = (
    '<Types><Default ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
)


def _with_macros(name_inside: str = "word/vbaProject.bin", content_types: str = "<Types/>") -> bytes:
    buffer = io.BytesIO(_docx(_p("概要"), content_types=content_types))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(name_inside, b"\xd0\xcf\x11\xe0 macro")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("file_name", "content"),
    [
        ("報告.docm", _with_macros()),
        ("報告.docx", _with_macros()),  # renamed: the name decides nothing
        ("集計.xlsx", _with_macros("xl/vbaProject.bin")),
        (
            "報告.docx",
            _docx(
                _p("概要"),
                content_types=MACRO_CONTENT_TYPES,
            ),
        ),
    ],
    ids=["docm", "renamed-docm", "xlsm", "content-type"],
)
def test_office_file_with_macros_is_refused_for_every_upload(file_name, content):
    for allowed in (uploads.DOCUMENTS, (DOCX,)):
        with translation.override("ja"), pytest.raises(ValidationError) as refused:
            uploads.validate_upload(SimpleUploadedFile(file_name, content), allowed=allowed)
        assert "マクロ" in refused.value.messages[0]


def test_word_file_without_macros_is_accepted():
    assert uploads.validate_upload(SimpleUploadedFile("報告.docx", _docx(_p("概要")))) == DOCX
