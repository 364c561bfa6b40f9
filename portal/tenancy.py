"""The one tenancy base: who the caller is in the portal, resolved once per request.

Every API view that shows records stands on `TenantViewSet` (or `TenantAPIView`). It resolves
the caller's `Scope` once per request and hands it to the view's `scoped_queryset`, so that a
view cannot forget to scope: `get_object` looks only inside the scoped queryset, and a record
outside the caller's scope answers 404 exactly like one that does not exist. Whether the caller
may act on a record they can see is the rule of the service that writes it (`portal.errors.Forbidden`,
403).

The scope is built by the function that `PORTAL_SCOPE_RESOLVER` names. The portal only knows
its shape; the domain apps (which build on the portal, never the other way) know memberships
and apprenticeships.
"""

from __future__ import annotations

import operator
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import reduce
from typing import TYPE_CHECKING, TypeVar, cast, overload
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from rest_framework import generics, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from portal import idempotency
from portal.audit import client_reason

_M = TypeVar("_M", bound=Model)


class Role:
    RAPS_ADMIN = "raps_admin"
    EMPLOYER_ADMIN = "employer_admin"
    SUPERVISOR = "supervisor"
    APPRENTICE = "apprentice"


@dataclass(frozen=True)
class OrganizationRole:
    organization_id: UUID
    organization_name: str
    organization_kind: str  # "sponsor" | "employer"
    role: str


# A grant of employer staff: (employer id, sponsor id), where the sponsor is None when the
# role covers every program the employer takes part in.
StaffGrant = tuple[UUID, UUID | None]


@dataclass(frozen=True)
class Scope:
    """What the caller may see, as ids. Empty for anyone without a role."""

    user_id: UUID | None
    memberships: tuple[OrganizationRole, ...] = ()
    # Sponsors whose RAPS administrator the caller is.
    admin_sponsor_ids: frozenset[UUID] = frozenset()
    # Where the caller is employer staff (admin or supervisor), and where they are admin: an
    # employer's apprenticeships in the programs of the grant's sponsor, or of every sponsor
    # (None). An employer shared by several sponsors is seen sponsor by sponsor.
    staff_grants: frozenset[StaffGrant] = frozenset()
    admin_grants: frozenset[StaffGrant] = frozenset()
    # Sponsors the caller's employers take part in, within the grants (read access to the
    # sponsor itself and its programs).
    partner_sponsor_ids: frozenset[UUID] = frozenset()
    # The caller's own apprenticeships, as the apprentice.
    apprenticeship_ids: frozenset[UUID] = field(default_factory=frozenset)
    is_platform_staff: bool = False

    @property
    def member_sponsor_ids(self) -> frozenset[UUID]:
        return self.admin_sponsor_ids | self.partner_sponsor_ids

    @property
    def staff_employer_ids(self) -> frozenset[UUID]:
        return frozenset(employer_id for employer_id, _sponsor_id in self.staff_grants)

    @property
    def admin_employer_ids(self) -> frozenset[UUID]:
        return frozenset(employer_id for employer_id, _sponsor_id in self.admin_grants)

    def is_raps_admin(self, sponsor_id: UUID) -> bool:
        return sponsor_id in self.admin_sponsor_ids

    def is_employer_staff(self, employer_id: UUID, sponsor_id: UUID | None) -> bool:
        """Staff of the employer for the programs of `sponsor_id` (None: for all of them)."""
        return (employer_id, None) in self.staff_grants or (
            sponsor_id is not None and (employer_id, sponsor_id) in self.staff_grants
        )

    def is_employer_admin(self, employer_id: UUID, sponsor_id: UUID | None) -> bool:
        return (employer_id, None) in self.admin_grants or (
            sponsor_id is not None and (employer_id, sponsor_id) in self.admin_grants
        )


# Why a write is made, as a client may say in any write's body (its own serializer's `reason`,
# a decision's, is the same text and is recorded once).
REASON_MAX_LENGTH = 2000


def reason_of(request: Request) -> str | None:
    """The body's `reason`: a text of at most REASON_MAX_LENGTH characters, else a 400 naming it."""
    data = request.data
    if not hasattr(data, "get"):  # a list (bulk writes), or no body
        return None
    value = data.get("reason")
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError({"reason": [_("Not a valid string.")]})
    if len(value) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": [_("Ensure this field has no more than %(max)s characters.") % {"max": REASON_MAX_LENGTH}]}
        )
    if "\x00" in value:
        raise ValidationError({"reason": [_("Null characters are not allowed.")]})
    return value.strip() or None


