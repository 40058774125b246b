"""Topic ids (the product contract) and how an intent maps onto one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Optional

from bot.core.config import Settings, or_current


@dataclass(frozen=True)
class Topics:
    by_area: Mapping[str, tuple[str, ...]]
    unsourced: frozenset[str]

    @property
    def all(self) -> tuple[str, ...]:
        return tuple(t for ids in self.by_area.values() for t in ids)

    @property
    def sourced(self) -> tuple[str, ...]:
        """Topics the fact base must answer."""
        return tuple(t for t in self.all if t not in self.unsourced)

    def __contains__(self, topic: object) -> bool:
        return topic in self.all


def topics(settings: Optional[Settings] = None) -> Topics:
    """content/topics.yml: every topic id by area (read once per settings)."""
    s = or_current(settings)

    def build() -> Topics:
        raw = s.read_yaml(s.topics_file)
        return Topics(
            by_area={area: tuple(ids) for area, ids in raw["topics"].items()},
            unsourced=frozenset(raw["unsourced"]),
        )

    return s.cached("topics", build)


@dataclass(frozen=True)
class Route:
    entity: Optional[str]
    prefix: str
    default: str

    def topic(self, entity_values: Iterable[str]) -> str:
        known = topics()
        for value in entity_values:
            candidate = f"{self.prefix}.{value}" if self.prefix else str(value)
            if candidate in known:
                return candidate
        return self.default


def routes(settings: Optional[Settings] = None) -> dict[str, Route]:
    """content/routing.yml's `intents`: which topic each question intent (and entity) asks for."""
    s = or_current(settings)

    def build() -> dict[str, Route]:
        table: dict[str, Route] = {}
        for intent, spec in s.read_yaml(s.routing_file)["intents"].items():
            if isinstance(spec, str):
                table[intent] = Route(entity=None, prefix="", default=spec)
            else:
                table[intent] = Route(entity=spec["entity"], prefix=spec["prefix"], default=spec["default"])
        return table

    return s.cached("routes", build)


def topic_for(intent: str, entities: Mapping[str, list[str]]) -> Optional[str]:
    """The topic of a question, or None when the intent is not a question intent."""
    route = routes().get(intent)
    if route is None:
        return None
    values = entities.get(route.entity, []) if route.entity else []
    return route.topic(values)


# A classifier label: an intent, or an entity-routed intent with the value it routes by ("ask_benefit/sleep").
LABEL_SEPARATOR = "/"


@dataclass(frozen=True)
class Label:
    intent: str
    entity: Optional[str] = None
    value: Optional[str] = None

    def __str__(self) -> str:
        return f"{self.intent}{LABEL_SEPARATOR}{self.value}" if self.value else self.intent


def label_for(intent: str, entities: Mapping[str, Iterable[str]]) -> Label:
    """The label an example of `intent` trains: split by the first known value of the kind its intent routes by.

    Only the intent's own kind splits it: a condition named in a benefit question is not what it asks about.
    """
    route = routes().get(intent)
    if route is None or not route.entity or not route.prefix:
        return Label(intent)
    known = topics()
    for value in entities.get(route.entity, []):
        if f"{route.prefix}.{value}" in known:
            return Label(intent, route.entity, value)
    return Label(intent)


def read_label(label: str) -> Label:
    intent, _, value = label.partition(LABEL_SEPARATOR)
    route = routes().get(intent)
    return Label(intent, route.entity if route and value else None, value or None)
