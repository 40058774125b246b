// The line to the assistant: Rasa's socket.io protocol with session
// persistence. On every (re)connection the widget asks for its stored session
// (`session_request`), and only after `session_confirm` does it send, so a
// message typed while the server was restarting is delivered, and answered
// into the right conversation, once the server is back.
import { io } from "socket.io-client";

export class Connection {
  /**
   * @param {{serverUrl: string, socketPath: string, sessionId: () => (string|null),
   *          onSession: (id: string) => void, onMessage: (m: object) => void,
   *          onStatus: (s: "connecting"|"online"|"offline"|"refused") => void,
   *          onClinic: (info: object) => void, onLimits: (limits: object) => void}} options
   */
  constructor(options) {
    this.options = options;
    this.confirmed = false;
    this.outbox = [];
    this.socket = null;
  }

  start() {
    const { serverUrl, socketPath, onStatus } = this.options;
    const socket = io(serverUrl, {
      path: socketPath,
      transports: ["websocket", "polling"],
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
      timeout: 10000,
    });
    this.socket = socket;
    onStatus("connecting");
    socket.on("connect", () => this.requestSession(this.options.sessionId()));
    socket.on("session_confirm", (confirmation) => {
      this.confirmed = true;
      // Rasa's own servers confirm with the id alone; ours add the limits they apply.
      const isObject = confirmation !== null && typeof confirmation === "object";
      this.options.onSession(isObject ? confirmation.session_id : confirmation);
      if (isObject) this.options.onLimits(confirmation.limits);
      onStatus("online");
      this.flush();
    });
    socket.on("bot_uttered", (message) => {
      if (message && typeof message === "object") this.options.onMessage(message);
    });
    socket.on("clinic_info", (info) => {
      if (info && typeof info === "object") this.options.onClinic(info);
    });
    socket.on("disconnect", (reason) => {
      this.confirmed = false;
      onStatus("offline");
      // The server closed this socket on purpose (e.g. while restarting): come back anyway.
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", () => {
      this.confirmed = false;
      // socket.active is false when the server refused us (e.g. origin not allowed): no retry then.
      onStatus(socket.active ? "offline" : "refused");
    });
  }

  requestSession(sessionId) {
    this.confirmed = false;
    this.socket.emit("session_request", { session_id: sessionId || null });
  }

  /** Forget the current conversation and start a new one on the server too. */
  restart() {
    this.outbox = [];
    if (this.socket && this.socket.connected) this.requestSession(null);
  }

  send(text) {
    this.outbox.push(text);
    this.flush();
  }

  flush() {
    if (!this.confirmed || !this.socket || !this.socket.connected) return;
    const sessionId = this.options.sessionId();
    while (this.outbox.length) {
      this.socket.emit("user_uttered", { message: this.outbox.shift(), session_id: sessionId });
    }
  }
}
