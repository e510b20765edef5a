import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_training_panel_absent_for_an_expert_without_organisation(login, expert):
    # Arrange: an expert belongs to no organisation, so the training pages answer 403 for them.
    client = login(expert)
    assert client.get(reverse("training:catalogue")).status_code == 403

    # Act
    page = client.get(reverse("core:dashboard")).content.decode()

    # Assert: the dashboard links to no page the expert cannot open.
    assert f'href="{reverse("training:catalogue")}"' not in page
    assert f'href="{reverse("training:transcript")}"' not in page


def test_training_panel_shown_to_a_member(login, member_a):
    page = login(member_a).get(reverse("core:dashboard")).content.decode()

    assert 'id="panel-training"' in page
    assert f'href="{reverse("training:catalogue")}"' in page
