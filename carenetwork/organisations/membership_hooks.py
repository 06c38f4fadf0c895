"""What other capabilities must do when a person's membership of an organisation ends.

Organisations sit below the capabilities (forums, training …) and never import them. A capability that keeps
something tied to a membership (a forum booking, a forum lead) registers a handler here from its AppConfig.ready();
the membership services call `membership_ended` inside their own transaction, so the handler's writes commit or
roll back with the membership's end.
"""

from collections.abc import Callable

_handlers: list[Callable] = []


def register_membership_ended(handler: Callable) -> Callable:
    """Call `handler(membership=..., actor=...)` whenever a membership ends (leaving or removal)."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def membership_ended(*, membership, actor) -> None:
    """Tell every registered capability that the membership has ended (called by the services that end one)."""
    for handler in list(_handlers):
        handler(membership=membership, actor=actor)
