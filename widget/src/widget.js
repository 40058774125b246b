// The widget on the page: launcher, panel, message log, composer. It shows
// what the store holds (so a reload, another page of the clinic's site or
// another tab shows the same conversation) and sends through the Connection.
import { theme } from "./colors.js";
import { Connection } from "./connection.js";
import { addBotEntry, botEntry, offeredReplies, userEntry } from "./conversation.js";
import { icon } from "./icons.js";
import { DEFAULT_LIMITS, mergeLimits } from "./limits.js";
import { telLink, webLink } from "./links.js";
import { notice, paragraphs, quickReplies, renderEntry } from "./render.js";
import { ConversationStore } from "./storage.js";
import { fill } from "./strings.js";
import CSS from "./styles.css";

function el(doc, tag, className, text) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A button shown as an icon, named by `label` for screen readers and as its tooltip. */
function iconButton(doc, className, type, label, iconName) {
  const button = el(doc, "button", className);
  button.type = type;
  button.setAttribute("aria-label", label);
  button.title = label;
  button.append(icon(doc, iconName));
  return button;
}

export class Widget {
  constructor(config, doc = document) {
    this.config = config;
    this.words = config.words;
    this.doc = doc;
    this.store = new ConversationStore(config.serverUrl, config.historyHours);
    this.state = this.store.load();
    this.nodes = new Map(); // entry id -> [entry, node]
    this.status = "connecting";
    this.emergencyNumber = "";
    this.replyTimer = null;
    this.limits = DEFAULT_LIMITS;
  }

  mount(parent = this.doc.body) {
    this.host = el(this.doc, "div");
    this.host.id = "backcare-widget";
    this.host.setAttribute("data-backcare-widget", "");
    const root = this.host.attachShadow({ mode: "open" });
    this.root = root;
    const style = el(this.doc, "style");
    style.textContent = CSS;
    root.append(style, this.build());
    for (const [name, value] of Object.entries(theme(this.config.primaryColor, this.config.accentColor))) {
      this.frame.style.setProperty(name, value);
    }
    parent.append(this.host);

    this.render();
    this.setOpen(this.state.open || this.config.open, { focus: false, save: false });
    this.store.onChange((state) => {
      this.state = state;
      this.render();
    });
    this.connection = new Connection({
      serverUrl: this.config.serverUrl,
      socketPath: this.config.socketPath,
      sessionId: () => this.state.sessionId,
      onSession: (id) => this.onSession(id),
      onMessage: (message) => this.receive(message),
      onStatus: (status) => this.setStatus(status),
      onClinic: (info) => this.onClinic(info),
      onLimits: (limits) => this.onLimits(limits),
    });
    this.connection.start();
    return this;
  }

  // ---- building the DOM -------------------------------------------------

