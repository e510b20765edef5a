import django_filters
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Organization

from .models import HearingSheet, Programme


class HearingSheetFilter(django_filters.FilterSet):
    fiscal_year = django_filters.ModelChoiceFilter(
        label=_("Fiscal year"),
        field_name="programme",
        queryset=Programme.objects.order_by("-fiscal_year"),
        empty_label=_("All"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=HearingSheet.Status.choices, empty_label=_("All")
    )
    municipality_kind = django_filters.ChoiceFilter(
        label=_("Ward / city / town / village"),
        field_name="organization__municipality_kind",
        choices=Organization.MunicipalityKind.choices,
        empty_label=_("All"),
    )
    submitted_from = django_filters.DateFilter(
        label=_("Submitted from"),
        field_name="submitted_at",
        lookup_expr="date__gte",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    submitted_to = django_filters.DateFilter(
        label=_("Submitted until"),
        field_name="submitted_at",
        lookup_expr="date__lte",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = HearingSheet
        fields = ["fiscal_year", "status", "municipality_kind", "submitted_from", "submitted_to"]
