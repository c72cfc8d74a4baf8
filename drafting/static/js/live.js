// Live updates for one document: the socket, catch-up by seq, the status indicator, and the
// dispatch table that turns each event type into a change on the page.
//
// Other features add their event types with `on("vote.cast", (event, page) => ...)`; a handler
// registered for "comment.*" takes every "comment.<something>". Unknown types never break the
// page: an event about a clause refreshes that clause from the server, any other shows a notice.
import { io } from "/vendor/socket.io.esm.min.js";

const handlers = new Map();
const GAP_WAIT_MS = 1000;
const HEARTBEAT_MS = 30000;

export function on(type, handler) {
  handlers.set(type, handler);
}

function handlerFor(type) {
  if (handlers.has(type)) return handlers.get(type);
  const family = type.split(".")[0] + ".*";
  return handlers.get(family) || handlers.get("*");
}

export function announce(message) {
  const region = document.getElementById("live-region");
  if (!region) return;
  // Clearing first makes screen readers announce the same words twice in a row too.
  region.textContent = "";
  window.setTimeout(() => { region.textContent = message; }, 50);
}

// schedule(key) runs task(key) once for however many calls arrive while it waits or runs, at most
// once every `everyMs` per key: a burst of events (forty votes in a few seconds) costs one request.
// The short first wait gathers the events that travel together (a save, the votes it made stale).
export function coalesce(task, everyMs, firstWaitMs = 150) {
  const keys = new Map();
  const schedule = (key) => {
    let state = keys.get(key);
    if (!state) keys.set(key, state = { timer: null, running: false, again: false, last: 0 });
    if (state.running) { state.again = true; return; }
    if (state.timer) return;
    const wait = Math.max(firstWaitMs, state.last + everyMs - Date.now());
    state.timer = window.setTimeout(async () => {
      state.timer = null;
      state.running = true;
      state.last = Date.now();
      try { await task(key); } catch (error) { console.error(error); }
      state.running = false;
      if (state.again) { state.again = false; schedule(key); }
    }, wait);
  };
  return schedule;
}

export function csrfToken() {
  return document.body.dataset.csrf || "";
}

export async function fetchJSON(url, options = {}) {
  const response = await fetch(url, {
    credentials: "same-origin",
    ...options,
    headers: { "Accept": "application/json", "Content-Type": "application/json",
               "X-CSRFToken": csrfToken(), ...(options.headers || {}) },
  });
  let body = null;
  try { body = await response.json(); } catch (_) { body = null; }
  return { status: response.status, ok: response.ok, body };
}

function statusIndicator() {
  let box = document.querySelector("[data-live-status]");
  if (box) return box;
  box = document.createElement("p");
  box.className = "live-status";
  box.dataset.liveStatus = "connecting";
  box.innerHTML = '<svg aria-hidden="true" width="10" height="10" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="currentColor"/></svg> <span></span>';
  const anchor = document.querySelector(".doc-head") || document.querySelector("main");
  anchor.appendChild(box);
  return box;
}

const STATUS_WORDS = {
  connecting: "Connecting to live updates…",
  live: "Live: changes by others appear as they happen",
  reconnecting: "Reconnecting… changes made meanwhile will appear when the connection returns",
  offline: "Live updates are off",
};

// One shared notice area above the document for things a person may want to act on.
export function notice(message, actions = []) {
  let area = document.querySelector("[data-live-notices]");
  if (!area) {
    area = document.createElement("div");
    area.className = "live-notices";
    area.dataset.liveNotices = "";
    const head = document.querySelector(".doc-head") || document.querySelector("main");
    head.after(area);
  }
  const item = document.createElement("div");
  item.className = "live-notice";
  item.setAttribute("role", "status");
  const text = document.createElement("p");
  text.textContent = message;
  item.appendChild(text);
  for (const [label, act] of [...actions, ["Dismiss", () => {}]]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button--small";
    button.textContent = label;
    button.addEventListener("click", () => { act(); item.remove(); });
    item.appendChild(button);
  }
  area.appendChild(item);
  return item;
}

