// The document page, live: clause text in place, new clauses, order and numbers, badges and
// tallies, phase, presence, and in-place editing of a clause that never overwrites what someone is typing.
import { announce, coalesce, connect, csrfToken, fetchJSON, notice, on, reloadWhenSafe } from "./live.js";
import { ClauseEditor, cursorSender, loadEditor, othersCursors } from "./clause-editor.js";
import { flash, replaceText } from "./highlight.js";
import { numberIn, paragraphName, placeInOrder, renumber } from "./numbering.js";
import { showTally, stateLabel } from "./tally.js";

const body = document.body;
const documentId = Number(body.dataset.documentId);
const mayEdit = body.dataset.mayEdit === "true";
const filtered = new URLSearchParams(window.location.search).toString() !== "";
const editors = new Map();  // clause id -> { editor, form }

const clauseItem = (id) => document.getElementById(`clause-${id}`);
const label = (word) => word.charAt(0).toUpperCase() + word.slice(1).replace(/_/g, " ");
const who = (event) => (event.actor ? event.actor.name : "Someone");
// What this person did was already said by the page they did it on, in their own words ("Your
// suggestion is recorded…"); its echo from the server must not talk over that.
const mine = (event) => Boolean(event.actor) && event.actor.id === Number(body.dataset.userId);
const tell = (event, message) => { if (!mine(event)) announce(message); };
const clauseName = (li) => (li && li.dataset.number ? paragraphName(li.dataset.number) : "a preambular paragraph");

const page = {
  editing() {
    for (const [id, { editor }] of editors) if (editor.dirty || editor.hasFocus()) return id;
    return null;
  },
  hasDraft() { return [...editors.values()].some(({ editor }) => editor.dirty); },
  // Fetch the clause as the server renders it and put it in place, keeping an open editor.
  async refreshClause(clauseId, { appendTo = null } = {}) {
    const response = await fetch(`/clauses/${clauseId}/fragment`, { credentials: "same-origin" });
    if (!response.ok) return null;
    const template = document.createElement("template");
    template.innerHTML = (await response.text()).trim();
    const fresh = template.content.querySelector("li.clause");
    const old = clauseItem(clauseId);
    if (old) {
      const open = editors.get(clauseId);
      if (open) fresh.querySelector(".clause__body").append(open.form);
      if (open) fresh.querySelector("[data-role=text]").hidden = true;
      old.replaceWith(fresh);
    } else if (appendTo) {
      appendTo.append(fresh);
    } else {
      return null;
    }
    addEditButton(fresh);
    flash(fresh);
    return fresh;
  },
  // The same, for events that only the server can draw: once per clause however many arrive.
  refreshClauseSoon: coalesce((clauseId) => page.refreshClause(clauseId), 1000),
};

// --- the dispatch table: one entry per event type this page knows --------------------------

on("clause.revised", (event) => {
  const p = event.payload;
  const li = clauseItem(p.clause_id);
  if (!li) return;
  li.dataset.revisionId = p.revision_id;
  replaceText(li.querySelector("[data-role=text]"), p.html, li);
  const link = li.querySelector(".clause__link");
  if (link && link.lastChild && link.lastChild.nodeType === Node.TEXT_NODE) link.lastChild.textContent = ` · rev. ${p.number}`;
  const open = editors.get(p.clause_id);
  if (open) open.editor.revised(event);
  tell(event, `${who(event)} changed ${clauseName(li)}.`);
});

on("clause.created", async (event) => {
  const p = event.payload;
  if (clauseItem(p.clause_id)) return;
  if (p.numbering) renumberAll(p.numbering);
  if (filtered) {
    notice(`${who(event)} added a clause. Clear the filter to see it.`);
    return;
  }
  const li = await fetchNew(p.clause_id, p.section_id);
  if (li) tell(event, `${who(event)} added ${clauseName(li)}.`);
});

