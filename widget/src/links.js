// The only links the widget ever makes: http(s) pages (new tab, no opener, no
// referrer) and tel: numbers. Anything else (javascript:, data:, mailto:, a
// relative path) is shown as plain text, never as a link.

const WEB = new Set(["http:", "https:"]);
const PHONE = /^\+?[0-9][0-9 ()\-]{1,24}$/;
// A URL inside a sentence: stop before trailing punctuation that belongs to the sentence.
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** The URL if it is an absolute http(s) address, else null. */
export function safeWebUrl(value) {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value.trim());
    return WEB.has(url.protocol) && url.hostname ? url.href : null;
  } catch {
    return null;
  }
}

/** "tel:+441234567" for a plausible phone number, else null. */
export function telHref(number) {
  if (typeof number !== "string" && typeof number !== "number") return null;
  const text = String(number).trim();
  if (!PHONE.test(text)) return null;
  return "tel:" + text.replace(/[^+0-9]/g, "");
}

/** A link element, or null when the URL is not allowed. */
export function webLink(doc, href, label, newTabNote) {
  const url = safeWebUrl(href);
  if (!url) return null;
  const a = doc.createElement("a");
  a.href = url;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  a.textContent = label;
  if (newTabNote) {
    const note = doc.createElement("span");
    note.className = "bcw-sr-only";
    note.textContent = " " + newTabNote;
    a.append(note);
  }
  return a;
}

export function telLink(doc, number, label) {
  const href = telHref(number);
  if (!href) return null;
  const a = doc.createElement("a");
  a.href = href;
  a.textContent = label;
  return a;
}

/**
 * Text cut into parts: `{ text }` for plain text and `{ url }` for a bare
 * http(s) address that may become a link. Joined back, the parts are the text.
 */
export function linkParts(text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(URL_IN_TEXT)) {
    if (!safeWebUrl(match[0])) continue;
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ url: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length || !parts.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** Text as nodes: plain text nodes, with bare http(s) URLs turned into safe links. */
export function textWithLinks(doc, text, newTabNote) {
  const fragment = doc.createDocumentFragment();
  for (const part of linkParts(text)) {
    fragment.append(part.url ? webLink(doc, part.url, part.url, newTabNote) : doc.createTextNode(part.text));
  }
  return fragment;
}
