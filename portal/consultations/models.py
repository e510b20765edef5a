"""メール相談 (mail consultation by residents), the counsellors' inbox, 相談記録 (one record for every
consultation method) and what 相談実績 counts.

Residents are people in hikikomori and their families: a separate kind of account from staff
(``Resident``, never an ``accounts.User``), holding the minimum: a nickname, a prefecture, an age band,
the duration of withdrawal and a verified address for "a reply is waiting" mails. Threads, messages,
notes and records are purged a set period after the last contact (``CONSULTATION_RETENTION_DAYS``).
"""

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

PREFECTURES = [
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
]  # fmt: skip
PREFECTURE_CHOICES = [(p, p) for p in PREFECTURES]


class AgeBand(models.TextChoices):
    UNDER_15 = "u15", _("Under 15")
    TEENS = "15-19", _("15–19")
    TWENTIES = "20s", _("20–29")
    THIRTIES = "30s", _("30–39")
    FORTIES = "40s", _("40–49")
    FIFTIES = "50s", _("50–59")
    SIXTIES_PLUS = "60+", _("60 or older")
    UNKNOWN = "unknown", _("Prefer not to say")


class Withdrawal(models.TextChoices):
    UNDER_6M = "u6m", _("Less than 6 months")
    UNDER_1Y = "u1y", _("6 months to 1 year")
    UNDER_3Y = "u3y", _("1 to 3 years")
    UNDER_5Y = "u5y", _("3 to 5 years")
    UNDER_10Y = "u10y", _("5 to 10 years")
    OVER_10Y = "10y+", _("10 years or more")
    UNKNOWN = "unknown", _("Not sure or prefer not to say")


class Relation(models.TextChoices):
    PERSON = "person", _("The person themself")
    FAMILY = "family", _("Family")
    OTHER = "other", _("Other")


class Method(models.TextChoices):
    PHONE = "phone", _("Phone consultation")
    MAIL = "mail", _("Mail consultation")
    PEER_ONLINE = "peer_online", _("Peer online consultation")
    INDIVIDUAL = "individual", _("Individual (in-person) consultation")
    HOME_VISIT = "home_visit", _("Home-visit consultation")


class Topic(models.TextChoices):
    LIFE = "life", _("Daily life and routine")
    FAMILY = "family", _("Family relationships")
    HEALTH = "health", _("Mental and physical health")
    WORK = "work", _("Work and employment")
    SCHOOL = "school", _("School and study")
    MONEY = "money", _("Money and living costs")
    PLACE = "place", _("Somewhere to go (free space, groups)")
    SUPPORT = "support", _("Support services and windows")
    OTHER = "other", _("Other")


class Referral(models.TextChoices):
    NONE = "none", _("No referral")
    WINDOW = "window", _("Municipal consultation window")
    MEDICAL = "medical", _("Medical institution")
    PARTNER = "partner", _("Partner organisation")
    SUPPORT_NET = "support_net", _("Another Support Net service")
    OTHER = "other", _("Other")


class Resident(models.Model):
    """A person using メール相談: signs in with a 利用者番号 and a password, never as staff."""

    user_number = models.CharField(_("user number"), max_length=16, unique=True)
    password = models.CharField(max_length=128)
    nickname = models.CharField(_("nickname"), max_length=30)
    prefecture = models.CharField(_("prefecture"), max_length=5, choices=PREFECTURE_CHOICES)
    age_band = models.CharField(_("age"), max_length=8, choices=AgeBand.choices)
    withdrawal = models.CharField(_("time in withdrawal"), max_length=8, choices=Withdrawal.choices)
    email = models.EmailField(_("email address"))
    email_verified_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)
    last_contact_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mail consultation user")
        verbose_name_plural = _("mail consultation users")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return self.user_number

    @property
    def audit_label(self) -> str:
        return f"利用者 #{self.pk}"

    def set_password(self, raw: str) -> None:
        self.password = make_password(raw)

    def check_password(self, raw: str) -> bool:
        return bool(self.password) and check_password(raw, self.password)

    def session_hash(self) -> str:
        """Changes with the password and on sign-out everywhere: ends every session of the person."""
        return salted_hmac(
            "portal.consultations.Resident.session_hash",
            f"{self.password}:{self.session_generation}",
            algorithm="sha256",
        ).hexdigest()


