"""Multi-turn conversations over REST: follow-ups reuse context, unclear messages get help.

Each test is one conversation (its own sender id) against the real assistant;
every turn must carry exactly one envelope (Turn.custom checks that).
"""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.e2e


class Conversation:
    def __init__(self, assistant):
        self.assistant, self.sender = assistant, f"followup-{uuid.uuid4().hex}"

    def say(self, text: str):
        return self.assistant.ask(text, sender=self.sender)


@pytest.fixture
def chat(assistant) -> Conversation:
    return Conversation(assistant)


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    """The same content the assistant serves, read straight from the YAML (not from its replies)."""
    from bot.core.facts.content import read_content
    from bot.core.facts.repository import FactRepository
    from bot.core.facts.store import engine_for, load

    engine = engine_for(f"sqlite:///{tmp_path_factory.mktemp('facts') / 'facts.db'}")
    load(read_content(), engine)
    return FactRepository(engine)


def test_what_about_for_sciatica_after_deep_tissue(chat):
    assert chat.say("what's a deep tissue massage like?").custom["topic"] == "type.deep_tissue"
    assert chat.say("what about for sciatica?").custom["topic"] == "condition.sciatica"


def test_is_it_safe_after_a_massage_type_adds_that_type_s_cautions(chat, facts):
    assert chat.say("tell me about hot stone massage").custom["topic"] == "type.hot_stone"
    turn = chat.say("is it safe?")
    assert turn.custom["topic"] == "safety.contraindications"
    hot_stone = facts.facts_for("type.hot_stone")[0]
    assert hot_stone.see_professional_when[0] in turn.text
    assert turn.buttons[0]["payload"] == '/ask_topic{"topic":"type.hot_stone"}'


def test_how_often_after_a_condition_adds_that_condition_s_cautions(chat, facts):
    assert chat.say("can massage help my sciatica").custom["topic"] == "condition.sciatica"
    turn = chat.say("how often?")
    assert turn.custom["topic"] == "session.frequency"
    assert facts.facts_for("condition.sciatica")[0].see_professional_when[0] in turn.text


def test_the_subject_lasts_over_several_follow_ups(chat, facts):
    assert chat.say("is deep tissue ok with a bulging disc").custom["topic"] == "condition.herniated_disc"
    assert chat.say("how often should i go?").custom["topic"] == "session.frequency"
    turn = chat.say("and will it hurt?")
    assert turn.custom["topic"] == "session.pressure"
    assert facts.facts_for("condition.herniated_disc")[0].see_professional_when[0] in turn.text


def test_will_it_help_reuses_the_condition(chat):
    assert chat.say("i have a slipped disc").custom["topic"] == "condition.herniated_disc"
    assert chat.say("would a massage help with it?").custom["topic"] == "condition.herniated_disc"


def test_tell_me_more_gives_the_detail_of_the_last_answer(chat, facts):
    first = chat.say("can massage help sciatica?")
    assert first.custom["topic"] == "condition.sciatica"
    more = chat.say("tell me more")
    assert more.custom["topic"] == "condition.sciatica"
    detail = facts.facts_for("condition.sciatica")[0].detail
    assert detail.split(".")[0] in more.text and more.text != first.text


CLARIFY_ME = "i have sciatica and a slipped disc, would massage help?"


def test_two_conditions_at_once_get_a_clarifying_question_with_quick_replies(chat):
    turn = chat.say(CLARIFY_ME)
    assert turn.custom["topic"] == "chat.fallback"
    payloads = [b["payload"] for b in turn.buttons]
    assert payloads[:2] == [
        '/ask_topic{"topic":"condition.sciatica"}',
        '/ask_topic{"topic":"condition.herniated_disc"}',
    ]
    picked = chat.say(payloads[1])
    assert picked.custom["topic"] == "condition.herniated_disc" and picked.custom["sources"]


def test_two_types_at_once_answer_the_first_and_offer_the_second(chat):
    turn = chat.say("what's the difference between swedish and deep tissue massage?")
    assert turn.custom["topic"] == "type.swedish"
    assert turn.buttons[0]["payload"] == '/ask_topic{"topic":"type.deep_tissue"}'


def test_something_else_after_a_clarifying_question_offers_topics(chat):
    chat.say(CLARIFY_ME)
    turn = chat.say("/deny")
    assert turn.custom["topic"] == "chat.fallback"
    assert len(turn.buttons) >= 4


def test_fallback_asks_to_rephrase_once_then_offers_topics(chat):
    first = chat.say("xqzv blorf wibble")
    assert first.custom["topic"] == "chat.fallback"
    assert "another way" in first.text and not first.buttons
    second = chat.say("blorp zingo quaxx")
    assert second.custom["topic"] == "chat.fallback"
    payloads = [b["payload"] for b in second.buttons]
    assert '/ask_topic{"topic":"chat.human_handoff"}' in payloads and len(payloads) >= 4
    person = chat.say('/ask_topic{"topic":"chat.human_handoff"}')
    assert person.custom["topic"] == "chat.human_handoff"
    assert "{clinic_" not in person.text


def test_after_a_rephrase_a_real_question_is_answered(chat):
    assert chat.say("xqzv blorf wibble").custom["topic"] == "chat.fallback"
    assert chat.say("what happens at a first massage?").custom["topic"] == "session.what_to_expect"


def test_handoff_gives_the_clinic_contact(chat):
    turn = chat.say("can I talk to a real person please")
    assert turn.custom["topic"] == "chat.human_handoff"
    assert "{clinic_" not in turn.text and turn.text.strip()


def test_out_of_scope_says_what_the_assistant_can_do(chat):
    turn = chat.say("what's the weather going to be tomorrow")
    assert turn.custom["topic"] == "chat.out_of_scope"
    assert "I can answer questions about" in turn.text
    assert turn.buttons


def test_no_after_thanks_ends_the_conversation(chat):
    chat.say("how long is a massage session?")
    assert chat.say("thanks!").custom["topic"] == "chat.thanks"
    assert chat.say("no").custom["topic"] == "chat.goodbye"


def test_context_does_not_leak_between_people(assistant):
    one, two = Conversation(assistant), Conversation(assistant)
    assert one.say("tell me about hot stone massage").custom["topic"] == "type.hot_stone"
    assert two.say("is massage safe?").custom["topic"] == "safety.contraindications"
    assert "Hot stone massage in particular" not in two.say("is it safe?").text
