import django_filters
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, OutboundEmail
from .registry import people


def _organizations(request):
    return people().organization_model.objects.all()


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(label=_("Action"), lookup_expr="startswith")
    actor_email = django_filters.CharFilter(label=_("Actor email"), lookup_expr="icontains")
    organization = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=_organizations, empty_label=_("All")
    )
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
