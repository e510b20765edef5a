"""The consultation-window directory (都内区市町村相談窓口一覧).

The tables keep the names they had when the directory was part of the network-building
programme's app (``db_table``), so moving the models moved no data.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsultationWindow(models.Model):
    """A municipality's consultation window for hikikomori (都内区市町村相談窓口一覧)."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="windows"
    )
    name = models.CharField(_("window name"), max_length=200)
    department = models.CharField(_("department"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    web_url = models.URLField(_("web page"), blank=True, max_length=500)
    accepts_home_visit = models.BooleanField(_("receives home-visit (訪問相談) applications"), default=False)
    notes = models.TextField(_("notes"), blank=True, max_length=1000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        db_table = "municipalities_consultationwindow"
        verbose_name = _("consultation window")
        verbose_name_plural = _("consultation windows")
        ordering = ["organization__code", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.organization} {self.name}"


class DirectoryConfirmation(models.Model):
    """A municipality confirmed its window entries for a fiscal year."""

    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveIntegerField()
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "municipalities_directoryconfirmation"
        constraints = [
            models.UniqueConstraint(fields=["organization", "fiscal_year"], name="confirmation_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.fiscal_year}"
