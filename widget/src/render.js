// Turning stored messages into DOM nodes. Every text from the user or the
// assistant goes in through textContent / text nodes, never innerHTML, and the
// only links are the safe ones from links.js.
import { telLink, textWithLinks, webLink } from "./links.js";
import { fill } from "./strings.js";

export const ALERT_LEVELS = new Set(["emergency", "urgent"]);

export function triageOf(entry) {
  return (entry && entry.custom && entry.custom.triage) || "none";
}

export function isAlert(entry) {
  return entry.from === "bot" && ALERT_LEVELS.has(triageOf(entry));
}

function el(doc, tag, className, text) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function srOnly(doc, text) {
  return el(doc, "span", "bcw-sr-only", text);
}

/** Paragraphs of plain text; bare http(s) URLs become safe links. */
export function paragraphs(doc, text, words) {
  const box = doc.createDocumentFragment();
  for (const part of String(text || "").split(/\n{2,}/)) {
    if (!part.trim()) continue;
    const p = el(doc, "p", "bcw-p");
    p.append(textWithLinks(doc, part.trim(), words.newTab));
    box.append(p);
  }
  return box;
}

function sourcesList(doc, sources, words) {
  const seen = new Set();
  const items = [];
  for (const source of Array.isArray(sources) ? sources : []) {
    if (!source || typeof source.title !== "string" || !source.title.trim()) continue;
    const key = source.title + "\u0000" + (source.url || "");
    if (seen.has(key)) continue;
    seen.add(key);
    const li = el(doc, "li");
    li.append(webLink(doc, source.url, source.title, words.newTab) || doc.createTextNode(source.title));
    // What kind of source it is (guideline, review, clinic article...), so a
    // clinic's own article is never mistaken for a clinical guideline.
    const kind = words.sourceKinds && typeof source.kind === "string" && words.sourceKinds[source.kind];
    if (kind) li.append(el(doc, "span", "bcw-source-kind", " (" + kind + ")"));
    items.push(li);
  }
  if (!items.length) return null;
  const box = el(doc, "div", "bcw-sources");
  box.append(el(doc, "p", "bcw-sources-title", words.sources));
  const list = el(doc, "ul");
  list.append(...items);
  box.append(list);
  return box;
}

function userMessage(doc, entry, words) {
  const node = el(doc, "div", "bcw-msg bcw-msg--user");
  const bubble = el(doc, "div", "bcw-bubble");
  bubble.append(srOnly(doc, words.you + ": "), doc.createTextNode(entry.text || ""));
  node.append(bubble);
  return node;
}

function botMessage(doc, entry, words) {
  const node = el(doc, "div", "bcw-msg bcw-msg--bot");
  if (entry.text) {
    const bubble = el(doc, "div", "bcw-bubble");
    bubble.append(srOnly(doc, words.assistant + ": "), paragraphs(doc, entry.text, words));
    node.append(bubble);
  }
  const sources = sourcesList(doc, entry.custom && entry.custom.sources, words);
  if (sources) node.append(sources);
  return node;
}

/** The red (emergency) or amber (urgent) block: the number to call is the biggest thing in it. */
function alertMessage(doc, entry, words) {
  const level = triageOf(entry);
  const custom = entry.custom || {};
  const node = el(doc, "div", `bcw-msg bcw-alert bcw-alert--${level}`);
  node.setAttribute("role", "alert");
  const title = el(doc, "p", "bcw-alert-title");
  title.append(el(doc, "span", "bcw-alert-icon", "!"), doc.createTextNode(level === "emergency" ? words.emergencyTitle : words.urgentTitle));
  title.firstChild.setAttribute("aria-hidden", "true");
  node.append(title);
  const number = typeof custom.call === "string" ? custom.call.trim() : "";
  const label = fill(level === "emergency" ? words.call : words.callIfWorse, { number });
  const call = number ? telLink(doc, number, label) : null;
  if (call && level === "emergency") {
    call.className = "bcw-call";
    node.append(call);
  }
  const text = el(doc, "div", "bcw-alert-text");
  text.append(paragraphs(doc, entry.text, words));
  node.append(text);
  if (call && level !== "emergency") {
    call.className = "bcw-call bcw-call--secondary";
    node.append(call);
  }
  return node;
}

export function renderEntry(doc, entry, words) {
  if (entry.from === "user") return userMessage(doc, entry, words);
  if (isAlert(entry)) return alertMessage(doc, entry, words);
  return botMessage(doc, entry, words);
}

/** Quick-reply buttons; `onPick(button)` gets {title, payload}. */
export function quickReplies(doc, buttons, words, onPick) {
  const valid = (Array.isArray(buttons) ? buttons : []).filter(
    (b) => b && typeof b.title === "string" && b.title.trim() && typeof b.payload === "string" && b.payload.trim(),
  );
  if (!valid.length) return null;
  const group = el(doc, "div", "bcw-quick");
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", words.suggestions);
  for (const button of valid) {
    const b = el(doc, "button", "bcw-chip", button.title);
    b.type = "button";
    b.addEventListener("click", () => onPick({ title: button.title, payload: button.payload }));
    group.append(b);
  }
  return group;
}

export function notice(doc, text) {
  const node = el(doc, "div", "bcw-msg bcw-notice");
  node.append(el(doc, "p", "bcw-p", text));
  return node;
}
