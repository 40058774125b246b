// The embedding clinic's settings: data-* attributes on the <script> tag,
// optionally overridden by `window.BackcareWidgetConfig` set before it.
import { parseHex } from "./colors.js";
import { topicPayload } from "./payload.js";
import { strings } from "./strings.js";

export const DEFAULT_SUGGESTIONS = [
  { title: "What happens at a massage?", payload: topicPayload("session.what_to_expect") },
  { title: "Types of massage", payload: topicPayload("type.overview") },
  { title: "When to see a doctor", payload: topicPayload("triage.red_flags_info") },
];

const ATTRIBUTES = {
  serverUrl: "serverUrl",
  socketPath: "socketPath",
  clinicName: "clinicName",
  primaryColor: "primaryColor",
  accentColor: "accentColor",
  greeting: "greeting",
  lang: "lang",
  disclaimer: "disclaimer",
  contactUrl: "contactUrl",
  position: "position",
  open: "open",
};

function fromScript(script) {
  const found = {};
  if (!script || !script.dataset) return found;
  for (const [key, attr] of Object.entries(ATTRIBUTES)) {
    if (script.dataset[attr] !== undefined) found[key] = script.dataset[attr];
  }
  return found;
}

function scriptOrigin(script) {
  try {
    return new URL(script.src, document.baseURI).origin;
  } catch {
    return window.location.origin;
  }
}

/** The complete, validated configuration of the page's <script> tag and overrides. */
export function readConfig(script, overrides = window.BackcareWidgetConfig || {}) {
  return configFrom(
    { ...fromScript(script), ...overrides },
    {
      lang: document.documentElement.lang,
      origin: script && script.src ? scriptOrigin(script) : window.location.origin,
    },
  );
}

/**
 * The complete, validated configuration from raw settings; `page` gives what the
 * page itself says (its language, the origin the script came from) for what
 * the settings leave out. Pure: no DOM, so it is tested on its own.
 */
export function configFrom(raw, page = {}) {
  const lang = raw.lang || page.lang || "en";
  const words = strings(lang);
  const serverUrl = String(raw.serverUrl || page.origin || "").replace(/\/+$/, "");
  return {
    serverUrl,
    socketPath: raw.socketPath || "/socket.io",
    clinicName: raw.clinicName || "",
    primaryColor: parseHex(raw.primaryColor) || "#0f5e6e",
    accentColor: parseHex(raw.accentColor),
    greeting: raw.greeting || words.greeting,
    lang,
    words,
    disclaimer: raw.disclaimer || words.disclaimer,
    contactUrl: raw.contactUrl || "",
    position: raw.position === "left" ? "left" : "right",
    open: raw.open === true || raw.open === "true",
    suggestions: Array.isArray(raw.suggestions) ? raw.suggestions : DEFAULT_SUGGESTIONS,
    historyHours: Number(raw.historyHours) > 0 ? Number(raw.historyHours) : 24,
    replyTimeoutMs: Number(raw.replyTimeoutMs) > 0 ? Number(raw.replyTimeoutMs) : 45000,
  };
}