export function connect({ documentId, lastSeq, page, onPresence }) {
  const indicator = statusIndicator();
  let seq = lastSeq;
  const early = new Map();
  let gapTimer = null;
  let wasLive = false;

  const setStatus = (state, detail) => {
    indicator.dataset.liveStatus = state;
    indicator.querySelector("span").textContent = detail || STATUS_WORDS[state];
    if (state === "live" && wasLive) announce("Live updates reconnected.");
    if (state === "reconnecting" && wasLive) announce("Connection lost, reconnecting.");
    if (state === "live") wasLive = true;
  };

  const socket = io({ transports: ["websocket", "polling"], tryAllTransports: true });

  const apply = (event) => {
    const handler = handlerFor(event.type);
    try {
      if (handler) handler(event, page);
      else fallback(event, page);
    } catch (error) {
      console.error("Could not apply", event.type, error);
      fallback(event, page);
    }
  };

  const receive = (event) => {
    if (event.document_id !== documentId || event.seq <= seq) return;  // seen already
    if (event.seq > seq + 1) {
      early.set(event.seq, event);
      if (!gapTimer) gapTimer = window.setTimeout(fillGap, GAP_WAIT_MS);
      return;
    }
    apply(event);
    seq = event.seq;
    while (early.has(seq + 1)) {
      const next = early.get(seq + 1);
      early.delete(seq + 1);
      apply(next);
      seq = next.seq;
    }
    for (const key of early.keys()) if (key <= seq) early.delete(key);
  };

  const join = () => {
    socket.emit("join", { document_id: documentId, after_seq: seq }, (ack) => {
      if (!ack || !ack.ok) {
        setStatus("offline", `Live updates are off: ${ack ? ack.error : "no answer"}`);
        return;
      }
      if (ack.reload || ack.seq < seq) {
        reloadWhenSafe(page, "Many changes were made while you were away.");
        return;
      }
      setStatus("live");
      page.editing && socket.emit("presence", { document_id: documentId, editing: page.editing() });
    });
  };

  // An event arrived ahead of one still missing: ask for the missing ones again.
  const fillGap = () => {
    gapTimer = null;
    if (early.size) join();
  };

  socket.on("connect", join);
  socket.on("event", receive);
  socket.on("presence", (snapshot) => {
    if (snapshot.document_id === documentId && onPresence) onPresence(snapshot);
  });
  socket.on("disconnect", () => setStatus("reconnecting"));
  socket.io.on("reconnect_attempt", () => setStatus("reconnecting"));
  socket.on("connect_error", (error) => {
    if (!socket.active) setStatus("offline", `Live updates are off: ${error.message}`);
    else setStatus("reconnecting");
  });

  window.setInterval(() => {
    if (socket.connected) {
      socket.emit("presence", { document_id: documentId, editing: page.editing ? page.editing() : null });
    }
  }, HEARTBEAT_MS);

  return {
    socket,
    get seq() { return seq; },
    editing(clauseId, selection = null) {
      if (socket.connected) socket.emit("presence", { document_id: documentId, editing: clauseId, selection });
    },
  };
}

// Reloading would throw away what someone is typing; then we ask instead.
export function reloadWhenSafe(page, reason) {
  if (page.hasDraft && page.hasDraft()) {
    notice(`${reason} Copy or save your text, then reload the page to see the current document.`,
           [["Reload now", () => window.location.reload()]]);
  } else {
    window.location.reload();
  }
}

function fallback(event, page) {
  const clauseId = event.payload && event.payload.clause_id;
  const refresh = page.refreshClauseSoon || page.refreshClause;
  if (clauseId && refresh) {
    refresh(clauseId);
    return;
  }
  notice(`The document changed (${event.type.replace(".", " ")}${event.actor ? " by " + event.actor.name : ""}).`,
         [["Reload to see it", () => reloadWhenSafe(page, "")]]);
}
