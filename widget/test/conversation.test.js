// The stored conversation's ordering rules: an emergency or urgent reply goes
// first in its turn, a bare envelope joins the text before it, and no quick
// replies are offered in a turn that raised an alert.
import assert from "node:assert/strict";
import { test } from "node:test";

import { addBotEntry, botEntry, currentTurn, offeredReplies, userEntry } from "../src/conversation.js";

const CHIP = { title: "Types of massage", payload: '/ask_topic{"topic":"type.overview"}' };

function bot(text, custom = null, quick = []) {
  return botEntry({ text, custom, quick_replies: quick });
}

function replay(...entries) {
  return entries.reduce((messages, entry) => (entry.from === "user" ? [...messages, entry] : addBotEntry(messages, entry)), []);
}

test("a bot_uttered payload becomes a well-formed entry whatever it holds", () => {
  const entry = botEntry({ text: 5, custom: "x", quick_replies: "no" });
  assert.equal(entry.from, "bot");
  assert.equal(entry.text, "");
  assert.equal(entry.custom, null);
  assert.deepEqual(entry.quick_replies, []);
  assert.ok(entry.id);
  assert.notEqual(botEntry({}).id, botEntry({}).id);
  assert.equal(botEntry({ id: "m1" }).id, "m1");
});

test("an alert goes first in its turn, after the user's question", () => {
  const question = userEntry("sudden numbness down there");
  const messages = replay(userEntry("hi"), bot("hello"), question, bot("Here is some advice."),
    bot("Call 999 now.", { triage: "emergency" }));
  assert.deepEqual(messages.map((m) => m.text), ["hi", "hello", "sudden numbness down there", "Call 999 now.", "Here is some advice."]);
});

test("a second alert stays after the first one", () => {
  const messages = replay(userEntry("q"), bot("text"), bot("first", { triage: "emergency" }), bot("second", { triage: "urgent" }));
  assert.deepEqual(currentTurn(messages).map((m) => m.text), ["first", "second", "text"]);
});

test("an envelope sent on its own joins the text just before it", () => {
  const envelope = { topic: "type.overview", triage: "none", sources: [] };
  const messages = replay(userEntry("q"), bot("Swedish, deep tissue..."), bot("", envelope, [CHIP]));
  assert.equal(messages.length, 2);
  assert.deepEqual(messages[1].custom, envelope);
  assert.deepEqual(messages[1].quick_replies, [CHIP]);
});

test("the same message delivered twice is stored once", () => {
  const entry = bot("once");
  const messages = replay(userEntry("q"), entry, entry);
  assert.equal(messages.length, 2);
});

test("quick replies are those of the turn's last message, and none after an alert or while waiting", () => {
  assert.deepEqual(offeredReplies(replay(userEntry("q"), bot("a", null, [CHIP]))), [CHIP]);
  assert.deepEqual(offeredReplies(replay(userEntry("q"), bot("a", null, [CHIP]), bot("b"))), []);
  assert.deepEqual(offeredReplies(replay(userEntry("q"), bot("a", null, [CHIP]), bot("!", { triage: "urgent" }))), []);
  assert.deepEqual(offeredReplies(replay(bot("a", null, [CHIP]), userEntry("q"))), []);
  assert.deepEqual(offeredReplies([]), []);
});
