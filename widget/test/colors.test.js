// Clinic colours: whatever a clinic configures, text on the brand colour and
// links on the conversation's background keep WCAG AA contrast.
import assert from "node:assert/strict";
import { test } from "node:test";

import { AA, contrast, parseHex, readableOn, textOn, theme } from "../src/colors.js";

const SAMPLES = ["#ffd54f", "#8a8a8a", "#e91e63", "#0f5e6e", "#ffffff", "#000000", "#777777", "#00ff00", "#123"];

test("only hex colours are accepted, normalised to #rrggbb", () => {
  assert.equal(parseHex("#ABC"), "#aabbcc");
  assert.equal(parseHex(" #0F5E6E "), "#0f5e6e");
  for (const bad of ["red", "#abcd", "#12345g", "rgb(0,0,0)", "#fff;background:url(x)", "", null, 7]) {
    assert.equal(parseHex(bad), null, String(bad));
  }
});

test("contrast is symmetric and runs from 1 to 21", () => {
  assert.equal(contrast("#ffffff", "#000000"), contrast("#000000", "#ffffff"));
  assert.ok(Math.abs(contrast("#ffffff", "#000000") - 21) < 1e-9);
  assert.equal(contrast("#8a8a8a", "#8a8a8a"), 1);
});

test("text on a colour is whichever of light and dark reads better", () => {
  assert.equal(textOn("#ffffff"), "#14171a");
  assert.equal(textOn("#000000"), "#ffffff");
});

test("readableOn darkens a colour until it reaches AA, and leaves a readable one alone", () => {
  for (const color of SAMPLES.map(parseHex)) {
    const readable = readableOn(color);
    assert.ok(contrast(readable, "#ffffff") >= AA, `${color} -> ${readable}`);
    if (contrast(color, "#ffffff") >= AA) assert.equal(readable, color);
  }
});

test("every theme keeps AA for text on the brand and for ink on the canvas", () => {
  for (const primary of [...SAMPLES, "not a colour", undefined]) {
    for (const accent of [undefined, ...SAMPLES]) {
      const vars = theme(primary, accent);
      assert.ok(contrast(vars["--bcw-on-brand"], vars["--bcw-brand"]) >= AA, `${primary} text`);
      assert.ok(contrast(vars["--bcw-ink"], "#f4f7f8") >= AA, `${primary}/${accent} ink`);
      assert.ok(contrast(vars["--bcw-ink"], "#ffffff") >= AA, `${primary}/${accent} ink on white`);
    }
  }
});
