"""Who is asking and which provinces they may see. No scope, no rows (fail closed)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scope:
    """A person and the province sigle they may see; `everywhere` lifts the province limit."""

    user: str = ""
    provinces: frozenset[str] = field(default_factory=frozenset)
    everywhere: bool = False

    @classmethod
    def all_provinces(cls, user: str) -> Scope:
        """Scope of someone who sees every territory (an executive, an analyst)."""
        return cls(user=user, everywhere=True)

    @classmethod
    def of(cls, user: str, provinces: list[str] | tuple[str, ...] | frozenset[str]) -> Scope:
        """Scope of someone limited to the given province sigle."""
        return cls(user=user, provinces=frozenset(p.strip().upper() for p in provinces if p))

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
