"""Window directory lists: the same number of queries at 1 and at many rows, every row on the page."""

import itertools

import pytest
from django.urls import reverse

from portal.windows.models import ConsultationWindow

from ..factories import OrganizationFactory
from ..municipalities.test_query_counts import assert_flat_and_listed

_names = itertools.count(1)


def _window(org):
    return ConsultationWindow.objects.create(
        organization=org, name=f"ひきこもり相談窓口{next(_names)}", phone="03-1234-5678"
    )


@pytest.mark.django_db
def test_public_window_directory(client):
    def add(n):
        return [_window(org) for org in OrganizationFactory.create_batch(n)]

    assert_flat_and_listed(client, reverse("windows:window_directory"), add, lambda w: w.name)


@pytest.mark.django_db
def test_window_status(coordinator, client):
    client.force_login(coordinator)

    assert_flat_and_listed(
        client, reverse("windows:window_status"), OrganizationFactory.create_batch, lambda o: o.name
    )


@pytest.mark.django_db
def test_my_windows(member_a, org_a, client):
    client.force_login(member_a)

    def add(n):
        return [_window(org_a) for _ in range(n)]

    assert_flat_and_listed(client, reverse("windows:window_mine"), add, lambda w: w.name)
