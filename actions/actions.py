"""Rasa custom actions: thin adapters from the tracker to `bot.core.dialogue` and `bot.core.answers`."""

from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.core.answers import Reply, answer_topic, clarify
from bot.core.dialogue import (
    NONSENSE_INTENT,
    Resolution,
    is_plain_language,
    mentions_the_domain,
    next_subject,
    resolve,
    resolve_unsure,
)
from bot.core.facts.repository import default_repository
from bot.core.topics import topics

# Slots that remember which subject of each kind was last answered.
SLOT_OF_PREFIX = {"type": "massage_type", "technique": "technique", "condition": "condition", "benefit": "benefit"}


def _entities(tracker: Tracker) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for entity in tracker.latest_message.get("entities", []):
        found.setdefault(entity["entity"], []).append(str(entity.get("value")))
    return found


def _triage(entities: dict[str, list[str]]) -> str:
    return (entities.get("triage") or ["none"])[0]


def _say(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    dispatcher.utter_message(text=reply.text, buttons=reply.buttons, json_message=reply.custom)


def _chat_response(topic: str, domain: dict[str, Any]) -> Optional[str]:
    """The domain response that answers a conversation topic, e.g. chat.human_handoff -> utter_chat_human_handoff."""
    name = "utter_" + topic.replace(".", "_")
    return name if name in (domain.get("responses") or {}) else None


def _answer(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], resolution: Resolution, triage: str
) -> list:
    """Send the reply a resolution calls for; returns the slot events that remember it."""
    if resolution.clarify:
        _say(dispatcher, clarify(resolution.clarify, triage=triage))
        return []
    topic = resolution.topic if resolution.topic in topics() else "about.assistant"
    if topic in topics().unsourced:
        response = _chat_response(topic, domain)
        if response:
            dispatcher.utter_message(response=response)
            return [SlotSet("last_topic", topic)]
        topic = "about.assistant"
    reply = answer_topic(
        topic, triage=triage, context=resolution.context, detail=resolution.detail, also=resolution.also
    )
    _say(dispatcher, reply)
    events = [
        SlotSet("last_topic", reply.topic),
        SlotSet("subject", next_subject(reply.topic, tracker.get_slot("subject"))),
    ]
    prefix, _, value = reply.topic.partition(".")
    if prefix in SLOT_OF_PREFIX and value != "overview":
        events.append(SlotSet(SLOT_OF_PREFIX[prefix], value))
    return events


class ActionAnswer(Action):
    """Answers every fact-base question, follow-ups included, from the cached fact base."""

    def name(self) -> str:
        return "action_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        message = tracker.latest_message
        intent = message.get("intent") or {}
        entities = _entities(tracker)
        resolution = resolve(
            intent.get("name") or "",
            entities,
            message.get("text") or "",
            subject=tracker.get_slot("subject"),
            last_topic=tracker.get_slot("last_topic"),
            confidence=float(intent.get("confidence") or 1.0),
        )
        if resolution.topic is None and not resolution.clarify:
            resolution = Resolution(topic="about.assistant")
        return _answer(dispatcher, tracker, domain, resolution, _triage(entities))


class ActionFallback(Action):
    """A message the classifier was unsure of: ask which of two topics, answer a named subject, say
    what the assistant covers (no word about massage or backs at all), or ask to rephrase.

    Offering the list of topics after a second miss is a rule (data/rules/chat.yml),
    so it works from the domain alone.
    """

    def name(self) -> str:
        return "action_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        message = tracker.latest_message
        text = message.get("text") or ""
        nonsense = (message.get("intent") or {}).get("name") == NONSENSE_INTENT
        if not nonsense and is_plain_language(text) and not mentions_the_domain(text):
            dispatcher.utter_message(response="utter_chat_out_of_scope")
            return []
        entities = _entities(tracker)
        resolution = resolve_unsure(
            message.get("intent_ranking") or [], entities, text, subject=tracker.get_slot("subject")
        )
        if resolution.topic or resolution.clarify:
            return _answer(dispatcher, tracker, domain, resolution, _triage(entities))
        dispatcher.utter_message(response="utter_chat_fallback")
        return []


try:  # Warm the fact cache when the action server imports this module.
    default_repository().warm_up()
except Exception:  # noqa: BLE001 - a cold database is answered politely per turn
    pass
