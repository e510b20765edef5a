import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, OutboundEmail
from .registry import people


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


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
    action = django_filters.CharFilter(label=_("Action"), method="filter_action")
    actor_email = django_filters.CharFilter(label=_("Actor email"), lookup_expr="icontains")
    organization = OrganizationSearchFilter()
    # Days as ranges of the timestamp (Tokyo days), which the log's index serves; ``created_at::date``
    # would be computed for every row.
    since = django_filters.DateFilter(label=_("From (date)"), method="filter_since")
    until = django_filters.DateFilter(label=_("Until (date, inclusive)"), method="filter_until")

    class Meta:
        model = AuditEvent
        fields = ["action", "actor_email", "organization", "since", "until"]

    def filter_action(self, queryset, name, value):
        """An action as people read it (「ログイン」, 「ケース」) or as its code (``auth.login``)."""
        from django.db.models import Q

        from .labels import actions_matching

        codes, areas = actions_matching(value)
        match = Q(action__startswith=value.strip())
        if codes:
            match |= Q(action__in=codes)
        for area in areas:
            match |= Q(action__startswith=f"{area}.")
        return queryset.filter(match)

    def filter_since(self, queryset, name, value):
        return queryset.filter(created_at__gte=_start_of_day(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(created_at__lt=_start_of_day(value + dt.timedelta(days=1)))


class OutboundEmailFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=OutboundEmail.Status.choices, empty_label=_("All")
    )
    to = django_filters.CharFilter(label=_("To"), lookup_expr="icontains")

    class Meta:
        model = OutboundEmail
        fields = ["status", "to"]
