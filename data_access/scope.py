"""Who is asking, their role and which provinces they may see. No scope, no rows (fail closed)."""

from __future__ import annotations

from dataclasses import dataclass, field

REGIONAL_MANAGER = "regional_manager"
EXECUTIVE = "executive"
ANALYST = "analyst"
ADMIN = "admin"
# lowest to highest: each role may do everything the ones before it may
ROLES = (REGIONAL_MANAGER, EXECUTIVE, ANALYST, ADMIN)
EVERYWHERE_ROLES = frozenset({EXECUTIVE, ANALYST, ADMIN})  # every province, never a list
RAW_ROLES = frozenset({ANALYST, ADMIN})  # may export raw rows (contacts, survey responses, cases)


@dataclass(frozen=True)
class Scope:
    """A person, their role and the province sigle they may see; `everywhere` lifts the
    province limit. The role decides what they may do (raw-row exports), never what they see.
    """

    user: str = ""
    provinces: frozenset[str] = field(default_factory=frozenset)
    everywhere: bool = False
    role: str = ""  # one of ROLES; "" for nobody (an empty scope)
    previewer: str = ""  # the admin previewing the app as `user`; "" when it is user themself

    @classmethod
    def all_provinces(cls, user: str, role: str = EXECUTIVE) -> Scope:
        """Scope of someone who sees every territory (an executive, an analyst, an admin)."""
        return cls(user=user, everywhere=True, role=role)

    @classmethod
    def of(
        cls,
        user: str,
        provinces: list[str] | tuple[str, ...] | frozenset[str],
        role: str = REGIONAL_MANAGER,
    ) -> Scope:
        """Scope of someone limited to the given province sigle (a regional manager)."""
        sigle = frozenset(p.strip().upper() for p in provinces if p)
        return cls(user=user, provinces=sigle, role=role)

    @property
    def may_export_raw(self) -> bool:
        """True when the role may export raw rows (analysts and admins); aggregates are for all."""
        return bool(self.user) and self.role in RAW_ROLES

    def visible(self, requested: tuple[str, ...] = ()) -> frozenset[str] | None:
        """Provinces a query may read: requested narrowed to the scope; None means no limit.

        A request can narrow the scope, never widen it; an anonymous scope sees nothing.
        """
        if not self.user:
            return frozenset()
        requested_set = frozenset(requested)
        if self.everywhere:
            return requested_set or None
        return requested_set & self.provinces if requested_set else self.provinces