// Votes: the tally and consensus state come with the event. Only where it cannot say what this
// reader sees (a hidden tally on the chair's page) the row is fetched, once per clause per second.
const voted = (event) => {
  const p = event.payload;
  const li = clauseItem(p.clause_id);
  if (!li) return;
  const meta = li.querySelector(".clause__meta");
  if (showTally(meta, p.tally)) {
    const badge = meta.querySelector(".badge--state");
    if (badge) flash(badge);
  } else {
    page.refreshClauseSoon(p.clause_id);
  }
  if (event.type === "votes.stale") return;
  const state = p.tally && p.tally.state ? ` Consensus state: ${stateLabel(p.tally.state)}.` : "";
  tell(event, `${who(event)} voted on ${clauseName(li)}.${state}`);
};
on("vote.*", voted);
on("votes.*", voted);

// Comments: the count of open threads on the clause comes with the event.
on("comment.*", (event) => {
  const p = event.payload;
  const li = clauseItem(p.clause_id);
  if (!li) return;
  if (typeof p.open_threads !== "number") { page.refreshClauseSoon(p.clause_id); return; }
  let link = li.querySelector(".comment-count");
  if (!p.open_threads) {
    if (link) link.remove();
  } else {
    if (!link) {
      link = document.createElement("a");
      link.className = "comment-count";
      link.href = `/clauses/${p.clause_id}#comments`;
      const next = li.querySelector(".alt-label") || li.querySelector(".clause-tools") || li.querySelector(".clause__link");
      next.before(link, " ");
    }
    link.textContent = `${p.open_threads} open comment${p.open_threads === 1 ? "" : "s"}`;
    flash(link);
  }
  if (event.type === "comment.posted") tell(event, `${who(event)} commented on ${clauseName(li)}.`);
});

// Suggestions (amendments) show under their paragraph: the server draws them again; an accepted
// one also arrives as clause.revised.
on("amendment.*", (event) => {
  const li = clauseItem(event.payload.clause_id);
  if (!li) return;
  page.refreshClauseSoon(event.payload.clause_id);
  const verb = { proposed: "suggested a change to", accepted: "accepted a suggestion on", rejected: "rejected a suggestion on",
                 withdrawn: "withdrew a suggestion on", voted: "voted on a suggestion on" }[event.type.split(".")[1]];
  if (verb) tell(event, `${who(event)} ${verb} ${clauseName(li)}.`);
});

// The panel under each paragraph: its forms post in place, and the paragraph is drawn again.
document.addEventListener("submit", async (submit) => {
  const form = submit.target;
  if (!(form instanceof HTMLFormElement) || !form.matches("[data-inplace]")) return;
  const li = (submit.submitter || form).closest("li.clause");
  if (!li) return;
  submit.preventDefault();
  const data = new FormData(form, submit.submitter || undefined);
  const action = submit.submitter && submit.submitter.hasAttribute("formaction") ? submit.submitter.formAction : form.action;
  const response = await fetch(action, { method: "POST", body: data, credentials: "same-origin", redirect: "manual" });
  const clauseId = Number(li.dataset.clauseId);
  if (response.type === "opaqueredirect" || response.ok) {
    const fresh = await page.refreshClause(clauseId);
    announce(`Done: ${(submit.submitter && submit.submitter.textContent.trim()) || "recorded"} on ${clauseName(fresh || li)}.`);
    const again = fresh && fresh.querySelector("[data-panel] button");
    if (again && li.contains(document.activeElement) === false) again.focus({ preventScroll: true });
    return;
  }
  const answer = new DOMParser().parseFromString(await response.text(), "text/html");
  const message = answer.querySelector(".form-error, .flash--error");
  notice(message ? message.textContent.trim() : "That could not be done.");
});

// --- order and numbers ----------------------------------------------------------------------

let numbering = null;      // the newest order and numbers an event carried
const arriving = new Map();  // clause id -> its fragment on the way

