"""State machines for the services' domains, and their one refusal: 409 `illegal-transition`.

Standard library only, so a service's pure `domain` may use it. A machine is a table
`action -> (states it may start from, state it leads to)`; asking it for an action the
current state does not allow raises `IllegalTransition`, which the chassis answers as a
problem+json with the same type everywhere (`urn:community:problem:illegal-transition`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field


class IllegalTransition(Exception):
    """A state change the machine does not allow from the current state."""

    problem_status = 409
    problem_type = "illegal-transition"
    problem_title = "Illegal transition"

    def __init__(
        self,
        kind: str,
        action: str,
        current: str,
        allowed_from: Iterable[str] = (),
        *,
        target: str | None = None,
        reason: str | None = None,
    ) -> None:
        allowed = sorted(str(state) for state in allowed_from)
        detail = f"Cannot {_words(action)} a {_words(kind)} that is {_words(str(current))}"
        if allowed:
            detail += f" (allowed from: {', '.join(allowed)})"
        detail += f": {reason}." if reason else "."
        self.detail = detail
        super().__init__(detail)
        self.extra: dict[str, object] = {
            "transition": f"{kind}.{action}",
            "current_status": str(current),
            "allowed_from": allowed,
        }
        if target is not None:
            self.extra["target_status"] = str(target)


@dataclass(frozen=True)
class StateMachine:
    """The lifecycle of one kind of aggregate (`kind` names it in refusals)."""

    kind: str
    transitions: Mapping[str, tuple[Collection[str], str]]
    _sources: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        sources = {
            action: frozenset(str(s) for s in froms) for action, (froms, _) in self.transitions.items()
        }
        object.__setattr__(self, "_sources", sources)

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self.transitions)

    def allows(self, current: str, action: str) -> bool:
        """Whether `action` may start from `current`."""
        return action in self._sources and str(current) in self._sources[action]

    def allowed_actions(self, current: str) -> list[str]:
        """The actions the current state allows, in the table's order."""
        return [action for action in self.transitions if self.allows(current, action)]

    def target(self, current: str, action: str) -> str:
        """The state `action` leads to from `current`, or `IllegalTransition`."""
        if action not in self.transitions:
            raise KeyError(f"{self.kind} has no action {action!r}")
        if not self.allows(current, action):
            raise self.refusal(current, action)
        return self.transitions[action][1]

    def sources(self, action: str) -> frozenset[str]:
        """The states `action` may start from."""
        return self._sources[action]

    def refusal(self, current: str, action: str, reason: str | None = None) -> IllegalTransition:
        """The refusal of `action` from `current` (raise it; a guard may give its `reason`)."""
        froms, to = self.transitions[action] if action in self.transitions else ((), None)
        return IllegalTransition(self.kind, action, current, froms, target=to, reason=reason)


def _words(name: str) -> str:
    return name.replace("_", " ")
