import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Organization


class OrganizationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Organization.Kind.choices, empty_label=_("All")
    )
    is_active = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("true", _("Active")), ("false", _("Inactive"))],
        empty_label=_("All"),
        method="filter_active",
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "is_active"]

    def filter_active(self, queryset, name, value):
        return queryset.filter(is_active=value == "true")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(kana__icontains=value) | Q(code__startswith=value)
        )
