"""The commands a pymongo client sends, as a listener records them (for tests that count them)."""

from __future__ import annotations

from typing import Any

from pymongo import monitoring


class SentCommands(monitoring.CommandListener):
    """Every command started through the client it listens to, in order, as sent."""

    def __init__(self) -> None:
        self.events: list[monitoring.CommandStartedEvent] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.events.append(event)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def clear(self) -> None:
        self.events.clear()

    def on(self, collection: str) -> list[monitoring.CommandStartedEvent]:
        """The commands about `collection` (a getMore names its collection in `collection`)."""
        return [e for e in self.events if collection_of(e) == collection]

    def named(self, *names: str) -> list[dict[str, Any]]:
        """The bodies of the commands of these names."""
        return [dict(e.command) for e in self.events if e.command_name in names]


def collection_of(event: monitoring.CommandStartedEvent) -> str:
    """The collection a command is about (`-` for a command about none)."""
    name = event.command_name
    target = event.command.get("collection") if name == "getMore" else event.command.get(name)
    return target if isinstance(target, str) else "-"
