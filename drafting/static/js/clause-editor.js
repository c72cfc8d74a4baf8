// Editing a clause's text while others may save it too. The rule: what a person types is never
// replaced behind their back. When someone else saves the clause, a notice says who, and offers
// the merged text (computed by the server's three-way merge) for the person to take or leave.
import { announce, fetchJSON } from "./live.js";

const me = () => Number(document.body.dataset.userId || 0);
const BUNDLE = "/static/build/text-editor.js";

// The editor bundle (CodeMirror 6, built by `make setup`), loaded once; without it the textarea serves.
let bundle = null;
export function loadEditor() {
  if (!bundle) bundle = import(BUNDLE).catch(() => null);
  return bundle;
}

// The plain textarea with the editor's interface, for when the bundle is missing.
const plain = (textarea) => ({
  get value() { return textarea.value; },
  set value(text) { textarea.value = text; },
  set base(_) {},
  get selection() { return [textarea.selectionStart, textarea.selectionEnd]; },
  focus() { textarea.focus(); },
  hasFocus() { return document.activeElement === textarea; },
  showCursors() {},
  showAdvice() {},
});

const ADVICE_WAIT_MS = 300;
const CURSOR_EVERY_MS = 250;

// Where this person's cursor is, for others editing the same clause: at most every 250 ms.
export function cursorSender(send) {
  let timer = null, last = null;
  return (from, to) => {
    last = [from, to];
    if (timer) return;
    timer = setTimeout(() => { timer = null; send(last); }, CURSOR_EVERY_MS);
  };
}

// The cursors of others who edit `clauseId`, from a presence snapshot, for the editor to show.
export function othersCursors(snapshot, clauseId) {
  const me = Number(document.body.dataset.userId || 0);
  return snapshot.people
    .filter((p) => p.editing === clauseId && p.id !== me && Array.isArray(p.selection))
    .map((p) => ({ name: p.name, initials: p.initials, from: p.selection[0], to: p.selection[1] }));
}

export class ClauseEditor {
  constructor({ clauseId, textarea, baseInput, container }) {
    this.clauseId = clauseId;
    this.textarea = textarea;
    this.baseInput = baseInput;          // holds base_revision_id; the form posts it
    this.container = container;          // where notices about this clause go
    this.original = textarea.value;      // the text as it was at base_revision_id
    this.savedRevisions = new Set();
    this.saving = null;
    this.heldBack = [];
    this.text = plain(textarea);         // the text box: the editor once loaded, else the textarea
    this.listeners = [];
  }

  // Replace the textarea by the editor; resolves to true when it did.
  async enhance({ onSelection = () => {} } = {}) {
    const module = await loadEditor();
    if (!module || !this.textarea.isConnected) return false;
    const hadFocus = this.text.hasFocus();
    this.text = module.enhance(this.textarea, {
      base: this.original,
      onChange: (text) => this.listeners.forEach((listen) => listen(text)),
      onSelection,
    });
    if (hadFocus) this.text.focus();
    return true;
  }

  onChange(listen) {
    this.listeners.push(listen);
    this.textarea.addEventListener("input", () => listen(this.textarea.value));
  }

  hasFocus() { return this.text.hasFocus(); }

  // Keep the drafting checks' advice in `panel` (its [data-advice-list]) up to date as one types:
  // the server's checks, asked a moment after typing stops; an answer for an older text is dropped.
  watchAdvice(panel) {
    const list = panel.querySelector("[data-advice-list]");
    const count = panel.querySelector("[data-advice-count]");
    const scope = panel.querySelector("[data-advice-scope]");
    let timer = null;
    const ask = async () => {
      const text = this.text.value;
      const { status, body } = await fetchJSON(`/api/v1/clauses/${this.clauseId}/checks`, {
        method: "POST", body: JSON.stringify({ text }),
      });
      if (status !== 200 || text !== this.text.value) return;
      const items = body.findings.map((finding) => {
        const item = document.createElement("li");
        item.textContent = finding.message;
        return item;
      });
      if (!items.length) {
        const none = document.createElement("li");
        none.className = "muted";
        none.textContent = "No advice: the text follows the conventions the checks know.";
        items.push(none);
      }
      list.replaceChildren(...items);
      if (count) count.textContent = body.findings.length;
      if (scope) scope.textContent = "On the text as you type it. Advice only: nothing here prevents saving.";
      this.text.showAdvice(body.findings);
    };
    this.onChange(() => { clearTimeout(timer); timer = setTimeout(ask, ADVICE_WAIT_MS); });
    ask();
  }

  setOriginal(text) {
    this.original = text;
    this.text.base = text;
  }

  get base() { return Number(this.baseInput.value); }

  get dirty() { return this.text.value !== this.original; }

