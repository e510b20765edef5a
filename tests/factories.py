import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings

from portal.accounts.models import ExpertProfile, Membership, Organization, User
from portal.core.models import Notification


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = Organization.Kind.MUNICIPALITY
    name = factory.Sequence(lambda n: f"テスト市{n}")
    kana = factory.Sequence(lambda n: f"てすとし{n}")
    code = factory.Sequence(lambda n: f"{139000 + n:06d}")
    municipality_kind = Organization.MunicipalityKind.CITY


class PartnerFactory(OrganizationFactory):
    kind = Organization.Kind.PARTNER
    name = factory.Sequence(lambda n: f"テスト支援団体{n}")
    code = None
    municipality_kind = ""
    legal_form = "NPO法人"
    support_types = factory.LazyFunction(lambda: ["visit"])


class SecretariatFactory(OrganizationFactory):
    kind = Organization.Kind.SECRETARIAT
    name = "東京都ひきこもりサポートネット"
    code = None
    municipality_kind = ""
    require_mfa = True

    class Meta:
        django_get_or_create = ("kind", "name")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.jp")
    display_name = factory.Sequence(lambda n: f"利用者 {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.MEMBER


class ExpertProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpertProfile

    user = factory.SubFactory(UserFactory)
    panel_discipline = ExpertProfile.PanelDiscipline.MEDICAL


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"お知らせ {n}")


def enroll_totp(user, secret=None):
    return TOTP.activate(user, secret or settings.DEMO_TOTP_SECRET)