// A clause this page has not drawn yet, fetched once, then put where the numbering says.
function fetchNew(clauseId, sectionId) {
  if (!arriving.has(clauseId)) {
    const list = document.querySelector(`#s-${sectionId} ol.clauses`);
    if (!list) return Promise.resolve(null);
    arriving.set(clauseId, page.refreshClause(clauseId, { appendTo: list }).then((li) => {
      arriving.delete(clauseId);
      if (li) list.parentElement.querySelectorAll(":scope > p.muted").forEach((p) => p.remove());
      if (li && numbering) placeClauses(numbering);
      return li;
    }));
  }
  return arriving.get(clauseId);
}

// Put the clauses on the page in the numbering's order, moving only those out of place; what someone
// is typing keeps its focus and selection.
function placeClauses(n) {
  const active = document.activeElement;
  const selection = active && typeof active.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
  placeInOrder(n);
  if (active && active !== document.activeElement && active.isConnected) {
    active.focus({ preventScroll: true });
    if (selection) active.setSelectionRange(...selection);
  }
}

// Apply an event's numbering: order, numbers (marked where they changed), Alt labels, and clauses
// this page does not show yet. Returns how many paragraphs got a new number.
function renumberAll(n) {
  numbering = n;
  placeClauses(n);
  const known = new Set(n.order.flatMap(([, ids]) => ids));
  let changed = 0;
  for (const li of document.querySelectorAll("li.clause")) {
    const id = Number(li.dataset.clauseId);
    if (!known.has(id)) continue;
    if (renumber(li, numberIn(n, id), li.querySelector(".clause__num"))) changed += 1;
    showAlt(li, (n.alt || {})[String(id)]);
  }
  if (!filtered) {
    for (const [sectionId, ids] of n.order) for (const id of ids) if (!clauseItem(id)) fetchNew(id, sectionId);
  }
  return changed;
}

function showAlt(li, alt) {
  let tag = li.querySelector(".alt-label");
  if (!alt) { if (tag) tag.remove(); return; }
  if (!tag) {
    tag = document.createElement("span");
    tag.className = "alt-label";
    const before = li.querySelector(".clause-tools") || li.querySelector(".clause__link");
    before.before(tag, " ");
  }
  if (tag.textContent !== `Alt ${alt}`) { tag.textContent = `Alt ${alt}`; flash(tag); }
}

// Rapporteurs' structural changes: each event carries the new numbering; clauses whose status
// changed (merged, withdrawn) are drawn again by the server.
const restructured = (describe, changedIds = () => []) => (event) => {
  const p = event.payload;
  if (!p.numbering) {  // an event logged before events carried numbering, replayed on catch-up
    if (p.clause_id) page.refreshClauseSoon(p.clause_id);
    else notice("The paragraphs were renumbered.", [["Reload to see it", () => reloadWhenSafe(page, "")]]);
    return;
  }
  const li = clauseItem(p.clause_id);
  const what = describe(p, li);  // named before the numbers change
  const changed = renumberAll(p.numbering);
  for (const id of changedIds(p)) page.refreshClauseSoon(id);
  const renumbered = changed ? ` ${changed} paragraph${changed === 1 ? "" : "s"} renumbered.` : "";
  tell(event, `${who(event)} ${what}.${renumbered}`);
};
on("clause.moved", restructured((p, li) => `moved ${clauseName(li)}`));
on("clause.split", restructured((p, li) => `split ${clauseName(li)} in two`));
on("clause.merged", restructured((p) => `merged ${p.merged_ids.length} paragraphs into one`, (p) => p.merged_ids));
on("clause.alternative_added", restructured((p) => `added an alternative to ${clauseName(clauseItem(p.alternative_of))}`));
const altOf = (li) => (li && li.querySelector(".alt-label") ? li.querySelector(".alt-label").textContent : "an alternative");
on("clause.alternative_chosen", restructured((p, li) => `chose ${altOf(li)} of ${clauseName(li)}`, (p) => p.withdrawn_ids));
on("document.renumbered", restructured(() => "renumbered the document"));

on("clause.tagged", (event) => page.refreshClauseSoon(event.payload.clause_id));

