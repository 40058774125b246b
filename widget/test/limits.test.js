// The server's limits over the widget's built-in ones: a usable value wins,
// anything else keeps the default.
import assert from "node:assert/strict";
import { test } from "node:test";

import { DEFAULT_LIMITS, mergeLimits } from "../src/limits.js";

test("a limit the server sends replaces the built-in one", () => {
  assert.deepEqual(mergeLimits(DEFAULT_LIMITS, { max_message_chars: 500 }), { max_message_chars: 500 });
  assert.deepEqual(mergeLimits({ max_message_chars: 10 }, { max_message_chars: 4000 }), { max_message_chars: 4000 });
});

test("before the server answers, or when it sends nothing, the defaults stand", () => {
  for (const missing of [undefined, null, {}, "limits", 42, []]) {
    assert.deepEqual(mergeLimits(DEFAULT_LIMITS, missing), DEFAULT_LIMITS);
  }
});

test("a value that is not a positive whole number keeps the default", () => {
  for (const bad of [0, -1, 1.5, "300", NaN, Infinity, null, true, { n: 3 }]) {
    assert.deepEqual(mergeLimits({ max_message_chars: 77 }, { max_message_chars: bad }), { max_message_chars: 77 }, String(bad));
  }
});

test("limits the widget does not know are ignored, and the defaults are not changed", () => {
  const defaults = { max_message_chars: 77 };
  const merged = mergeLimits(defaults, { max_message_chars: 99, burst: 8 });
  assert.deepEqual(merged, { max_message_chars: 99 });
  assert.deepEqual(defaults, { max_message_chars: 77 });
});
