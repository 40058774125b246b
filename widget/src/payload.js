// The one grammar of a quick-reply payload the assistant understands:
// `/ask_topic{"topic":"<id>"}`, Rasa's "intent with entities" message form.
// The server's buttons use the same form (bot.core.answers.button_payload), so a
// suggestion the widget offers by itself is answered like one the assistant sent.

const ASK_TOPIC = "/ask_topic";

/** The payload that asks for one topic by its id. */
export function topicPayload(topic) {
  return ASK_TOPIC + JSON.stringify({ topic });
}

/** The topic id a payload asks for, or null when it is not a well-formed topic request. */
export function payloadTopic(payload) {
  if (typeof payload !== "string" || !payload.startsWith(ASK_TOPIC + "{")) return null;
  try {
    const entities = JSON.parse(payload.slice(ASK_TOPIC.length));
    return typeof entities.topic === "string" && entities.topic ? entities.topic : null;
  } catch {
    return null;
  }
}
