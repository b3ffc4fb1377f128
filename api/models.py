"""API tokens and the record of idempotent writes.

A token belongs to a person (it acts as that user, with their scope and role) or to an integration (a county's or
township's data platform): an integration acts as its own service user, a user row made for it with the township
staff's or the county staff's role and no password, so every ``visible_to(user)`` and every service works for it
unchanged. Only a hash of the token is kept; the token itself is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedQuerySet, ScopeKind, scope_of

#: What every token starts with, so that a leaked one is recognisable (secret scanners, logs).
TOKEN_PREFIX = "lht_"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiTokenQuerySet(ScopedQuerySet):
    """The tokens a user sees on the token page: those of the users they see, and the integrations of the townships
    (or the county) they see. Reading a token never shows it: only its prefix is kept in clear."""

    scope_township_path = "user__township"
    scope_village_path = None
    scope_grid_path = None

    def visible_to(self, user):
        from governance.models import User

        scope = scope_of(user)
        if scope.kind == ScopeKind.ALL:
            return self.all()
        if scope.kind not in (ScopeKind.TOWNSHIP, ScopeKind.TOWNSHIPS):
            # Below the township: one's own tokens only.
            return self.filter(user=user) if getattr(user, "pk", None) else self.none()
        users = User.objects.visible_to(user).values("pk")
        q = Q(user__in=users) | Q(user=user)
        if scope.kind == ScopeKind.TOWNSHIPS:
            q |= Q(county=scope.county_id) | Q(township__in=scope.township_ids)
        else:
            q |= Q(township=scope.township_id)
        return self.filter(q)

    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    class Kind(models.TextChoices):
        PERSONAL = "personal", _("A person's token")
        INTEGRATION = "integration", _("An integration's token")

    class Access(models.TextChoices):
        READ = "read", _("Read only")
        READ_WRITE = "read_write", _("Read and write")

    name = models.CharField(_("token name"), max_length=64)
    kind = models.CharField(_("token kind"), max_length=16, choices=Kind, default=Kind.PERSONAL)
    # The person, or the integration's service user: whoever the token acts as.
    user = models.ForeignKey("governance.User", models.PROTECT, related_name="api_tokens",
                             verbose_name=_("acts as"))
    # An integration's scope: one township, or one county (its every township).
    township = models.ForeignKey("governance.Township", models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("township"))
    county = models.ForeignKey("governance.County", models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("county"))
    access = models.CharField(_("access"), max_length=16, choices=Access, default=Access.READ)
    may_reveal = models.BooleanField(_("may reveal full ID numbers and phones"), default=False)
    key_prefix = models.CharField(_("token begins with"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey("governance.User", models.PROTECT, related_name="+",
                                   verbose_name=_("token made by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey("governance.User", models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("token revoked by"))

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="personal", township__isnull=True, county__isnull=True)
                | Q(kind="integration", township__isnull=False, county__isnull=True)
                | Q(kind="integration", township__isnull=True, county__isnull=False),
                name="api_apitoken_scope_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def may_write(self) -> bool:
        return self.access == self.Access.READ_WRITE


class IdempotentRequest(models.Model):
    """A write taken with an ``Idempotency-Key``: the first answer, given again to a retry of the same request
    (a phone that lost the signal before the answer came). One per user (a person, or an integration's service
    user) and key."""

    token = models.ForeignKey(ApiToken, models.CASCADE, null=True, blank=True, related_name="+")
    user = models.ForeignKey("governance.User", models.CASCADE, related_name="+")
    key = models.CharField(max_length=128)
    endpoint = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            # Per user: a person's session and tokens share their keys; an integration is its own service user.
            models.UniqueConstraint(fields=["user", "key"], name="api_idempotentrequest_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.endpoint}"