  build() {
    const d = this.doc;
    const w = this.words;
    const frame = el(d, "div", "bcw");
    frame.dataset.position = this.config.position;
    this.frame = frame;

    const launcher = el(d, "button", "bcw-launcher");
    launcher.type = "button";
    launcher.setAttribute("aria-controls", "bcw-panel");
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", w.launcherOpen);
    launcher.append(icon(d, "chat", "bcw-icon bcw-icon-chat"), icon(d, "down", "bcw-icon bcw-icon-down"), el(d, "span", "bcw-launcher-label", w.launcherOpen), el(d, "span", "bcw-launcher-short", w.launcherShort));
    launcher.addEventListener("click", () => this.setOpen(!this.isOpen(), { focus: true }));
    this.launcher = launcher;

    const panel = el(d, "section", "bcw-panel");
    panel.id = "bcw-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "false");
    panel.setAttribute("aria-labelledby", "bcw-title");
    panel.setAttribute("aria-describedby", "bcw-disclaimer");
    panel.hidden = true;
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        this.setOpen(false, { focus: true });
      }
    });
    this.panel = panel;

    panel.append(this.buildHeader(), this.buildDisclaimer(), this.buildLog(), this.buildComposer(), this.buildFooter());
    frame.append(panel, launcher);
    return frame;
  }

  buildHeader() {
    const d = this.doc;
    const w = this.words;
    const header = el(d, "header", "bcw-header");
    const avatar = el(d, "div", "bcw-avatar");
    avatar.append(icon(d, "leaf"));
    const heading = el(d, "div", "bcw-heading");
    const title = el(d, "h2", "bcw-title", this.config.clinicName || w.title);
    title.id = "bcw-title";
    const status = el(d, "p", "bcw-status");
    this.statusDot = el(d, "span", "bcw-dot");
    this.statusDot.setAttribute("aria-hidden", "true");
    this.statusText = el(d, "span", "", "");
    status.append(this.statusDot, this.statusText);
    heading.append(title, status);

    const restart = iconButton(d, "bcw-icon-button bcw-restart", "button", w.restart, "restart");
    restart.addEventListener("click", () => this.restart());

    const close = iconButton(d, "bcw-icon-button bcw-close", "button", w.close, "close");
    close.addEventListener("click", () => this.setOpen(false, { focus: true }));
    header.append(avatar, heading, restart, close);
    return header;
  }

  buildDisclaimer() {
    const box = el(this.doc, "p", "bcw-disclaimer");
    box.id = "bcw-disclaimer";
    this.emergencyLine = el(this.doc, "span", "bcw-emergency-line", this.words.emergencyUnknown);
    box.append(el(this.doc, "span", "", this.config.disclaimer + " "), this.emergencyLine);
    return box;
  }

  buildLog() {
    const d = this.doc;
    const log = el(d, "div", "bcw-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-relevant", "additions");
    log.setAttribute("aria-label", this.words.title);
    log.tabIndex = 0; // a keyboard user can scroll the conversation
    this.log = log;

    this.greeting = el(d, "div", "bcw-msg bcw-msg--bot bcw-greeting");
    const bubble = el(d, "div", "bcw-bubble");
    bubble.append(paragraphs(d, this.config.greeting, this.words));
    this.greeting.append(bubble);
    log.append(this.greeting);

    this.typing = el(d, "div", "bcw-typing");
    this.typing.setAttribute("role", "status");
    const dots = el(d, "span", "bcw-dots");
    dots.setAttribute("aria-hidden", "true");
    dots.append(el(d, "span"), el(d, "span"), el(d, "span"));
    this.typing.append(dots, el(d, "span", "bcw-sr-only", this.words.typing));
    this.typing.hidden = true;

    const wrap = el(d, "div", "bcw-log-wrap");
    wrap.append(log, this.typing);
    return wrap;
  }

  buildComposer() {
    const d = this.doc;
    const w = this.words;
    const form = el(d, "form", "bcw-composer");
    form.noValidate = true;
    const label = el(d, "label", "bcw-sr-only", w.inputLabel);
    label.htmlFor = "bcw-input";
    const input = el(d, "textarea", "bcw-input");
    input.id = "bcw-input";
    input.rows = 1;
    input.maxLength = this.limits.max_message_chars;
    input.placeholder = w.placeholder;
    input.autocomplete = "off";
    input.setAttribute("enterkeyhint", "send");
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    input.addEventListener("input", () => this.autosize());
    const send = iconButton(d, "bcw-send", "submit", w.send, "send");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    form.append(label, input, send);
    this.input = input;
    return form;
  }

  buildFooter() {
    const d = this.doc;
    const w = this.words;
    const footer = el(d, "footer", "bcw-footer");
    const contact = this.config.contactUrl;
    let link = contact.startsWith("tel:") ? telLink(d, contact.slice(4), w.talkToClinic) : webLink(d, contact, w.talkToClinic, w.newTab);
    if (!link) {
      // No contact page configured: ask the assistant, which answers with the clinic's details.
      link = el(d, "button", "", w.talkToClinic);
      link.type = "button";
      link.addEventListener("click", () => {
        this.send(w.handoffMessage, w.handoffMessage);
        this.input.focus();
      });
    }
    link.classList.add("bcw-contact");
    link.prepend(icon(d, "phone"));
    footer.append(link);
    return footer;
  }

  submit() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    this.autosize();
    this.send(text, text);
    this.input.focus();
  }

  autosize() {
    this.input.style.height = "auto";
    this.input.style.height = Math.min(this.input.scrollHeight, 120) + "px";
  }

  // ---- behaviour ----------------------------------------------------------

  isOpen() {
    return !this.panel.hidden;
  }

  setOpen(open, { focus = false, save = true } = {}) {
    this.panel.hidden = !open;
    this.frame.classList.toggle("bcw--open", open);
    this.launcher.setAttribute("aria-expanded", String(open));
    if (save) this.state = this.store.update((s) => ({ ...s, open }));
    if (open) {
      this.scrollToEnd();
      if (focus) this.input.focus();
    } else if (focus) {
      this.launcher.focus();
    }
  }

  open() {
    this.setOpen(true, { focus: true });
  }

  close() {
    this.setOpen(false, { focus: true });
  }

  /** Show `shown` as the user's message and send `text` (a button's payload, or what they typed). */
  send(text, shown) {
    this.state = this.store.update((s) => ({ ...s, messages: [...s.messages, userEntry(shown)] }));
    this.render();
    this.connection.send(text);
  }

  receive(message) {
    const entry = botEntry(message);
    if (!entry.text && !entry.custom) return;
    this.state = this.store.update((s) => ({ ...s, messages: addBotEntry(s.messages, entry) }));
    this.render();
  }

  onSession(id) {
    if (id && id !== this.state.sessionId) {
      this.state = this.store.update((s) => ({ ...s, sessionId: id }));
    }
  }

  onClinic(info) {
    if (!this.config.clinicName && typeof info.name === "string" && info.name.trim()) {
      this.root.getElementById("bcw-title").textContent = info.name;
    }
    const number = typeof info.emergency_number === "string" ? info.emergency_number.trim() : "";
    const link = telLink(this.doc, number, number);
    if (!link || number === this.emergencyNumber) return;
    // "In an emergency, call {number}." with the number as a tel: link.
    this.emergencyNumber = number;
    const [before, after = ""] = this.words.emergencyKnown.split("{number}");
    this.emergencyLine.replaceChildren(before, link, after);
  }

  /** The server's own limits (content/channels.yml) replace the built-in ones. */
  onLimits(limits) {
    this.limits = mergeLimits(DEFAULT_LIMITS, limits);
    this.input.maxLength = this.limits.max_message_chars;
  }

  restart() {
    this.store.clear();
    this.state = this.store.update(() => ({ sessionId: null, messages: [], open: true }));
    this.render();
    this.connection.restart();
    this.input.focus();
  }

  setStatus(status) {
    this.status = status;
    const w = this.words;
    const text = { online: w.online, connecting: w.connecting, offline: w.offline, refused: w.unavailable }[status];
    this.statusText.textContent = `${w.title} · ${text}`;
    this.frame.dataset.status = status;
  }

  // ---- rendering the stored conversation ---------------------------------

  nodeFor(entry) {
    const known = this.nodes.get(entry.id);
    if (known && known[0] === entry) return known[1];
    if (known && JSON.stringify(known[0]) === JSON.stringify(entry)) {
      this.nodes.set(entry.id, [entry, known[1]]);
      return known[1];
    }
    const node = renderEntry(this.doc, entry, this.words);
    node.dataset.entry = entry.id;
    if (known) known[1].replaceWith(node);
    this.nodes.set(entry.id, [entry, node]);
    return node;
  }

  render() {
    const messages = this.state.messages;
    const before = this.log.childElementCount;
    const wanted = new Set(messages.map((m) => m.id));
    for (const [id, [, node]] of this.nodes) {
      if (!wanted.has(id)) {
        node.remove();
        this.nodes.delete(id);
      }
    }
    for (const extra of this.log.querySelectorAll(".bcw-quick, .bcw-notice")) extra.remove();

    let previous = this.greeting;
    let firstNewReply = null;
    for (const entry of messages) {
      const isNew = !this.nodes.has(entry.id);
      const node = this.nodeFor(entry);
      if (isNew && entry.from === "bot" && !firstNewReply) firstNewReply = node;
      if (previous.nextSibling !== node) this.log.insertBefore(node, previous.nextSibling);
      previous = node;
    }

    const offered = messages.length ? offeredReplies(messages) : this.config.suggestions;
    const chips = quickReplies(this.doc, offered, this.words, (button) => {
      this.send(button.payload, button.title);
      this.input.focus();
    });
    if (chips) this.log.append(chips);

    this.updateWaiting(messages);
    if (firstNewReply && !this.rendered) this.scrollToEnd();
    else if (firstNewReply) this.scrollToReply(firstNewReply);
    else if (this.log.childElementCount !== before) this.scrollToEnd();
    this.rendered = true;
  }

  /** A long answer is read from its start: show its top (and the question) rather than its end. */
  scrollToReply(node) {
    const place = () => {
      const question = node.previousElementSibling;
      const top = (question && question !== this.greeting ? question : node).offsetTop - 12;
      const end = this.log.scrollHeight - this.log.clientHeight;
      this.log.scrollTop = Math.min(top, end);
    };
    place();
    requestAnimationFrame(place);
  }

  updateWaiting(messages) {
    clearTimeout(this.replyTimer);
    const last = messages[messages.length - 1];
    const waiting = Boolean(last && last.from === "user");
    const overdue = waiting && Date.now() - last.ts > this.config.replyTimeoutMs;
    this.typing.hidden = !waiting || overdue;
    if (overdue) {
      this.log.append(notice(this.doc, this.words.noAnswer));
    } else if (waiting) {
      this.replyTimer = setTimeout(() => this.render(), this.config.replyTimeoutMs - (Date.now() - last.ts) + 50);
    }
  }

  scrollToEnd() {
    this.log.scrollTop = this.log.scrollHeight;
    // Once more after layout: fonts and wrapped chips can still change the height.
    requestAnimationFrame(() => {
      this.log.scrollTop = this.log.scrollHeight;
    });
  }
}