def resolve_scope(request: Request) -> Scope:
    """The caller's scope, computed on first use and kept on the request."""
    cached = getattr(request, "_portal_scope", None)
    if cached is not None:
        return cached
    user = request.user
    if not user.is_authenticated:
        scope = Scope(user_id=None)
    else:
        scope = import_string(settings.PORTAL_SCOPE_RESOLVER)(user=user)
    request._portal_scope = scope  # type: ignore[attr-defined]  # our own cache, kept on the request
    return scope


if TYPE_CHECKING:
    from portal.models import User

    # What the mixin is mixed into, for the type checker (the views below); at run time a plain
    # mixin, so that the views' MRO stays the one they declare.
    _TenantBase = generics.GenericAPIView
else:
    _TenantBase = object


class TenantMixin(_TenantBase):
    """Owns get_queryset/get_object for the views below it; views only narrow."""

    # A POST sent with an Idempotency-Key (portal/idempotency.py): its claim, once taken.
    _idempotent = False
    _idempotency_claim: idempotency.Claim | None = None

    @property
    def scope(self) -> Scope:
        return resolve_scope(self.request)

    @property
    def acting_user(self) -> User:
        """The caller, as the services name who acts: signed in, as every tenant view requires
        (DEFAULT_PERMISSION_CLASSES), so never the anonymous user."""
        return cast("User", self.request.user)

    def scoped_queryset(self, scope: Scope) -> QuerySet:
        """The records this caller may read. Every view must say."""
        raise NotImplementedError(f"{type(self).__name__} must define scoped_queryset(scope)")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # The `reason` a write's body may give, recorded with every history row it saves
        # (portal/audit/).
        if request.method not in SAFE_METHODS:
            self._reason_token = client_reason.set(reason_of(request))
        if getattr(self, "_idempotent", False):
            # After authentication: keys are the caller's own (portal/idempotency.py).
            self._idempotency_claim = idempotency.claim(request)

    def dispatch(self, request, *args, **kwargs):
        if not idempotency.applies(request):
            return super().dispatch(request, *args, **kwargs)
        # A POST with an Idempotency-Key: its claim, its work and its stored answer are one
        # transaction, so that a crash or a lost connection leaves neither half.
        self._idempotent = True
        self._idempotency_claim = None
        idempotency.read_body(request)
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if self._idempotency_claim is not None:
                idempotency.record(self._idempotency_claim, response)
        return response

    def handle_exception(self, exc):
        if isinstance(exc, idempotency.Replayed):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        token = getattr(self, "_reason_token", None)
        if token is not None:
            client_reason.reset(token)
            del self._reason_token
        return super().finalize_response(request, response, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        # Resolved on first use: a view that needs only the caller's own id spends no query on it.
        # The lazy object stands in for the Scope: it forwards every attribute read to it.
        return self.scoped_queryset(cast(Scope, SimpleLazyObject(lambda: resolve_scope(self.request))))


class TenantViewSet(TenantMixin, viewsets.GenericViewSet):
    pass


class TenantAPIView(TenantMixin, generics.GenericAPIView):
    pass


@overload
def scoped_or_400(queryset: QuerySet[_M], pk: UUID | str, field: str) -> _M: ...
@overload
def scoped_or_400(queryset: QuerySet[_M], pk: None, field: str) -> None: ...
def scoped_or_400(queryset: QuerySet[_M], pk: UUID | str | None, field: str) -> _M | None:
    """A record named by id in a request body, looked up within the caller's scope (`queryset`).
    Out of scope it is a bad value (400 on `field`), exactly like an id that does not exist:
    never a 404 that would tell it exists, never a 403."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise DjangoValidationError({field: [_("Not found.")]})
    return found


def any_of(*branches: Q | Collection[object]) -> Q:
    """The OR of the branches a caller has ids for: a kind of role the caller does not have
    costs the query nothing (not even Django's work of building it). Matches nothing when the
    caller has no role at all.

    A branch is written `ids and Q(...)`: the Q, or the empty collection of ids."""
    kept = [branch for branch in branches if isinstance(branch, Q) and branch]
    return reduce(operator.or_, kept) if kept else Q(pk__in=[])


def staff_grants_filter(grants: Iterable[StaffGrant], *, employer_field: str, sponsor_field: str) -> Q:
    """Records of employer staff's grants: at the employer (`employer_field`), and, for a grant
    limited to a sponsor, in that sponsor's programs (`sponsor_field`). Matches nothing without
    grants; callers write `scope.staff_grants and staff_grants_filter(...)` inside `any_of`."""
    wide = [employer_id for employer_id, sponsor_id in grants if sponsor_id is None]
    limited = [(employer_id, sponsor_id) for employer_id, sponsor_id in grants if sponsor_id is not None]
    return any_of(
        wide and Q(**{f"{employer_field}__in": wide}),
        *(Q(**{employer_field: employer_id, sponsor_field: sponsor_id}) for employer_id, sponsor_id in limited),
    )
