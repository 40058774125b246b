"""Known conversations, written into a tracker store the way the Rasa servers write them.

Each turn becomes the events Rasa 3.6 records for it (the user message with
its parse data and channel, the slots the safety layer's entities fill, the
action, the bot message with its envelope, action_listen), saved through the
project's own tracker store classes, so the rows are the real schema. The
truth the report must match is computed from the same specs by plain Python,
turn by turn, without SQL.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Optional

from bot.insights import sample

DAY = sample.DAY
# The moment the seeded population is built around (one per test session).
NOW = time.time()

# kind -> (envelope topic override, utter_action): how each kind of reply is stored
ANSWER, CLARIFY, FALLBACK, OUT_OF_SCOPE, ALERT, HANDOFF, SMALLTALK = (
    "answer",
    "clarify",
    "fallback",
    "out_of_scope",
    "alert",
    "handoff",
    "smalltalk",
)


@dataclass
class Turn:
    text: str
    kind: str
    topic: Optional[str] = None  # the answered topic, or the guessed one for unanswered kinds
    intent: str = "ask_condition"
    triage: str = "none"
    red_flag: Optional[str] = None
    gap: float = 60.0  # seconds after the previous turn

    @property
    def envelope_topic(self) -> str:
        return {
            CLARIFY: "chat.fallback",
            FALLBACK: "chat.fallback",
            OUT_OF_SCOPE: "chat.out_of_scope",
            ALERT: "triage.alert",
            HANDOFF: "chat.human_handoff",
        }.get(self.kind, self.topic)


@dataclass
class Conversation:
    sender: str
    channel: str
    start: float
    turns: list[Turn] = field(default_factory=list)


def _parse_data(turn: Turn) -> dict:
    entities = []
    if turn.triage != "none":
        entities += [
            {"entity": "triage", "value": turn.triage, "start": 0, "end": 1, "extractor": "RedFlagComponent"},
            {"entity": "red_flag", "value": turn.red_flag, "start": 0, "end": 1, "extractor": "RedFlagComponent"},
        ]
    intent = {"name": turn.intent, "confidence": 0.93}
    ranking = [intent, {"name": "greet", "confidence": 0.04}]
    if turn.kind in (FALLBACK, CLARIFY, OUT_OF_SCOPE):
        guessed = {
            "session.aftercare": "session_aftercare",
            "practical.cost_insurance": "cost_insurance",
            "type.hot_stone": "ask_massage_type",
        }.get(turn.topic or "", "about_assistant")
        intent = {"name": "nlu_fallback", "confidence": 0.7}
        ranking = [intent, {"name": guessed, "confidence": 0.4}]
        if guessed == "ask_massage_type":
            entities.append({"entity": "massage_type", "value": "hot_stone", "start": 0, "end": 1})
    return {"text": turn.text, "intent": intent, "entities": entities, "intent_ranking": ranking}


def events_of(conversation: Conversation) -> list:
    from rasa.shared.core.events import Event

    t = conversation.start
    out = sample.session_start(t)
    for turn in conversation.turns:
        t += turn.gap
        action, utter = {
            CLARIFY: ("action_fallback", None),
            FALLBACK: ("action_fallback", "utter_chat_fallback"),
            OUT_OF_SCOPE: ("action_fallback", "utter_chat_out_of_scope"),
            ALERT: (f"utter_triage_{turn.triage}", f"utter_triage_{turn.triage}"),
            HANDOFF: ("action_answer", "utter_chat_human_handoff"),
            SMALLTALK: ("utter_chat_greet", "utter_chat_greet"),
        }.get(turn.kind, ("action_answer", None))
        out += sample.turn(
            t,
            channel=conversation.channel,
            parse_data=_parse_data(turn),
            action_name=action,
            reply=f"reply about {turn.envelope_topic}",
            custom={"topic": turn.envelope_topic, "triage": turn.triage, "sources": [], "disclaimer": True},
            utter=utter,
            buttons=[{"title": "Aftercare", "payload": '/ask_topic{"topic":"session.aftercare"}'}]
            if turn.kind == CLARIFY
            else None,
            slots=[("triage", turn.triage), ("red_flag", turn.red_flag)] if turn.triage != "none" else (),
            after=[("last_topic", turn.topic)] if turn.kind == ANSWER else (),
        )
    return [Event.from_parameters(event) for event in out]


def save_all(store, conversations: list[Conversation]) -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    async def run() -> None:
        for conversation in conversations:
            tracker = DialogueStateTracker.from_events(
                conversation.sender, events_of(conversation), store.domain.slots if store.domain else []
            )
            await store.save(tracker)

    asyncio.run(run())


# -- a varied, reproducible population --------------------------------------------------
TOPICS = sample.TOPICS
CHANNELS = sample.CHANNELS
UNANSWERED_TEXTS = [
    ("does massage help with shingles", FALLBACK, None),
    ("can massage help shingles?", FALLBACK, None),
    ("Does massage help shingles", CLARIFY, "session.aftercare"),
    ("what do you charge for a couples massage", CLARIFY, "practical.cost_insurance"),
    ("whats the weather tomorrow", OUT_OF_SCOPE, None),
    ("call me on 07700 900123 about hot stones", FALLBACK, "type.hot_stone"),
    ("my email is jo.bloggs@example.com hot stones booking", FALLBACK, "type.hot_stone"),
    ("I was born 12/03/1980 and live at SW1A 1AA, zip 90210", OUT_OF_SCOPE, None),
]
SECRETS = ["07700 900123", "jo.bloggs@example.com", "12/03/1980", "SW1A 1AA", "90210"]
ALERT_TEXTS = [
    ("I cant feel my legs and bladder gone 07700 911911", "emergency", "cauda_equina"),
    ("fever and back pain since yesterday", "urgent", "infection"),
    ("I have a known slipped disc", "professional", "known_condition"),
]
ALERT_SECRET = "07700 911911"


def population(now: float, days: int = 12, n: int = 80, seed: int = 7) -> list[Conversation]:
    rng = random.Random(seed)
    base = (now // DAY - days) * DAY  # midnight UTC, `days` days ago
    conversations = []
    for i in range(n):
        start = base + rng.randrange(days) * DAY + rng.uniform(3600, 18 * 3600)
        conv = Conversation(sender=f"sender-{i:03d}", channel=rng.choice(CHANNELS), start=start)
        for _ in range(rng.randint(1, 5)):
            roll = rng.random()
            gap = rng.choice([30.0, 60.0, 90.0, 5000.0])  # 5000 s: a new session, "left" before it
            if roll < 0.5:
                topic = rng.choice(TOPICS)
                conv.turns.append(Turn(f"question about {topic}", ANSWER, topic, gap=gap))
                if rng.random() < 0.2:  # a repeat of the same topic or a "no"
                    if rng.random() < 0.5:
                        conv.turns.append(Turn(f"again {topic}", ANSWER, topic))
                    else:
                        conv.turns.append(Turn("not really", SMALLTALK, "chat.greet", intent="deny"))
            elif roll < 0.65:
                text, kind, guess = rng.choice(UNANSWERED_TEXTS)
                conv.turns.append(Turn(text, kind, guess, gap=gap))
            elif roll < 0.75:
                text, level, flag = rng.choice(ALERT_TEXTS)
                conv.turns.append(
                    Turn(
                        text,
                        ALERT if level != "professional" else ANSWER,
                        "condition.herniated_disc" if level == "professional" else None,
                        intent="triage_" + level if level != "professional" else "ask_condition",
                        triage=level,
                        red_flag=flag,
                        gap=gap,
                    )
                )
            elif roll < 0.85:
                conv.turns.append(Turn("can I talk to a person", HANDOFF, intent="human_handoff", gap=gap))
            else:
                conv.turns.append(Turn("hello", SMALLTALK, "chat.greet", intent="greet", gap=gap))
        conversations.append(conv)
    return conversations


# -- the truth, computed turn by turn ----------------------------------------------------
def outcome(turn: Turn) -> str:
    if turn.triage in ("emergency", "urgent"):
        return "triaged"
    return {OUT_OF_SCOPE: "refused", CLARIFY: "clarified", FALLBACK: "not_understood"}.get(turn.kind, "answered")


def timed_turns(conv: Conversation):
    t = conv.start
    for turn in conv.turns:
        t += turn.gap
        yield t, turn


def truth(conversations: list[Conversation], since: float, until: float, channel: Optional[str] = None) -> dict:
    per_day: Counter = Counter()
    conv_days: Counter = Counter()
    topics: Counter = Counter()
    outcomes: Counter = Counter()
    levels: Counter = Counter()
    flags: Counter = Counter()
    after: dict = defaultdict(Counter)
    not_helped: Counter = Counter()
    totals: Counter = Counter()
    for conv in conversations:
        if channel and conv.channel != channel:
            continue
        timed = list(timed_turns(conv))
        seen_days, alerted, counted = set(), False, False
        for i, (t, turn) in enumerate(timed):
            if not since <= t < until:
                continue
            day = dt.datetime.fromtimestamp(t, dt.timezone.utc).date()
            per_day[(day, conv.channel)] += 1
            if day not in seen_days:
                conv_days[(day, conv.channel)] += 1
                seen_days.add(day)
            if not counted:
                totals["conversations"] += 1
                counted = True
            totals["turns"] += 1
            if (
                turn.envelope_topic
                and not turn.envelope_topic.startswith("chat.")
                and turn.envelope_topic != "triage.alert"
            ):
                topics[turn.envelope_topic] += 1
            outcomes[outcome(turn)] += 1
            if turn.kind == HANDOFF:
                totals["human_requests"] += 1
            following = timed[i + 1] if i + 1 < len(timed) and timed[i + 1][0] - t <= 3600 else None
            if turn.triage != "none":
                levels[turn.triage] += 1
                flags[turn.red_flag] += 1
                if not alerted:
                    totals["alert_conversations"] += 1
                    alerted = True
                if following is None:
                    after[turn.triage]["left"] += 1
                elif following[1].kind == HANDOFF:
                    after[turn.triage]["asked for a person"] += 1
                else:
                    after[turn.triage]["asked again"] += 1
            if outcome(turn) == "answered" and following is not None and turn.kind == ANSWER:
                nxt = following[1]
                if nxt.intent == "deny":
                    not_helped[(turn.topic, "denied")] += 1
                elif nxt.envelope_topic == turn.topic:
                    not_helped[(turn.topic, "repeated")] += 1
    return {
        "per_day": per_day,
        "conv_days": conv_days,
        "topics": topics,
        "outcomes": outcomes,
        "levels": levels,
        "flags": flags,
        "after": after,
        "not_helped": not_helped,
        "totals": totals,
    }


def unanswered_truth(
    conversations: list[Conversation], since: float, until: float, channel: Optional[str] = None
) -> Counter:
    """Raw text -> times it went unanswered, in conversations that never raised an alert."""
    found: Counter = Counter()
    for conv in conversations:
        if (channel and conv.channel != channel) or any(t.triage != "none" for t in conv.turns):
            continue
        for t, turn in timed_turns(conv):
            if since <= t < until and turn.kind in (CLARIFY, FALLBACK, OUT_OF_SCOPE):
                found[turn.text] += 1
    return found


@dataclass
class Seeded:
    """A store seeded with `conversations` around `now`, reachable at `url`."""

    url: str
    conversations: list[Conversation]
    now: float
