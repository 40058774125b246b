// The embedding clinic's settings, validated: whatever a page sets, the widget
// gets a usable configuration.
import assert from "node:assert/strict";
import { test } from "node:test";

import { configFrom, DEFAULT_SUGGESTIONS } from "../src/config.js";
import { fill, STRINGS, strings } from "../src/strings.js";

test("the page's language and the script's origin fill what the settings leave out", () => {
  const config = configFrom({}, { lang: "de-AT", origin: "https://assistant.example" });
  assert.equal(config.lang, "de-AT");
  assert.equal(config.words.sources, strings("de").sources);
  assert.equal(config.serverUrl, "https://assistant.example");
  assert.equal(config.greeting, config.words.greeting);
  assert.deepEqual(config.suggestions, DEFAULT_SUGGESTIONS);
});

test("settings win over the page, and the server URL loses its trailing slashes", () => {
  const config = configFrom({ lang: "fr", serverUrl: "https://b.example//", greeting: "Bonjour" }, { lang: "en", origin: "https://a.example" });
  assert.equal(config.lang, "fr");
  assert.equal(config.serverUrl, "https://b.example");
  assert.equal(config.greeting, "Bonjour");
});

test("invalid values fall back to safe defaults", () => {
  const config = configFrom({ primaryColor: "red;x:y", accentColor: "nope", position: "top", open: "yes",
    historyHours: "-3", replyTimeoutMs: "soon", suggestions: "many" });
  assert.equal(config.primaryColor, configFrom({}).primaryColor);
  assert.equal(config.accentColor, null);
  assert.equal(config.position, "right");
  assert.equal(config.open, false);
  assert.ok(config.historyHours > 0);
  assert.ok(config.replyTimeoutMs > 0);
  assert.deepEqual(config.suggestions, DEFAULT_SUGGESTIONS);
  assert.equal(configFrom({ open: "true", position: "left", historyHours: "2" }).historyHours, 2);
});

test("every language translates every English string, and unknown languages fall back to English", () => {
  const keys = Object.keys(STRINGS.en).sort();
  for (const [lang, words] of Object.entries(STRINGS)) {
    assert.deepEqual(Object.keys(words).sort(), keys, lang);
    assert.deepEqual(Object.keys(words.sourceKinds).sort(), Object.keys(STRINGS.en.sourceKinds).sort(), lang);
  }
  assert.equal(strings("xx-YY").greeting, STRINGS.en.greeting);
  assert.equal(strings("FR-ca").greeting, STRINGS.fr.greeting);
});

test("fill puts values into a template and leaves unknown placeholders alone", () => {
  assert.equal(fill("Call {number} or {other}", { number: 999 }), "Call 999 or {other}");
});
