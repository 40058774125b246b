"""The topic evaluation's arithmetic and how it reads replies, on replies shaped like the assistant's own."""

from __future__ import annotations

from bot.core.answers import button_payload, clarify
from bot.core.topic_corpus import Message
from bot.tools.topic_eval import clarified_topics, meets_targets, metrics, score_reply


def _reply(topic, buttons=()):
    return [{"text": "...", "buttons": list(buttons)}, {"custom": {"topic": topic, "triage": "none"}}]


def _clarifying_reply(a, b):
    reply = clarify((a, b))
    return [{"text": reply.text, "buttons": reply.buttons}, {"custom": reply.custom}]


def test_a_clarifying_question_is_told_from_a_plain_fallback_and_from_follow_up_buttons():
    assert clarified_topics(_clarifying_reply("type.swedish", "type.deep_tissue")) == (
        "type.swedish",
        "type.deep_tissue",
    )
    assert clarified_topics(_reply("chat.fallback")) == ()
    # an answer with follow-up buttons is not a clarification
    assert clarified_topics(_reply("type.swedish", [{"title": "x", "payload": button_payload("type.sports")}])) == ()


def test_accuracy_accepts_alternatives_and_counts_clarifications_and_give_ups():
    def m(text, topic, alt=()):
        return Message(text=text, topic=topic, alt=tuple(alt), persona="p", batch="b")

    scored = [
        score_reply(m("a", "type.swedish"), _reply("type.swedish")),
        score_reply(m("b", "session.pressure", ["type.deep_tissue"]), _reply("type.deep_tissue")),
        score_reply(m("c", "session.pressure"), _clarifying_reply("session.pressure", "type.deep_tissue")),
        score_reply(m("d", "practical.booking"), _reply("chat.out_of_scope")),
        score_reply(m("e", "chat.fallback"), _reply("chat.fallback")),
        score_reply(m("f", "chat.out_of_scope"), _reply("chat.out_of_scope")),
        score_reply(m("g", "type.swedish"), [{"text": "no envelope"}]),
    ]
    r = metrics(scored)
    assert r["messages"] == 7 and r["correct"] == 4
    assert r["accuracy"] == round(4 / 7, 4)
    assert r["clarifications"] == round(1 / 7, 4)
    assert r["gave_up"] == round(1 / 7, 4)  # only d: e and f are labelled so
    assert r["no_envelope"] == 1
    assert r["per_topic"]["session.pressure"] == {"support": 2, "correct": 1, "recall": 0.5}
    assert r["lowest_recall"] == [0.0, "practical.booking"]
    assert {
        (x["expected"], x["got"].split(") ")[0] + (")" if x["got"].startswith("(clarify)") else ""))
        for x in r["misses"]
    } == {
        ("session.pressure", "(clarify)"),
        ("practical.booking", "chat.out_of_scope"),
        ("type.swedish", "(no envelope)"),
    }


def test_targets_need_accuracy_every_topic_and_few_clarifications():
    m = Message(text="x", topic="type.swedish", persona="p", batch="b")
    good = metrics([score_reply(m, _reply("type.swedish"))] * 20)
    assert meets_targets(good)
    clarifying = metrics(
        [score_reply(m, _reply("type.swedish"))] * 18
        + [
            score_reply(
                Message(text="y", topic="chat.fallback", persona="p", batch="b"),
                _clarifying_reply("type.swedish", "type.sports"),
            )
        ]
        * 2
    )
    assert clarifying["accuracy"] == 1.0 and not meets_targets(clarifying)  # 10% clarifications
