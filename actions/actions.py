"""Rasa custom actions: thin adapters from the tracker to `bot.answers`."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.answers import answer_intent, answer_topic
from bot.facts.repository import default_repository


def _entities(tracker: Tracker) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for entity in tracker.latest_message.get("entities", []):
        found.setdefault(entity["entity"], []).append(str(entity.get("value")))
    return found


class ActionAnswer(Action):
    """Answers every fact-base question from the cached fact base."""

    def name(self) -> str:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        entities = _entities(tracker)
        triage = (entities.get("triage") or ["none"])[0]
        reply = answer_intent(intent, entities, triage=triage)
        if reply is None:
            reply = answer_topic("about.assistant", triage=triage)
        dispatcher.utter_message(text=reply.text, buttons=reply.buttons, json_message=reply.custom)
        return [SlotSet("last_topic", reply.topic)]


try:  # Warm the fact cache when the action server imports this module.
    default_repository().warm_up()
except Exception:  # noqa: BLE001 - a cold database is answered politely per turn
    pass