on("document.phase", (event) => {
  const to = event.payload.to;
  const option = document.querySelector(`#phase option[value="${to}"]`);
  const name = option ? option.textContent : label(to);
  document.querySelectorAll(".badge--phase").forEach((badge) => { badge.textContent = name; flash(badge); });
  const fact = document.querySelector(".facts dd");
  if (fact) fact.textContent = name;
  if (option) option.selected = true;
  // An objection or a cancelled silence procedure is announced by its own event, with its words.
  const message = event.payload.objection_id || event.payload.cancelled
    ? `The document is back in the ${name} phase.`
    : `${who(event)} moved the document to the ${name} phase.`;
  announce(message);
  // What a person may do depends on the phase: the page's forms and buttons come from the server.
  notice(`${message} Reload to see what you can do now.`, [["Reload", () => reloadWhenSafe(page, "")]]);
});

on("document.rules", (event) => {
  tell(event, `${who(event)} changed the consensus rules.`);
  notice(`${who(event)} changed the consensus rules.`, [["Reload to see them", () => reloadWhenSafe(page, "")]]);
});

on("silence.broken", (event) => {
  const message = `${who(event)} objected and broke silence: “${event.payload.text}”`;
  announce(message);
  notice(message);
});
on("silence.extended", (event) => {
  const message = `${who(event)} extended the silence procedure to ${event.payload.deadline_words || event.payload.deadline}.`;
  announce(message);
  notice(message, [["Reload", () => reloadWhenSafe(page, "")]]);
});
on("silence.cancelled", (event) => {
  const message = `${who(event)} cancelled the silence procedure${event.payload.reason ? `: “${event.payload.reason}”` : "."}`;
  announce(message);
});
on("clause.withdrawn", restructured((p, li) => `withdrew ${clauseName(li)}${p.reason ? `: “${p.reason}”` : ""}`,
                                    (p) => [p.clause_id]));
on("clause.restored", restructured((p, li) => `restored ${clauseName(li)}`, (p) => [p.clause_id]));
on("section.renamed", (event) => {
  notice(`${who(event)} renamed the section “${event.payload.from}” to “${event.payload.title}”.`,
         [["Reload to see it", () => reloadWhenSafe(page, "")]]);
});
on("section.moved", (event) => {
  notice(`${who(event)} moved a section.`, [["Reload to see it", () => reloadWhenSafe(page, "")]]);
});

on("section.created", (event) => {
  notice(`${who(event)} added the section “${event.payload.title || "new section"}”.`,
         [["Reload to see it", () => reloadWhenSafe(page, "")]]);
});

// --- presence -------------------------------------------------------------------------------

function showPresence(snapshot) {
  let panel = document.querySelector("[data-presence]");
  if (!panel) {
    panel = document.createElement("section");
    panel.className = "panel presence";
    panel.dataset.presence = "";
    panel.setAttribute("aria-labelledby", "presence-h");
    panel.innerHTML = '<h2 id="presence-h">Here now</h2><ul class="presence__people"></ul><p class="muted presence__readers"></p>';
    const side = document.querySelector(".side");
    if (side) side.prepend(panel); else document.querySelector("main").append(panel);
  }
  const list = panel.querySelector("ul");
  list.replaceChildren(...snapshot.people.map((person) => {
    const item = document.createElement("li");
    const chip = document.createElement("span");
    chip.className = "initials";
    chip.setAttribute("aria-hidden", "true");
    chip.textContent = person.initials;
    const li = person.editing && clauseItem(person.editing);
    item.append(chip, ` ${person.name}${li ? ` — editing ${clauseName(li)}` : ""}`);
    return item;
  }));
  const readers = snapshot.readers;
  panel.querySelector(".presence__readers").textContent =
    readers ? `and ${readers} ${readers === 1 ? "reader" : "readers"}` : "";
  for (const [id, { editor }] of editors) editor.text.showCursors(othersCursors(snapshot, id));
  document.querySelectorAll(".clause [data-editing]").forEach((mark) => mark.remove());
  for (const person of snapshot.people) {
    const li = person.editing && clauseItem(person.editing);
    if (!li || Number(body.dataset.userId) === person.id) continue;
    const mark = document.createElement("span");
    mark.className = "initials initials--editing";
    mark.dataset.editing = person.id;
    mark.title = `${person.name} is editing`;
    mark.innerHTML = `<span aria-hidden="true"></span><span class="visually-hidden"></span>`;
    mark.firstChild.textContent = person.initials;
    mark.lastChild.textContent = `${person.name} is editing this clause`;
    li.querySelector(".clause__num").append(mark);
  }
}

