// The clause page, live: the current text in place, and an edit form that keeps what you type
// when someone else saves the clause, offering the merged text instead.
import { announce, connect, notice, on, reloadWhenSafe } from "./live.js";
import { ClauseEditor, cursorSender, othersCursors } from "./clause-editor.js";
import { flash, replaceText } from "./highlight.js";
import { numberIn, paragraphName, renumber } from "./numbering.js";
import { quoteSelection } from "./quote-selection.js";
import { showTally, stateLabel } from "./tally.js";

const body = document.body;
const documentId = Number(body.dataset.documentId);
const clauseId = Number(body.dataset.clauseId);
// The edit form while drafting, or the suggestion form in the amendments phase: the same editor.
const form = document.getElementById("edit-form") || document.getElementById("suggest-form");
const who = (event) => (event.actor ? event.actor.name : "Someone");

const editor = form && new ClauseEditor({
  clauseId,
  textarea: form.querySelector("textarea[name=text]"),
  baseInput: form.querySelector("input[name=base_revision_id]"),
  container: form,
});

const page = {
  editing: () => (editor && (editor.dirty || editor.hasFocus()) ? clauseId : null),
  hasDraft: () => Boolean(editor && editor.dirty),
  refreshClause: (id) => {
    if (id === clauseId) notice("This clause changed.", [["Reload to see it", () => reloadWhenSafe(page, "")]]);
  },
};

// The current text as the server marks it, with the words comments are anchored on.
async function markedText(fallback) {
  try {
    const response = await fetch(window.location.pathname, { credentials: "same-origin" });
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const text = response.ok && fresh.querySelector(".clause-current [data-role=text]");
    return text ? text.innerHTML : fallback;
  } catch (_) {
    return fallback;
  }
}

on("clause.revised", async (event) => {
  if (event.payload.clause_id !== clauseId) return;
  const p = event.payload;
  const meta = document.querySelector(".doc-head .meta");
  if (meta && meta.lastChild && meta.lastChild.nodeType === Node.TEXT_NODE) {
    meta.lastChild.textContent = ` · revision ${p.number} by ${who(event)}`;
  }
  if (editor) editor.revised(event);
  announce(`${who(event)} saved revision ${p.number} of this clause.`);
  const current = document.querySelector(".clause-current [data-role=text]");
  // Comments anchored on words: the server places their marks on the new text.
  const anchored = current.querySelector("mark.anchor") || document.querySelector("#comments .quote");
  replaceText(current, anchored ? await markedText(p.html) : p.html, document.querySelector(".clause-current"));
});

// Votes: the tally and consensus state change in place; the ballot list follows on reload.
const voted = (event) => {
  const p = event.payload;
  if (p.clause_id !== clauseId) return;
  const panel = document.getElementById("vote");
  if (showTally(panel, p.tally)) flash(panel.querySelector(".tally") || panel);
  const state = p.tally && p.tally.state ? ` Consensus state: ${stateLabel(p.tally.state)}.` : "";
  const what = event.type === "votes.stale" ? "The text changed: earlier votes are now stale."
    : `${who(event)} ${event.type === "vote.confirmed" ? "confirmed a vote" : "voted"}${p.position ? ` “${p.position}”` : ""}.`;
  announce(`${what}${state}`);
};
on("vote.*", voted);
on("votes.*", voted);

// Insertions, moves, splits and merges elsewhere can give this paragraph another number.
const heading = document.querySelector("h1[data-number]");
const renumbered = (event) => {
  const numbering = event.payload && event.payload.numbering;
  if (!numbering || !heading) return;
  const number = numberIn(numbering, clauseId);
  if (!renumber(heading, number)) return;
  document.title = `${paragraphName(number, true).replace("Operative p", "P")} · ${document.title.split(" · ").slice(1).join(" · ")}`;
  announce(`This clause is now ${paragraphName(number)}.`);
};
// Where only the place or number changed, the page is up to date without a reload.
const MOVES = ["clause.created", "clause.moved", "clause.split", "clause.alternative_added"];

on("clause.*", (event) => {
  renumbered(event);
  const p = event.payload || {};
  const concerned = p.clause_id === clauseId || (p.merged_ids || []).includes(clauseId)
    || (p.withdrawn_ids || []).includes(clauseId);
  if (concerned && !MOVES.includes(event.type)) page.refreshClause(clauseId);
});
on("document.renumbered", renumbered);
on("section.*", () => {});
on("document.phase", (event) => {
  notice(`${who(event)} moved the document to the ${event.payload.to.replace(/_/g, " ")} phase.`,
         [["Reload to see what you can do now", () => reloadWhenSafe(page, "")]]);
});
on("document.rules", () => {});

quoteSelection(document.querySelector(".clause-current [data-role=text]"), document.getElementById("comment-form"));

if (documentId && clauseId) {
  const live = connect({ documentId, lastSeq: Number(body.dataset.lastSeq || 0), page, onPresence: (snapshot) => {
    const editing = snapshot.people.filter((p) => p.editing === clauseId && p.id !== Number(body.dataset.userId));
    let line = document.querySelector("[data-editing-now]");
    if (!line) {
      line = document.createElement("p");
      line.className = "muted";
      line.dataset.editingNow = "";
      document.querySelector(".clause-current").append(line);
    }
    line.textContent = editing.length ? `Also editing now: ${editing.map((p) => p.name).join(", ")}` : "";
    if (editor) editor.text.showCursors(othersCursors(snapshot, clauseId));
  } });
  if (editor) {
    form.addEventListener("focusin", (focus) => { if (focus.target.closest("[data-editor-for], textarea")) live.editing(clauseId); });
    form.addEventListener("focusout", () => { if (!editor.dirty) live.editing(null); });
    form.addEventListener("submit", () => { editor.original = editor.text.value; });
    editor.enhance({ onSelection: cursorSender((selection) => live.editing(clauseId, selection)) }).then(() => {
      const panel = document.querySelector("[data-advice]");
      if (panel) editor.watchAdvice(panel);
    });
    window.addEventListener("beforeunload", (leaving) => { if (editor.dirty) leaving.preventDefault(); });
  }
}
