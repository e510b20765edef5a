"""A view that fails, for tests/core/test_error_reports.py (only these tests route to it)."""

from django.urls import include, path


def failing_view(request):
    # the exception's message carries what a person wrote, as an IntegrityError's detail can
    raise RuntimeError(f"could not save {request.POST.get('difficulty')} {request.POST.get('q')}")


urlpatterns = [path("boom/", failing_view, name="boom"), path("", include("portal.urls"))]