// --- in-place editing -----------------------------------------------------------------------

function addEditButton(li) {
  const id = li.dataset.clauseId ? Number(li.dataset.clauseId) : 0;
  const meta = li.querySelector(".clause__meta");
  // Agreed text is frozen until the chair reopens it: the server says so on each clause.
  if (mayEdit && li.dataset.textFrozen !== "true" && !li.querySelector("[data-edit-inline]")) {
    meta.append(actionButton("Edit here", "editInline", () => openEditor(id, "edit")));
  }
  // Suggest: the change is recorded as an amendment for others to vote on and a rapporteur to decide.
  if (li.dataset.maySuggest === "true" && !li.querySelector("[data-suggest-inline]")) {
    meta.append(actionButton("Suggest a change", "suggestInline", () => openEditor(id, "suggest")));
  }
}

function actionButton(text, flag, act) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link-button";
  button.dataset[flag] = "";
  button.textContent = text;
  button.addEventListener("click", act);
  return button;
}

let live = null;

async function openEditor(clauseId, mode = "edit") {
  if (editors.has(clauseId)) { editors.get(clauseId).editor.text.focus(); return; }
  const suggest = mode === "suggest";
  const { status, body: clause } = await fetchJSON(`/api/v1/clauses/${clauseId}`);
  const li = clauseItem(clauseId);
  if (status !== 200 || !li) { notice("This clause could not be opened for editing."); return; }
  const form = document.createElement("form");
  form.className = "inline-editor stack";
  form.innerHTML = `
    <label for="inline-text-${clauseId}">${suggest ? "Suggested text (recorded as an amendment; the clause stays as it is)" : "Clause text"}</label>
    <textarea id="inline-text-${clauseId}" rows="5" maxlength="20000" required></textarea>
    <input type="hidden" name="base_revision_id">
    <div class="advice advice--inline" data-advice>
      <p class="small"><strong>Drafting checks</strong> <span class="count" data-advice-count>0</span>
        <span class="visually-hidden" data-advice-scope></span></p>
      <ul class="advice-list small" data-advice-list></ul>
    </div>
    <label for="inline-rationale-${clauseId}">Rationale <span class="muted">(${suggest ? "required: why this change" : "optional"})</span></label>
    <input id="inline-rationale-${clauseId}" maxlength="5000"${suggest ? " required" : ""}>
    <div class="inline-editor__actions">
      <button type="submit" class="button button--primary button--small">${suggest ? "Propose suggestion" : "Save revision"}</button>
      <button type="button" class="button button--small" data-cancel>Close</button>
    </div>`;
  const textarea = form.querySelector("textarea");
  textarea.value = clause.text;
  form.querySelector("input[type=hidden]").value = clause.revision_id;
  const editor = new ClauseEditor({ clauseId, textarea, baseInput: form.querySelector("input[type=hidden]"), container: form });
  editors.set(clauseId, { editor, form });
  li.querySelector("[data-role=text]").hidden = true;
  li.querySelector(".clause__body").append(form);
  await editor.enhance({ onSelection: cursorSender((selection) => live && live.editing(clauseId, selection)) });
  editor.watchAdvice(form.querySelector("[data-advice]"));
  editor.text.focus();
  live && live.editing(clauseId);
  const close = () => {
    editors.delete(clauseId);
    form.remove();
    const current = clauseItem(clauseId);
    if (current) current.querySelector("[data-role=text]").hidden = false;
    // Keyboard and screen-reader users continue where they started, not at the top of the page.
    const button = current && current.querySelector(suggest ? "[data-suggest-inline]" : "[data-edit-inline]");
    if (button) button.focus();
    live && live.editing(null);
  };
  form.querySelector("[data-cancel]").addEventListener("click", () => {
    if (editor.dirty && !window.confirm("Close and lose your unsaved text?")) return;
    close();
  });
  form.addEventListener("submit", async (submit) => {
    submit.preventDefault();
    const rationale = form.querySelector(`#inline-rationale-${clauseId}`).value;
    if (suggest) {
      const { status: proposed, body: answer } = await editor.suggest(rationale);
      if (proposed === 201) {
        close();
        page.refreshClause(clauseId);
        const which = answer && answer.number ? `amendment ${answer.number}` : "an amendment";
        announce(`Your suggestion is recorded as ${which} on ${clauseName(clauseItem(clauseId))}.`);
      }
      return;
    }
    const { status: saved, body: answer } = await editor.save(rationale);
    if (saved === 200 || saved === 201) {
      close();
      announce(saved === 201 ? `Saved as revision ${answer.number}.` : "No change to save.");
    }
  });
}

