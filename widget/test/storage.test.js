// The conversation kept on the device: survives a reload, forgotten after the
// configured hours or on "new conversation", never larger than its cap.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";

import { ConversationStore } from "../src/storage.js";

function memory() {
  const items = new Map();
  return {
    items,
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => items.set(k, String(v)),
    removeItem: (k) => items.delete(k),
  };
}

const realNow = Date.now;
afterEach(() => {
  Date.now = realNow;
});

test("what is saved loads back, per server", () => {
  const backend = memory();
  const store = new ConversationStore("https://a.example", 24, backend);
  store.save({ sessionId: "s1", messages: [{ id: "1", from: "user", text: "hi" }], open: true });
  const loaded = new ConversationStore("https://a.example", 24, backend).load();
  assert.equal(loaded.sessionId, "s1");
  assert.equal(loaded.messages[0].text, "hi");
  assert.equal(new ConversationStore("https://b.example", 24, backend).load().sessionId, null);
});

test("a conversation unused for longer than historyHours is forgotten", () => {
  const backend = memory();
  const store = new ConversationStore("https://a.example", 2, backend);
  Date.now = () => 1_000_000;
  store.save({ sessionId: "s1", messages: [], open: false });
  Date.now = () => 1_000_000 + 2 * 3600 * 1000 - 1;
  assert.equal(store.load().sessionId, "s1");
  Date.now = () => 1_000_000 + 2 * 3600 * 1000 + 1;
  assert.equal(store.load().sessionId, null);
  assert.equal(backend.items.size, 0, "the expired conversation is removed, not just hidden");
});

test("only the latest messages are kept", () => {
  const store = new ConversationStore("https://a.example", 24, memory());
  const messages = Array.from({ length: 250 }, (_, i) => ({ id: String(i), from: "user", text: String(i) }));
  const saved = store.save({ sessionId: null, messages, open: false });
  assert.ok(saved.messages.length < messages.length);
  assert.equal(saved.messages.at(-1).text, "249");
  assert.deepEqual(store.load().messages, saved.messages);
});

test("unreadable or foreign data and a failing storage leave an empty conversation", () => {
  const backend = memory();
  const store = new ConversationStore("https://a.example", 24, backend);
  for (const raw of ["{not json", JSON.stringify({ v: 99, messages: [] }), JSON.stringify({ v: 1, messages: "x" })]) {
    backend.setItem(store.key, raw);
    assert.deepEqual(store.load().messages, []);
  }
  const broken = { getItem() { throw new Error("blocked"); }, setItem() { throw new Error("full"); }, removeItem() {} };
  const fragile = new ConversationStore("https://a.example", 24, broken);
  assert.deepEqual(fragile.load().messages, []);
  assert.equal(fragile.save({ sessionId: "s", messages: [], open: true }).sessionId, "s");
});

test("clear forgets the conversation", () => {
  const store = new ConversationStore("https://a.example", 24, memory());
  store.update((s) => ({ ...s, sessionId: "s1" }));
  store.clear();
  assert.equal(store.load().sessionId, null);
});
