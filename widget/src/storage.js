// The conversation kept on this device: the session id Rasa's socket.io
// channel confirmed, the messages shown so far, and whether the panel was
// open. Kept in localStorage so it survives reloads and moving between the
// clinic's pages; forgotten after `historyHours` without use, and by the
// "new conversation" button, because it may hold health details.

const VERSION = 1;
const MAX_MESSAGES = 200;

function emptyState() {
  return { v: VERSION, sessionId: null, messages: [], open: false, updated: Date.now() };
}

export class ConversationStore {
  constructor(serverUrl, historyHours, backend = safeLocalStorage()) {
    this.key = `backcare-widget:${serverUrl}`;
    this.maxAgeMs = historyHours * 3600 * 1000;
    this.backend = backend;
  }

  load() {
    try {
      const raw = JSON.parse(this.backend.getItem(this.key));
      if (!raw || raw.v !== VERSION || !Array.isArray(raw.messages)) return emptyState();
      if (Date.now() - (raw.updated || 0) > this.maxAgeMs) {
        this.clear();
        return emptyState();
      }
      return raw;
    } catch {
      return emptyState();
    }
  }

  save(state) {
    const trimmed = { ...state, v: VERSION, messages: state.messages.slice(-MAX_MESSAGES), updated: Date.now() };
    try {
      this.backend.setItem(this.key, JSON.stringify(trimmed));
    } catch {
      // Storage full or blocked: the conversation still works, it just won't survive a reload.
    }
    return trimmed;
  }

  update(change) {
    return this.save(change(this.load()));
  }

  clear() {
    try {
      this.backend.removeItem(this.key);
    } catch {
      /* nothing stored */
    }
  }

  /** Call `listener` when another tab of this site changed the conversation. */
  onChange(listener) {
    window.addEventListener("storage", (event) => {
      if (event.key === this.key) listener(this.load());
    });
  }
}

function memoryStorage() {
  const items = new Map();
  return {
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    setItem: (k, v) => items.set(k, String(v)),
    removeItem: (k) => items.delete(k),
  };
}

function safeLocalStorage() {
  try {
    const probe = "backcare-widget:probe";
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    return window.localStorage;
  } catch {
    return memoryStorage();
  }
}