// --- comment on selected words -------------------------------------------------------------

// Select words in a paragraph: a button under it opens a comment on them, posted in place.
function commentOnSelection() {
  const bar = document.createElement("p");
  bar.className = "quote-bar";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button button--small";
  bar.append(button);
  let chosen = null;
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    const node = range.commonAncestorContainer;
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const holder = element && element.closest("li.clause [data-role=text]");
    if (!holder) return;
    const words = selection.toString().replace(/\s+/g, " ").trim();
    if (!words) return;
    const li = holder.closest("li.clause");
    chosen = { words, clauseId: Number(li.dataset.clauseId) };
    button.textContent = `Comment on “${words.length > 60 ? `${words.slice(0, 57)}…` : words}”`;
    holder.after(bar);
  });
  button.addEventListener("click", () => {
    if (!chosen) return;
    const li = clauseItem(chosen.clauseId);
    if (!li) return;
    const form = document.createElement("form");
    form.method = "post";
    form.action = `/clauses/${chosen.clauseId}/comments`;
    form.className = "stack inline-comment";
    form.dataset.inplace = "";
    const id = `inline-comment-${chosen.clauseId}`;
    form.innerHTML = `<input type="hidden" name="csrf_token"><input type="hidden" name="quote">
      <input type="hidden" name="back" value="document"><label for="${id}"></label>
      <textarea id="${id}" name="body" rows="3" maxlength="10000" required></textarea>
      <div class="row"><button class="button button--small button--primary" type="submit">Post comment</button>
      <button class="button button--small" type="button" data-cancel>Cancel</button></div>`;
    form.querySelector("[name=csrf_token]").value = csrfToken();
    form.querySelector("[name=quote]").value = chosen.words;
    form.querySelector("label").textContent = `Your comment on “${chosen.words}”`;
    form.querySelector("[data-cancel]").addEventListener("click", () => form.remove());
    li.querySelectorAll(".inline-comment").forEach((old) => old.remove());
    li.querySelector(".clause__body").append(form);
    bar.remove();
    form.querySelector("textarea").focus();
    announce(`Quoting “${chosen.words}”. Write your comment.`);
  });
}

if (documentId) {
  if (mayEdit) loadEditor();
  if (body.dataset.mayComment === "true") commentOnSelection();
  document.querySelectorAll("li.clause").forEach(addEditButton);
  live = connect({ documentId, lastSeq: Number(body.dataset.lastSeq || 0), page, onPresence: showPresence });
  window.addEventListener("beforeunload", (leaving) => {
    if (page.hasDraft()) leaving.preventDefault();
  });
}
