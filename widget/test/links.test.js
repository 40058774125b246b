// The only links the widget makes: absolute http(s) pages and tel: numbers.
import assert from "node:assert/strict";
import { test } from "node:test";

import { linkParts, safeWebUrl, telHref } from "../src/links.js";

test("only absolute http(s) addresses are web links", () => {
  assert.equal(safeWebUrl("https://www.nhs.uk/conditions/sciatica/"), "https://www.nhs.uk/conditions/sciatica/");
  assert.equal(safeWebUrl(" http://clinic.example "), "http://clinic.example/");
  for (const bad of ["javascript:alert(1)", "data:text/html,<b>x</b>", "mailto:a@b.c", "/relative", "//evil.example",
    "https://", "ftp://files.example", "", null, 12]) {
    assert.equal(safeWebUrl(bad), null, String(bad));
  }
});

test("a plausible phone number becomes a tel: link of its digits", () => {
  assert.equal(telHref("999"), "tel:999");
  assert.equal(telHref("+44 (0)20 7946-0000"), "tel:+4402079460000");
  assert.equal(telHref(112), "tel:112");
  for (const bad of ["", "1", "call me", "+", "999; rm -rf", "tel:999", "1".repeat(30), null]) {
    assert.equal(telHref(bad), null, String(bad));
  }
});

test("a bare URL in a sentence is cut out without its trailing punctuation", () => {
  assert.deepEqual(linkParts("See https://www.nhs.uk/conditions/sciatica/. Then rest."), [
    { text: "See " },
    { url: "https://www.nhs.uk/conditions/sciatica/" },
    { text: ". Then rest." },
  ]);
  assert.deepEqual(linkParts("(https://a.example/x), https://b.example"), [
    { text: "(" },
    { url: "https://a.example/x" },
    { text: "), " },
    { url: "https://b.example" },
  ]);
});

test("text without a web address stays one plain part, and the parts always join back to the text", () => {
  assert.deepEqual(linkParts(""), [{ text: "" }]);
  assert.deepEqual(linkParts("javascript:alert(1) and www.example.com"), [{ text: "javascript:alert(1) and www.example.com" }]);
  for (const text of ["a https://x.example b https://y.example/?q=1#f c", "https://z.example", "<script>https://q.example</script>"]) {
    assert.equal(linkParts(text).map((p) => p.text ?? p.url).join(""), text);
  }
});
