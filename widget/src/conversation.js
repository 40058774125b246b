// The conversation as data: what the widget stores and re-renders. Kept apart
// from the DOM so the ordering rules (an emergency reply goes first in its
// turn; a bare envelope joins the text it belongs to) live in one place.
import { isAlert } from "./render.js";

export function newId() {
  if (globalThis.crypto && globalThis.crypto.randomUUID) return globalThis.crypto.randomUUID();
  return Date.now().toString(36) + Math.random().toString(36).slice(2);
}

export function userEntry(text) {
  return { id: newId(), from: "user", text, ts: Date.now() };
}

/** A `bot_uttered` payload as a stored entry. */
export function botEntry(message) {
  return {
    id: typeof message.id === "string" ? message.id : newId(),
    from: "bot",
    text: typeof message.text === "string" ? message.text : "",
    quick_replies: Array.isArray(message.quick_replies) ? message.quick_replies : [],
    custom: message.custom && typeof message.custom === "object" ? message.custom : null,
    ts: Date.now(),
  };
}

/** Index of the first bot entry after the last user entry (the current turn). */
export function turnStart(messages) {
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    if (messages[i].from === "user") return i + 1;
  }
  return 0;
}

export function currentTurn(messages) {
  return messages.slice(turnStart(messages));
}

/** The messages with `entry` added where it belongs. */
export function addBotEntry(messages, entry) {
  if (messages.some((m) => m.id === entry.id)) return messages;
  const start = turnStart(messages);
  const turn = messages.slice(start);
  if (!entry.text && entry.custom) {
    // An envelope sent on its own belongs to the text just before it.
    const last = turn.length ? turn[turn.length - 1] : null;
    if (last && last.from === "bot" && !last.custom) {
      const merged = { ...last, custom: entry.custom, quick_replies: last.quick_replies.length ? last.quick_replies : entry.quick_replies };
      return [...messages.slice(0, -1), merged];
    }
  }
  if (isAlert(entry)) {
    // Shown first: before anything else the assistant said in this turn.
    const firstNonAlert = turn.findIndex((m) => !isAlert(m));
    const at = firstNonAlert === -1 ? messages.length : start + firstNonAlert;
    return [...messages.slice(0, at), entry, ...messages.slice(at)];
  }
  return [...messages, entry];
}

/** The quick replies to offer now: those of the turn's last message, none if the turn raised an alert. */
export function offeredReplies(messages) {
  if (!messages.length || messages[messages.length - 1].from !== "bot") return [];
  const turn = currentTurn(messages);
  if (turn.some(isAlert)) return [];
  return turn[turn.length - 1].quick_replies || [];
}