class Thread(models.Model):
    """One mail consultation: the resident's messages and the counsellors' replies."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for a reply")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    class DraftState(models.TextChoices):
        NONE = "", _("No draft")
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("Waiting for review")
        APPROVED = "approved", _("Approved")

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="threads")
    subject = models.CharField(_("subject"), max_length=60)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    due_on = models.DateField(_("reply due"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counsellor"),
    )
    draft_body = models.TextField(_("reply"), blank=True, max_length=8000)
    draft_state = models.CharField(max_length=10, choices=DraftState.choices, default="", blank=True)
    draft_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    draft_version = models.PositiveIntegerField(default=1)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_contact_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mail consultation")
        verbose_name_plural = _("mail consultations")
        ordering = ["-last_contact_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "waiting_since"], name="thread_waiting"),
            models.Index(fields=["last_contact_at"], name="thread_last_contact"),
        ]

    def __str__(self) -> str:
        return f"M-{self.pk:06d}"

    @property
    def reference(self) -> str:
        return f"M-{self.pk:06d}"

    @property
    def audit_label(self) -> str:
        return self.reference


class Message(models.Model):
    class Author(models.TextChoices):
        RESIDENT = "resident", _("You")
        COUNSELLOR = "counsellor", _("Counsellor")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(max_length=10, choices=Author.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"), max_length=8000)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mail consultation message")
        verbose_name_plural = _("mail consultation messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.thread} #{self.pk}"


class Note(models.Model):
    """A counsellors' note on a thread: never shown to the resident."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("internal note"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.thread} note #{self.pk}"


class ReplyTemplate(models.Model):
    """Wording for common replies; general text, never about a person."""

    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"), max_length=8000)
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class Record(models.Model):
    """相談記録: one record per consultation, whatever the method."""

    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    date = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), null=True, blank=True)
    relation = models.CharField(_("who consulted"), max_length=8, choices=Relation.choices)
    age_band = models.CharField(_("age of the person"), max_length=8, choices=AgeBand.choices)
    withdrawal = models.CharField(_("time in withdrawal"), max_length=8, choices=Withdrawal.choices)
    municipality = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "municipality"},
        verbose_name=_("municipality (Tokyo)"),
    )
    prefecture = models.CharField(_("prefecture"), max_length=5, choices=PREFECTURE_CHOICES, blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    referral = models.CharField(_("referral made"), max_length=12, choices=Referral.choices, default="none")
    nickname = models.CharField(_("nickname"), max_length=30, blank=True)
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="records"
    )
    thread = models.OneToOneField(
        Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="record"
    )
    # 訪問相談 lives in portal/outreach; the record points at it instead of copying it.
    visit_referral = models.ForeignKey(
        "outreach.VisitReferral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("home-visit referral"),
    )
    # ピアオンライン相談 and 個別相談 are booked in the residents' pages; their reference is kept here.
    booking_reference = models.CharField(_("booking reference"), max_length=40, blank=True)
    summary = models.TextField(_("what was discussed"), blank=True, max_length=8000)
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_contact_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("consultation record")
        verbose_name_plural = _("consultation records")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["date", "method"], name="record_date_method"),
            models.Index(fields=["nickname"], name="record_nickname"),
        ]

    def __str__(self) -> str:
        return f"R-{self.pk:06d}"

    @property
    def reference(self) -> str:
        return f"R-{self.pk:06d}"

    @property
    def audit_label(self) -> str:
        return self.reference

    @property
    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels.get(t, t)) for t in self.topics or []]

    @property
    def area(self) -> str:
        if self.municipality_id:
            return str(self.municipality)
        return self.prefecture
