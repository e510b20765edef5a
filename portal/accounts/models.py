"""People, organisations and who belongs where."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an email address. No usernames."""

    # No usernames or split names: people sign in by email and are shown by display_name.
    username = None  # type: ignore[assignment]  # removes the inherited field
    first_name = None  # type: ignore[assignment]  # removes the inherited field
    last_name = None  # type: ignore[assignment]  # removes the inherited field
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("name"), max_length=100)
    # Raised to end every session of this person (see _get_session_auth_hash).
    session_generation = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []  # type: ignore[misc]  # nothing besides email and password

    objects = UserManager()  # type: ignore[misc, assignment]  # email-based manager

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email

    def _get_session_auth_hash(self, secret=None):
        # Django compares this hash with the one stored in the session on every request;
        # including the generation lets a deactivation end all of a person's sessions.
        key_salt = "portal.accounts.User._get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_generation}", secret=secret, algorithm="sha256"
        ).hexdigest()


class Organization(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        PARTNER = "partner", _("Partner organisation")
        SECRETARIAT = "secretariat", _("Secretariat")
        AGENCY = "agency", _("Related agency")
        COMMISSIONERS = "commissioners", _("Welfare commissioners (民生委員・児童委員)")

    class MunicipalityKind(models.TextChoices):
        WARD = "ward", _("Ward")
        CITY = "city", _("City")
        TOWN = "town", _("Town")
        VILLAGE = "village", _("Village")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    kana = models.CharField(_("kana"), max_length=200, blank=True)
    # 全国地方公共団体コード (6 digits with check digit), municipalities only.
    code = models.CharField(_("local government code"), max_length=6, null=True, blank=True, unique=True)
    municipality_kind = models.CharField(
        _("municipality kind"), max_length=10, choices=MunicipalityKind.choices, blank=True
    )
    legal_form = models.CharField(_("legal form"), max_length=50, blank=True)
    branch = models.CharField(_("branch"), max_length=200, blank=True)
    support_types = models.JSONField(_("support types"), default=list, blank=True)
    locations = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="partners_located_here",
        limit_choices_to={"kind": "municipality"},
        verbose_name=_("locations"),
    )
    require_mfa = models.BooleanField(_("require two-factor authentication"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class SupportType(models.TextChoices):
        VISIT = "visit", _("Home-visit consultation")
        FREESPACE = "freespace", _("Free space")
        SOCIAL = "social", _("Social experience activities")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "code", "kana", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name", "branch"], name="organization_unique_name"),
            models.CheckConstraint(
                condition=Q(kind="municipality", code__isnull=False) | ~Q(kind="municipality"),
                name="municipality_has_code",
            ),
        ]
        indexes = [models.Index(fields=["kind", "is_active"])]

    def __str__(self) -> str:
        return self.label(self.kind, self.legal_form, self.name, self.branch)

    @classmethod
    def label(cls, kind: str, legal_form: str, name: str, branch: str) -> str:
        """How an organisation is named on pages, from its columns (lists read as values use it)."""
        if kind == cls.Kind.PARTNER:
            full = f"{legal_form}{name}"
            return f"{full}（{branch}）" if branch else full
        return name

    @property
    def is_secretariat(self) -> bool:
        return self.kind == self.Kind.SECRETARIAT

    def support_type_labels(self) -> list[str]:
        labels = dict(self.SupportType.choices)
        return [str(labels.get(t, t)) for t in self.support_types]


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, organization__is_active=True, user__is_active=True)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        ADMIN = "admin", _("Organisation admin")
        # 相談員: a secretariat member who answers メール相談 and keeps 相談記録, without the
        # coordinator's rights over the network's cases, programmes and organisations.
        COUNSELLOR = "counsellor", _("Counsellor")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization__kind", "organization__code", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique_user_org")
        ]
        # an organisation's people and its administrators, read on dashboards and lists
        indexes = [models.Index(fields=["organization", "role", "is_active"], name="membership_org_role")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


class ExpertProfile(models.Model):
    """An outside professional: on the case-review panel, in the talent bank, or both."""

    class PanelDiscipline(models.TextChoices):
        MEDICAL = "medical", _("Medical")
        PSYCHOLOGY = "psychology", _("Psychology")
        LEGAL = "legal", _("Legal")
        WELFARE = "welfare", _("Welfare")

    class TalentBankDiscipline(models.TextChoices):
        LEGAL = "legal", pgettext_lazy("talent bank field", "Legal")
        MEDICAL = "medical", _("Medical")
        MANAGEMENT = "management", _("Management")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert")
    panel_discipline = models.CharField(
        _("case-review panel discipline"), max_length=20, choices=PanelDiscipline.choices, blank=True
    )
    talent_bank_discipline = models.CharField(
        _("talent bank discipline"), max_length=20, choices=TalentBankDiscipline.choices, blank=True
    )
    qualification = models.CharField(_("qualification"), max_length=100, blank=True)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [
            models.CheckConstraint(
                condition=~Q(panel_discipline="", talent_bank_discipline=""), name="expert_has_a_discipline"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        """Not accepted, not revoked and not expired (at ``now``, by default the present)."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now or timezone.now()
        )


class Invitation(models.Model):
    """A single-use, expiring invitation. Only the token's hash is stored."""

    class Kind(models.TextChoices):
        MEMBERSHIP = "membership", _("Organisation membership")
        EXPERT = "expert", _("Expert")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MEMBERSHIP)
    email = models.EmailField(_("email address"))
    display_name = models.CharField(_("name"), max_length=100, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=10, choices=Membership.Role.choices, default="member")
    panel_discipline = models.CharField(
        _("case-review panel discipline"),
        max_length=20,
        choices=ExpertProfile.PanelDiscipline.choices,
        blank=True,
    )
    talent_bank_discipline = models.CharField(
        _("talent bank discipline"),
        max_length=20,
        choices=ExpertProfile.TalentBankDiscipline.choices,
        blank=True,
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="expert") | Q(organization__isnull=False),
                name="membership_invitation_has_org",
            )
        ]

    def __str__(self) -> str:
        return self.email

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @staticmethod
    def hash_token(token: str) -> str:
        return _hash_token(token)

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    def get_status_display(self) -> str:
        return str(
            {
                "accepted": _("Accepted"),
                "revoked": _("Revoked"),
                "expired": _("Expired"),
                "pending": _("Pending"),
            }[self.status]
        )
