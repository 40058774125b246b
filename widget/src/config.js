// The embedding clinic's settings: data-* attributes on the <script> tag,
// optionally overridden by `window.BackcareWidgetConfig` set before it.
import { parseHex } from "./colors.js";
import { strings } from "./strings.js";

export const DEFAULT_SUGGESTIONS = [
  { title: "What happens at a massage?", payload: '/ask_topic{"topic":"session.what_to_expect"}' },
  { title: "Types of massage", payload: '/ask_topic{"topic":"type.overview"}' },
  { title: "When to see a doctor", payload: '/ask_topic{"topic":"triage.red_flags_info"}' },
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

/** The complete, validated configuration. */
export function readConfig(script, overrides = window.BackcareWidgetConfig || {}) {
  const raw = { ...fromScript(script), ...overrides };
  const lang = raw.lang || document.documentElement.lang || "en";
  const words = strings(lang);
  const serverUrl = String(raw.serverUrl || (script && script.src ? scriptOrigin(script) : window.location.origin)).replace(/\/+$/, "");
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
