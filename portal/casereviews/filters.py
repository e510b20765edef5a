import django_filters
from django.utils.translation import gettext_lazy as _

from portal.core.filters import OrganizationSearchFilter

from .models import Case


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Case.Status.choices, empty_label=_("All"))
    fiscal_year = django_filters.NumberFilter(label=_("Fiscal year"))
    organization = OrganizationSearchFilter()
    urgency = django_filters.ChoiceFilter(
        label=_("urgency"), choices=Case.Urgency.choices, empty_label=_("All")
    )

    class Meta:
        model = Case
        fields = ["status", "fiscal_year", "organization", "urgency"]

    def __init__(self, *args, by_organization: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not by_organization:
            # Experts read cases under blind review: filtering by organisation would tell them
            # which municipality submitted a case, so they have no such filter.
            del self.filters["organization"]
