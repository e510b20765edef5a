"""The one PDF renderer: a Django template rendered to PDF by WeasyPrint, Japanese fonts embedded.

Templates extend ``pdf/base.html``, whose stylesheet asks for IPAex fonts (Debian's
fonts-ipaexfont) and falls back to any Japanese font fontconfig knows.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(template_name: str, context: dict, *, language: str | None = None) -> bytes:
    from weasyprint import HTML  # imported lazily: it loads pango at import time

    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
