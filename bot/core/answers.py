"""Turning a recognised question into the assistant's reply.

This is the one place that decides what an answer says: the rasa-sdk action
and the tests call it, so every channel gets the same text, follow-up buttons
and envelope.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional

from bot.core.clinic import Clinic, clinic
from bot.core.config import current
from bot.core.envelope import envelope
from bot.core.facts.content import SOURCE_KINDS, month_label
from bot.core.facts.repository import FactBaseUnavailable, FactRepository, FactView, default_repository
from bot.core.levels import PROFESSIONAL
from bot.core.payload import topic_payload
from bot.core.topics import topic_for, topics

PROFESSIONAL_NOTE = "Because of what you mentioned, please see a GP or physiotherapist before booking a massage."
UNREACHABLE = (
    "I can't reach my knowledge base right now, so I can't answer that properly. Please try again in a few minutes"
)


@dataclass(frozen=True)
class Reply:
    text: str
    custom: dict
    buttons: list[dict] = field(default_factory=list)

    @property
    def topic(self) -> str:
        return self.custom["topic"]


# The payload of a follow-up button; the channel guard accepts exactly this form.
button_payload = topic_payload


def _labels() -> dict[str, str]:
    s = current()
    return s.cached("topic_labels", lambda: dict(s.read_yaml(s.topics_file).get("labels") or {}))


def label(topic: str) -> str:
    return _labels().get(topic) or topic.split(".", 1)[-1].replace("_", " ").capitalize()


def follow_up_buttons(related: tuple[str, ...]) -> list[dict]:
    return [{"title": label(t), "payload": button_payload(t)} for t in related[:3]]


def _clinic_details(c: Clinic) -> str:
    details = c.contact_text()
    return f"{details}\nPrices: {c.prices}" if c.prices else details


EMERGENCY_PHRASE = "the emergency number"


def with_numbers(text: str, c: Clinic) -> str:
    """Facts say "the emergency number"; the reader is told which one it is where the clinic is."""
    if EMERGENCY_PHRASE not in text or f"{EMERGENCY_PHRASE} (" in text:
        return text
    return text.replace(EMERGENCY_PHRASE, f"{EMERGENCY_PHRASE} ({c.emergency_number})", 1)


def reviewed_line(fact: FactView) -> Optional[str]:
    """'Reviewed November 2026.': when the fact was last checked against its sources."""
    label = month_label(fact.reviewed)
    return f"Reviewed {label}." if label else None


def _compose(fact: FactView, triage: str, c: Clinic, body: Optional[str] = None, extra: tuple[str, ...] = ()) -> str:
    parts = [with_numbers(body or fact.answer, c)]
    if fact.see_professional_when:
        parts.append("See a GP or physiotherapist first if: " + " ".join(fact.see_professional_when))
    parts.extend(extra)
    if triage == PROFESSIONAL:
        parts.append(PROFESSIONAL_NOTE)
    if fact.topic.startswith("practical.") or fact.topic == "chat.human_handoff":
        parts.append(_clinic_details(c))
    reviewed = reviewed_line(fact)
    parts.append(f"{reviewed} {c.disclaimer}" if reviewed else c.disclaimer)
    return "\n\n".join(parts)


def kind_label(kind: Optional[str]) -> Optional[str]:
    return SOURCE_KINDS.get(kind or "")


def _sources(facts: tuple[FactView, ...]) -> list[dict]:
    seen: list[dict] = []
    for fact in facts:
        for s in fact.sources:
            source = {
                "title": f"{s.publisher}: {s.title}" if s.publisher not in s.title else s.title,
                "url": s.url,
                "kind": s.kind,
            }
            if source not in seen:
                seen.append(source)
    return seen


def _context_note(context: FactView) -> str:
    """What a facet answer adds about the subject the person was asking about."""
    name = label(context.topic)
    if context.see_professional_when:
        return f"{name} in particular: see a GP or physiotherapist first if: " + " ".join(context.see_professional_when)
    return f"{name}: there's more about it behind the first button below."


def answer_topic(
    topic: str,
    triage: str = "none",
    repository: Optional[FactRepository] = None,
    c: Optional[Clinic] = None,
    context: Optional[str] = None,
    detail: bool = False,
    also: tuple[str, ...] = (),
) -> Reply:
    """The reply for a fact-base topic; `triage` is the detector's level for the message.

    `context` is the subject of a follow-up ("is it safe?" after deep tissue):
    its cautions and sources are added and it comes first among the buttons.
    `detail` answers "tell me more" with the fact's longer explanation, and
    `also` names other topics the message mentioned, offered first as buttons.
    """
    c = c or clinic()
    repository = repository or default_repository()
    try:
        facts = repository.facts_for(topic, c.region)
        context_facts = repository.facts_for(context, c.region) if context and context != topic else ()
    except FactBaseUnavailable:
        contact = _clinic_details(c)
        return Reply(
            text=f"{UNREACHABLE}, or contact the clinic.\n\n{contact}\n\n{c.disclaimer}",
            custom=envelope(topic, triage=triage, sources=(), disclaimer=True),
        )
    if not facts:
        return Reply(
            text=f"I don't have a checked answer about that yet. {_clinic_details(c)}\n\n{c.disclaimer}",
            custom=envelope(topic, triage=triage, sources=(), disclaimer=True),
        )
    fact = facts[0]
    used = (fact, *context_facts[:1])
    extra = tuple(_context_note(f) for f in context_facts[:1])
    related = tuple(
        dict.fromkeys([*(f.topic for f in context_facts[:1]), *also, *(t for t in fact.related if t != topic)])
    )
    if detail:
        related = tuple(t for t in related if t != topic)
    return Reply(
        text=_compose(fact, triage, c, body=fact.detail if detail and fact.detail else None, extra=extra),
        custom=envelope(topic, triage=triage, sources=_sources(used)),
        buttons=follow_up_buttons(related),
    )


def clarify(options: tuple[str, ...], triage: str = "none", c: Optional[Clinic] = None) -> Reply:
    """A question back when a message could be about two topics, with one quick reply each."""
    c = c or clinic()
    names = [label(t) for t in options]
    question = " or ".join(f'"{n}"' for n in names)
    buttons = [{"title": n, "payload": button_payload(t)} for n, t in zip(names, options)]
    buttons.append({"title": "Something else", "payload": "/deny"})
    return Reply(
        text="\n\n".join(
            [
                f"Just to check I've understood: which would you like to know about, {question}?",
                *([PROFESSIONAL_NOTE] if triage == PROFESSIONAL else []),
                c.disclaimer,
            ]
        ),
        custom=envelope("chat.fallback", triage=triage, sources=(), disclaimer=True),
        buttons=buttons,
    )


def answer_intent(
    intent: str,
    entities: Mapping[str, list[str]],
    triage: str = "none",
    repository: Optional[FactRepository] = None,
) -> Optional[Reply]:
    """The reply for a question intent, or None when the intent is not a fact-base question."""
    topic = topic_for(intent, entities)
    if topic is None or topic not in topics() or topic in topics().unsourced:
        return None
    return answer_topic(topic, triage=triage, repository=repository)
