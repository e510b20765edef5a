from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from portal.core.metrics import metrics_view
from portal.core.views import healthz, liveness

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/live", liveness, name="healthz_live"),
    path("healthz/ready", healthz, name="healthz_ready"),
    path("metrics", metrics_view, name="metrics"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("portal.accounts.urls")),
    path("", include("portal.municipalities.urls")),
    path("", include("portal.windows.urls")),
    path("", include("portal.casereviews.urls")),
    path("", include("portal.partners.urls")),
    path("", include("portal.meetings.urls")),
    path("training/", include("portal.training.urls")),
    path("", include("portal.guidebook.urls")),
    path("", include("portal.outreach.urls")),
    path("news/", include("portal.news.urls")),
    path("", include("portal.directory.urls")),
    path("subsidies/", include("portal.subsidies.urls")),
    path("mailings/", include("portal.mailings.urls")),
    path("", include("portal.residents.urls")),
    path("", include("portal.consultations.urls")),
    path("", include("portal.core.urls")),
]
