// The limits the server applies to every message (content/channels.yml, sent
// in `session_confirm`). The widget applies them too, so nobody types a
// message the server will refuse; the built-in values only hold until the
// server has answered, and whatever a server sends that is not a usable limit
// leaves the default in place.

/** What the widget assumes before the server has said (the shipped content/channels.yml). */
export const DEFAULT_LIMITS = Object.freeze({ max_message_chars: 2000 });

/** `defaults` with each limit the server sent as a positive whole number put in its place. Pure. */
export function mergeLimits(defaults, fromServer) {
  const merged = { ...defaults };
  if (!fromServer || typeof fromServer !== "object") return merged;
  for (const key of Object.keys(defaults)) {
    const value = fromServer[key];
    if (Number.isSafeInteger(value) && value > 0) merged[key] = value;
  }
  return merged;
}