  // Called for every clause.revised event of this clause.
  revised(event) {
    const p = event.payload;
    if (this.saving) { this.heldBack.push(event); return; }
    if (this.savedRevisions.has(p.revision_id) || p.revision_id === this.base) return;
    if (!this.dirty) {
      this.text.value = p.text;
      this.setOriginal(p.text);
      this.baseInput.value = p.revision_id;
      this.clearNotice();
      return;
    }
    const who = !event.actor ? "Someone" : event.actor.id === me() ? "You (in another window)" : event.actor.name;
    this.showNotice(`${who} saved revision ${p.number} of this clause while you were editing. Your text is untouched.`,
                    [["Show merged text", () => this.proposeMerge()]]);
    announce(`${who} changed the clause you are editing. Your text is kept.`);
  }

  async proposeMerge() {
    const { status, body } = await fetchJSON(`/api/v1/clauses/${this.clauseId}/merge`, {
      method: "POST", body: JSON.stringify({ base_revision_id: this.base, text: this.text.value }),
    });
    if (status !== 200) {
      this.showNotice(body && body.error ? body.error.message : "The merge could not be computed.");
      return;
    }
    const head = body.head;
    if (body.merged !== null && body.merged !== undefined) {
      this.showNotice(body.clean ? "Your changes and theirs combine without overlap. Merged text:"
                                 : "Your changes overlap theirs. Proposed text:",
                      [["Use merged text", () => this.take(body.merged, head)],
                       ["Keep mine", () => this.clearNotice()]], body.merged);
    } else {
      this.showNotice(`Your changes and those of ${head.author ? head.author.name : "the other author"} touch the same words. `
                      + "Their text is below; yours stays in the box. Edit yours, then save on top of theirs.",
                      [["Save mine on top of theirs", () => this.rebase(head)],
                       ["Take theirs instead", () => this.take(head.text, head)]], head.text);
    }
  }

  // Use `text` as the new draft, based on the current head.
  take(text, head) {
    this.text.value = text;
    this.rebase(head);
    this.text.focus();
    announce("The merged text is in the box. Save when you are ready.");
  }

  rebase(head) {
    this.baseInput.value = head.id;
    this.setOriginal(head.text);
    this.clearNotice();
  }

  async save(rationale = "") {
    this.saving = this.text.value;
    try {
      const { status, body } = await fetchJSON(`/api/v1/clauses/${this.clauseId}/revisions`, {
        method: "POST",
        body: JSON.stringify({ base_revision_id: this.base, text: this.text.value, rationale }),
      });
      if (status === 200 || status === 201) {
        this.savedRevisions.add(body.id);
        this.baseInput.value = body.id;
        this.setOriginal(body.text);
        this.clearNotice();
      } else if (status === 409 && body && body.error && body.error.theirs) {
        await this.proposeMerge();
      } else {
        this.showNotice(body && body.error ? body.error.message : "The clause could not be saved.");
      }
      return { status, body };
    } finally {
      this.saving = null;
      const held = this.heldBack.splice(0);
      held.forEach((event) => this.revised(event));
    }
  }

  // Record the text as a suggestion (an amendment on the base revision) instead of saving it.
  async suggest(rationale) {
    const { status, body } = await fetchJSON(`/api/v1/clauses/${this.clauseId}/amendments`, {
      method: "POST", body: JSON.stringify({ base_revision_id: this.base, text: this.text.value, rationale }),
    });
    if (status === 201) {
      this.setOriginal(this.text.value);
      this.clearNotice();
    } else if (status === 409 && body && body.error && body.error.head_revision_id) {
      await this.proposeMerge();  // the clause changed meanwhile: offer the suggestion rebased on it
    } else {
      this.showNotice(body && body.error ? body.error.message : "The suggestion could not be recorded.");
    }
    return { status, body };
  }

  showNotice(message, actions = [], text = null) {
    // A person who pressed a button in the old notice keeps their place: focus moves to the new one.
    const hadFocus = Boolean(this.noticeBox && this.noticeBox.contains(document.activeElement));
    this.clearNotice();
    const box = document.createElement("div");
    box.className = "edit-notice";
    box.setAttribute("role", "status");
    const p = document.createElement("p");
    p.textContent = message;
    box.appendChild(p);
    if (text !== null) {
      const pre = document.createElement("pre");
      pre.className = "text-block";
      pre.textContent = text;
      box.appendChild(pre);
    }
    for (const [label, act] of actions) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button button--small";
      button.textContent = label;
      button.addEventListener("click", act);
      box.appendChild(button);
    }
    this.container.prepend(box);
    this.noticeBox = box;
    if (hadFocus) (box.querySelector("button") || this.text).focus();
  }

  clearNotice() {
    if (!this.noticeBox) return;
    const hadFocus = this.noticeBox.contains(document.activeElement);
    this.noticeBox.remove();
    this.noticeBox = null;
    if (hadFocus) this.text.focus();
  }
}
