import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, OutboundEmail
from .registry import people


class OrganizationSearchFilter(django_filters.CharFilter):
    """An organisation typed as part of its name or kana, or the start of its local government code:
    a search box instead of a drop-down of every organisation (1,700+ at national scale). The matching
    organisations are a subquery, so the list's own index on ``organization`` serves the filter."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Organisation (name or code)"))
        kwargs.setdefault("field_name", "organization")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        matching = people().organization_model.objects.filter(
            Q(name__icontains=value) | Q(kana__icontains=value) | Q(code__startswith=value)
        )
        return qs.filter(**{f"{self.field_name}__in": matching.values("pk")})


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(label=_("Action"), lookup_expr="startswith")
    actor_email = django_filters.CharFilter(label=_("Actor email"), lookup_expr="icontains")
    organization = OrganizationSearchFilter()
    since = django_filters.DateFilter(label=_("From"), field_name="created_at", lookup_expr="date__gte")
    until = django_filters.DateFilter(label=_("To"), field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = AuditEvent
        fields = ["action", "actor_email", "organization", "since", "until"]


class OutboundEmailFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=OutboundEmail.Status.choices, empty_label=_("All")
    )
    to = django_filters.CharFilter(label=_("To"), lookup_expr="icontains")

    class Meta:
        model = OutboundEmail
        fields = ["status", "to"]
