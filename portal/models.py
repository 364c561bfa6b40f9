"""The user and the abstract base that every domain model stands on."""

import uuid
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.history import HistoricalRecords


class TimestampedModel(models.Model):
    """UUID keys, so that ids in URLs say nothing about how many records there are."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


if TYPE_CHECKING:
    # The manager's model, for the type checker; Django's managers take no type parameter at
    # run time.
    _UserManagerBase = BaseUserManager["User"]
else:
    _UserManagerBase = BaseUserManager


class UserManager(_UserManagerBase):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address.

    Roles are not stored here: a user is a RAPS administrator or employer staff through a
    Membership (sponsors app), and an apprentice through their apprenticeship.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(default=False, help_text="Platform staff: may use the Django admin.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # The language of the portal's answers and notices to this user (settings.LANGUAGES).
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        constraints = [
            # One account per address whatever its case: sign-in looks e-mails up case-blind.
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        """How the portal names a person: their full name, or their e-mail until they give one."""
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class AuditAction(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    DELETED = "deleted", _("Deleted")


class AuditEntry(models.Model):
    """One history row of a sponsor's record, indexed for the audit trail (`portal/audit/`):
    when, who, which record, whose records (sponsor, employer) and the reason, whole. What
    changed is read from the history row (`record_type`'s history model, `history_id`)."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    record_type = models.CharField(max_length=40)
    record_id = models.UUIDField()
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    # Ids of other apps' records, without a foreign key: the portal knows no domain app.
    sponsor_id = models.UUIDField(null=True, blank=True)
    employer_id = models.UUIDField(null=True, blank=True)
    # The record whose history also shows this change (a work process's program).
    part_of_type = models.CharField(max_length=40, blank=True)
    part_of_id = models.UUIDField(null=True, blank=True)
    history_id = models.BigIntegerField()
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "audit entries"
        constraints = [
            # One entry per history row.
            models.UniqueConstraint(fields=["record_type", "history_id"], name="audit_entry_one_per_history_row"),
        ]
        indexes = [
            # The trail of a sponsor's and of an employer's records, newest first (keyset).
            models.Index(fields=["sponsor_id", "-at", "-id"], name="audit_sponsor_at"),
            models.Index(fields=["employer_id", "-at", "-id"], name="audit_employer_at"),
            # The employers' own records (the employer, its staff): no sponsor's alone.
            models.Index(
                fields=["employer_id", "-at", "-id"], condition=Q(sponsor_id__isnull=True), name="audit_employer_own_at"
            ),
            # One record's trail, and the trail of the records it is made of.
            models.Index(fields=["record_id", "-at", "-id"], name="audit_record_at"),
            models.Index(fields=["part_of_id", "-at", "-id"], name="audit_part_of_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.record_type} {self.record_id}"


class IdempotentRequest(models.Model):
    """The first answer to a write sent with an `Idempotency-Key` (portal/idempotency.py): a
    retry of the same request (same caller, key, method, path and body) within
    IDEMPOTENCY_KEY_TTL gets this answer again and writes nothing. A record of answers, not of
    the portal's data: it keeps no history, and rows older than the TTL are deleted
    (portal.tasks.delete_expired_idempotent_requests)."""

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    body_sha256 = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    # The headers the answer depends on (Content-Type, Location...), and its body as sent.
    headers = models.JSONField(default=dict, blank=True)
    body = models.BinaryField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotent_request_one_per_user_key"),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotent_request_created")]

    def __str__(self):
        return f"{self.method} {self.path} ({self.key})"
