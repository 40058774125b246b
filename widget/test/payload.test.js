// The quick-reply payload grammar: what the widget builds, it can read back,
// and it is the exact form the server's channel guard accepts.
import assert from "node:assert/strict";
import { test } from "node:test";

import { DEFAULT_SUGGESTIONS } from "../src/config.js";
import { payloadTopic, topicPayload } from "../src/payload.js";

test("a topic payload reads back as its topic", () => {
  for (const topic of ["session.what_to_expect", "type.deep_tissue", "condition.sciatica"]) {
    assert.equal(payloadTopic(topicPayload(topic)), topic);
  }
});

test("a topic payload is Rasa's compact intent-with-entities form", () => {
  // The server compares byte for byte (no spaces), as bot.core.answers.button_payload writes it.
  assert.equal(topicPayload("type.overview"), '/ask_topic{"topic":"type.overview"}');
});

test("anything else is not a topic request", () => {
  for (const payload of [null, 42, "", "/ask_topic", "/ask_topic{", '/ask_topic{"topic":1}', '/ask_topic{"topic":""}',
    '/greet{"topic":"type.overview"}', 'ask_topic{"topic":"type.overview"}', "what is sciatica?"]) {
    assert.equal(payloadTopic(payload), null, String(payload));
  }
});

test("every default suggestion asks for a topic", () => {
  for (const suggestion of DEFAULT_SUGGESTIONS) {
    assert.ok(payloadTopic(suggestion.payload), suggestion.title);
    assert.ok(suggestion.title.trim());
  }
});
