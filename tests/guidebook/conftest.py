import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.guidebook import services


def png_bytes(color=(11, 94, 85)) -> bytes:
    """A real 40×20 PNG (WeasyPrint decodes it)."""
    import struct
    import zlib

    width, height = 40, 20
    raw = b"".join(b"\x00" + bytes(color) * width for _ in range(height))

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def pdf_upload(name="booklet.pdf", size=0) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n" + (b"0123456789abcdef" * (size // 16 + 1))[:size] + b"\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.fixture
def edition(coordinator):
    edition = services.edition_create(actor=coordinator, fiscal_year=2025, title="ひきこもり支援ガイドブック")
    chapter = services.chapter_save(actor=coordinator, edition=edition, number=1, title="ひきこもりの定義")
    services.section_add(
        actor=coordinator,
        chapter=chapter,
        title="定義",
        body="ひきこもりとは、様々な要因の結果として社会的参加を回避し、原則的には6か月以上にわたって"
        "概ね家庭にとどまり続けている状態を指す現象概念です。\n\n"
        "| 区分 | 内容 |\n|---|---|\n| 相談 | 区市町村の窓口 |",
    )
    chapter2 = services.chapter_save(actor=coordinator, edition=edition, number=2, title="支援の方向性")
    services.section_add(
        actor=coordinator, chapter=chapter2, title="家族への支援", body="家族の相談から始まる支援。"
    )
    return edition


@pytest.fixture
def figure(coordinator, edition):
    return services.figure_add(
        actor=coordinator,
        edition=edition,
        upload=SimpleUploadedFile("fig.png", png_bytes(), content_type="image/png"),
        alt="支援の流れ",
        caption="図1 支援の流れ",
    )


@pytest.fixture
def stream():
    return io.BytesIO
