// Consolidation by selection on the document page, for rapporteurs and the chair in the consolidation
// phase: select words of a paragraph to bracket them, split there, make an alternative or write a
// compromise from its suggestions, each previewed as track changes by the server before it is applied;
// reorder by drag and drop or with the up/down buttons (in place); merge paragraphs chosen by checkbox.
// The server's events then update every open page, this one included. Without JavaScript the
// forms of the consolidation tools page do the same.
import { announce, fetchJSON } from "./live.js";
import { numberIn, paragraphName, placeInOrder, renumber } from "./numbering.js";

const body = document.body;
const documentId = Number(body.dataset.documentId);
const filtered = new URLSearchParams(window.location.search).toString() !== "";
const clauseItem = (id) => document.getElementById(`clause-${id}`);
const nameOf = (li) => paragraphName(li ? li.dataset.number : "");
const short = (words, max = 60) => (words.length > max ? `${words.slice(0, max - 3)}…` : words);
const squash = (text) => text.replace(/\s+/g, " ");
// A paragraph whose text may change: not agreed, merged or withdrawn (the server says so on each).
const isLive = (li) => li && li.dataset.textFrozen !== "true" && !li.matches(".clause--merged, .clause--withdrawn");

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

function errorMessage(answer) {
  return (answer && answer.error && answer.error.message) || "That could not be done; reload the page and try again.";
}

// --- track changes, as the suggestions under each paragraph show them ----------------------------

function trackChanges(changes) {
  const line = element("p", { class: "track" });
  for (const [op, text] of changes) {
    if (op === 0) { line.append(text); continue; }
    const mark = element(op === 1 ? "ins" : "del");
    // A change of white space alone (paragraphs joined, a line break added) is shown by a sign.
    const blank = !text.trim();
    const shown = blank ? element("span", { class: "track__space", "aria-hidden": "true", text: text.includes("\n") ? "¶" : "␣" }) : text;
    const said = blank ? (text.includes("\n") ? "a paragraph break" : "a space") : "";
    mark.append(element("span", { class: "visually-hidden", text: `${op === 1 ? "[inserted: " : "[deleted: "}${said}` }),
                shown, element("span", { class: "visually-hidden", text: "]" }));
    line.append(mark);
    if (blank && op === 1) line.append(text);
  }
  return line;
}

// --- the words selected, as the server will find them ---------------------------------------------

// The text shown in `holder` between its start and (node, offset), without comment markers ([1]).
function shownTextUpTo(holder, node, offset) {
  const range = document.createRange();
  range.selectNodeContents(holder);
  range.setEnd(node, offset);
  return shownText(range.cloneContents());
}

function shownText(fragment) {
  fragment.querySelectorAll(".anchor-ref, .visually-hidden").forEach((ref) => ref.remove());
  return fragment.textContent;
}

// The selection as {li, quote, occurrence}: the words, and which of their occurrences in the
// paragraph as shown it is, so repeated words are told apart (the server asks when it cannot).
function chosenWords() {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
  const range = selection.getRangeAt(0);
  const start = range.startContainer.nodeType === Node.ELEMENT_NODE ? range.startContainer : range.startContainer.parentElement;
  const holder = start && start.closest("li.clause [data-role=text]");
  if (!holder || !holder.contains(range.endContainer)) return null;
  const li = holder.closest("li.clause");
  if (!isLive(li)) return null;
  const raw = squash(shownText(range.cloneContents()));
  const quote = raw.trim();
  if (!quote) return null;
  const before = squash(shownTextUpTo(holder, range.startContainer, range.startOffset));
  const startsAt = before.length + (raw.startsWith(" ") && !before.endsWith(" ") ? 1 : 0);
  const whole = document.createRange();
  whole.selectNodeContents(holder);
  const all = squash(shownText(whole.cloneContents()));
  const found = [];
  for (let at = all.indexOf(quote); at !== -1; at = all.indexOf(quote, at + 1)) found.push(at);
  const nearest = found.reduce((best, at, index) => (Math.abs(at - startsAt) < Math.abs(found[best] - startsAt) ? index : best), 0);
  const occurrence = found.length ? nearest : null;
  return { li, holder, quote, occurrence };
}

// --- the toolbar under selected words ---------------------------------------------------------------

const ACTIONS = {
  bracket: { label: "Bracket", verb: "Bracket", done: (w, li) => `Bracketed “${short(w)}” in ${nameOf(li)}.` },
  split: { label: "Split here", verb: "Split", done: (w, li) => `Split ${nameOf(li)} in two before “${short(w)}”.` },
  alternative: { label: "Make an alternative", verb: "Add the alternative", done: (w, li) => `Added an alternative to ${nameOf(li)}.` },
  compromise: { label: "Compromise from selected suggestions", verb: "Save the compromise", done: (w, li) => `Saved a compromise text for ${nameOf(li)}.` },
};

const toolbar = element("div", { class: "select-tools", role: "toolbar", "aria-label": "Consolidate the selected words" });
const toolbarWords = element("span", { class: "select-tools__words small" });
toolbar.append(toolbarWords);
for (const [action, { label }] of Object.entries(ACTIONS)) {
  const button = element("button", { type: "button", class: "button button--small", "data-select-action": action, text: label });
  button.addEventListener("click", () => { if (chosen) openPreview(action, chosen); });
  toolbar.append(button);
}
let chosen = null;

document.addEventListener("selectionchange", () => {
  const words = chosenWords();
  if (!words) return;  // a click elsewhere keeps the toolbar for the words chosen last
  chosen = words;
  toolbarWords.textContent = `“${short(words.quote, 40)}”:`;
  toolbar.querySelector("[data-select-action=compromise]").hidden = !words.li.querySelector(".suggestion");
  if (toolbar.previousElementSibling !== words.holder) words.holder.after(toolbar);
});
toolbar.addEventListener("keydown", (key) => {
  if (key.key === "Escape") { toolbar.remove(); chosen = null; }
});

// --- the preview, then the change ---------------------------------------------------------------

let previewCount = 0;
// Open previews by clause id: the server draws a paragraph again when others vote or suggest on it,
// and a preview being read or written in must survive that (decorate puts it back).
const openPanels = new Map();

function openPreview(action, words) {
  const { li } = words;
  li.querySelectorAll(".consolidate-preview").forEach((old) => old.remove());
  previewCount += 1;
  const headingId = `consolidate-preview-${previewCount}`;
  const panel = element("section", { class: "consolidate-preview", "aria-labelledby": headingId });
  const heading = element("h3", { id: headingId, tabindex: "-1",
    text: action === "compromise" ? `Preview: a compromise for ${nameOf(li)}` : `Preview: ${ACTIONS[action].label.toLowerCase()} — “${short(words.quote)}”` });
  const fields = element("div", { class: "stack" });
  const shown = element("div", { class: "consolidate-preview__changes", "aria-live": "polite" });
  const legend = element("p", { class: "small muted", text: "Inserted text is underlined, deleted text struck through." });
  const error = element("p", { class: "form-error", role: "alert", hidden: "" });
  const apply = element("button", { type: "button", class: "button button--primary button--small", "data-apply": "", text: ACTIONS[action].verb });
  const cancel = element("button", { type: "button", class: "button button--small", text: "Cancel" });
  const id = (name) => `${headingId}-${name}`;
  const state = { occurrence: words.occurrence, baseRevisionId: Number(li.dataset.revisionId) };
  let wording = null;
  let compromiseText = null;
  let rationale = null;
  let picked = [];

  if (action === "alternative") {
    wording = element("input", { id: id("words"), maxlength: "20000" });
    wording.value = words.quote;
    fields.append(element("label", { for: id("words"), text: "Alternative wording for the selected words" }), wording);
  }
  if (action === "compromise") {
    const box = element("fieldset", { class: "consolidate-preview__suggestions" }, element("legend", { text: "Suggestions the compromise draws on" }));
    for (const item of li.querySelectorAll(".suggestion")) {
      const amendmentId = item.id.replace("suggestion-", "");
      const check = element("input", { type: "checkbox", id: id(`a${amendmentId}`), value: amendmentId });
      check.checked = true;
      const head = item.querySelector(".suggestion__head strong");
      const author = item.querySelector(".suggestion__head .muted");
      box.append(element("div", { class: "check" }, check,
        element("label", { for: id(`a${amendmentId}`), text: `${head ? head.textContent : "Suggestion"} ${author ? author.textContent : ""}` })));
    }
    compromiseText = element("textarea", { id: id("text"), rows: "4", maxlength: "20000" });
    fields.append(box, element("label", { for: id("text"), text: "Compromise text (start from the suggestions merged, then edit)" }), compromiseText);
    box.addEventListener("change", () => { compromiseText.value = ""; refresh(); });
  }
  if (action !== "bracket") {
    rationale = element("input", { id: id("rationale"), maxlength: "5000" });
    const required = action === "compromise";
    if (required) rationale.required = true;
    fields.append(element("label", { for: id("rationale"), text: required ? "Rationale (required; the suggestions' authors are told)" : "Rationale (optional)" }), rationale);
  }
  if (wording || compromiseText) {
    const again = element("button", { type: "button", class: "button button--small", text: "Update preview" });
    again.addEventListener("click", () => refresh());
    fields.append(again);
  }

  const request = () => {
    const data = { action, base_revision_id: state.baseRevisionId };
    if (action !== "compromise") { data.quote = words.quote; data.occurrence = state.occurrence; }
    if (wording) data.text = wording.value;
    if (compromiseText && compromiseText.value.trim()) data.text = compromiseText.value;
    if (action === "compromise") {
      picked = [...panel.querySelectorAll(".consolidate-preview__suggestions input:checked")].map((c) => Number(c.value));
      data.amendment_ids = picked;
    }
    if (rationale && rationale.value.trim()) data.rationale = rationale.value;
    return data;
  };

  const fail = (answer) => {
    error.hidden = false;
    error.replaceChildren(errorMessage(answer));
    const candidates = answer && answer.error && answer.error.candidates;
    if (!candidates) return;
    // The words occur more than once and the page could not say which: ask.
    const which = element("fieldset", { class: "consolidate-preview__which" }, element("legend", { text: "Which occurrence did you mean?" }));
    candidates.forEach((c, index) => {
      const radio = element("input", { type: "radio", name: id("which"), id: id(`w${index}`), value: String(index) });
      radio.addEventListener("change", () => { state.occurrence = index; which.remove(); refresh(); });
      which.append(element("div", { class: "check" }, radio,
        element("label", { for: id(`w${index}`) }, `…${c.before}`, element("strong", { text: c.words }), `${c.after}…`)));
    });
    error.after(which);
  };

  async function refresh() {
    error.hidden = true;
    apply.disabled = true;
    const { status, body: answer } = await fetchJSON(`/api/v1/clauses/${li.dataset.clauseId}/selection/preview`, {
      method: "POST", body: JSON.stringify(request()) });
    if (status !== 200) { shown.replaceChildren(); fail(answer); return; }
    if (compromiseText && !compromiseText.value.trim()) compromiseText.value = answer.text;
    shown.replaceChildren(...answer.paragraphs.flatMap((p) => [element("p", { class: "small consolidate-preview__label" }, element("strong", { text: p.label })), trackChanges(p.changes)]));
    if (answer.conflicts) shown.append(element("p", { class: "small", text: `${answer.conflicts} place(s) where suggestions overlap are marked [[theirs: … || mine: …]]: edit the text to resolve them.` }));
    apply.disabled = false;
  }

  apply.addEventListener("click", async () => {
    if (rationale && rationale.required && !rationale.value.trim()) {
      error.hidden = false;
      error.textContent = "Write a rationale: the suggestions' authors are told why.";
      rationale.focus();
      return;
    }
    apply.disabled = true;
    const { status, body: answer } = await fetchJSON(`/api/v1/clauses/${li.dataset.clauseId}/selection/apply`, {
      method: "POST", body: JSON.stringify(request()) });
    if (status !== 200) { apply.disabled = false; fail(answer); return; }
    close(false);
    announce(ACTIONS[action].done(words.quote, li));
  });
  cancel.addEventListener("click", () => close(true));
  panel.addEventListener("keydown", (key) => { if (key.key === "Escape") close(true); });

  function close(cancelled) {
    openPanels.delete(li.dataset.clauseId);
    panel.remove();
    toolbar.remove();
    chosen = null;
    const current = clauseItem(li.dataset.clauseId);
    const back = current && (current.querySelector(".clause__link") || current);
    if (back) back.focus({ preventScroll: !cancelled });
  }

  panel.append(heading, fields, legend, shown, error,
               element("div", { class: "row consolidate-preview__actions" }, apply, cancel));
  // Right under the words chosen, where the toolbar was, so the preview is read beside the text.
  (toolbar.isConnected && li.contains(toolbar) ? toolbar : words.holder).after(panel);
  openPanels.set(li.dataset.clauseId, panel);
  heading.focus();
  refresh();
}

// --- order: the up/down buttons in place, and drag and drop ---------------------------------------

// Put the paragraphs where the numbering says and give them their numbers.
function place(numbering) {
  placeInOrder(numbering);
  for (const li of document.querySelectorAll("li.clause")) {
    renumber(li, numberIn(numbering, Number(li.dataset.clauseId)), li.querySelector(".clause__num"));
  }
}

async function move(li, data, { focus = null } = {}) {
  const before = nameOf(li);
  const { status, body: answer } = await fetchJSON(`/api/v1/clauses/${li.dataset.clauseId}/move`, {
    method: "POST", body: JSON.stringify(data) });
  if (status !== 200) { announce(errorMessage(answer)); return false; }
  place(answer.numbering);
  if (focus && focus.isConnected) focus.focus({ preventScroll: false });
  const after = nameOf(li);
  announce(after !== before ? `Moved ${before}: it is now ${after}.` : `Moved ${before}.`);
  return true;
}

document.addEventListener("submit", (submit) => {
  const form = submit.target;
  if (!(form instanceof HTMLFormElement) || !form.closest(".clause-tools") || !form.action.endsWith("/move")) return;
  const li = form.closest("li.clause");
  if (!li) return;
  submit.preventDefault();
  const button = submit.submitter || form.querySelector("button");
  move(li, { direction: new FormData(form).get("direction") }, { focus: button });
});

let dragged = null;

function addHandle(li) {
  if (filtered || li.querySelector("[data-drag-handle]") || !li.querySelector(".clause-tools")) return;
  const handle = element("span", { class: "drag-handle", "data-drag-handle": "", draggable: "true",
    title: "Drag to reorder (or use the arrow buttons)" });
  handle.innerHTML = '<svg aria-hidden="true" width="12" height="16" viewBox="0 0 12 16"><g fill="currentColor"><circle cx="3" cy="3" r="1.5"/><circle cx="9" cy="3" r="1.5"/><circle cx="3" cy="8" r="1.5"/><circle cx="9" cy="8" r="1.5"/><circle cx="3" cy="13" r="1.5"/><circle cx="9" cy="13" r="1.5"/></g></svg>';
  handle.addEventListener("dragstart", (drag) => {
    dragged = li;
    li.classList.add("clause--dragging");
    drag.dataTransfer.effectAllowed = "move";
    drag.dataTransfer.setData("text/plain", li.dataset.clauseId);
    drag.dataTransfer.setDragImage(li, 20, 20);
  });
  handle.addEventListener("dragend", () => { li.classList.remove("clause--dragging"); dragged = null; clearDropMarks(); });
  li.querySelector(".clause__num").append(handle);
}

const clearDropMarks = () => document.querySelectorAll(".clause--drop-before, .clause--drop-after").forEach(
  (li) => li.classList.remove("clause--drop-before", "clause--drop-after"));

function dropPlace(target, drag) {
  const box = target.getBoundingClientRect();
  return drag.clientY < box.top + box.height / 2 ? "before" : "after";
}

document.addEventListener("dragover", (drag) => {
  const target = drag.target instanceof Element && drag.target.closest("ol.clauses > li.clause");
  if (!dragged || !target || target === dragged) return;
  drag.preventDefault();
  drag.dataTransfer.dropEffect = "move";
  clearDropMarks();
  target.classList.add(`clause--drop-${dropPlace(target, drag)}`);
});

document.addEventListener("drop", (drag) => {
  const target = drag.target instanceof Element && drag.target.closest("ol.clauses > li.clause");
  if (!dragged || !target || target === dragged) return;
  drag.preventDefault();
  const li = dragged;
  const where = dropPlace(target, drag);
  clearDropMarks();
  const list = target.closest("ol.clauses");
  const section = Number(list.closest(".doc-section").id.replace("s-", ""));
  // The index among the section's other clauses, as the server counts them (all of them, in order).
  const others = [...list.querySelectorAll(":scope > li.clause")].filter((other) => other !== li);
  const index = others.indexOf(target) + (where === "after" ? 1 : 0);
  move(li, { section_id: section, index }, { focus: li.querySelector(".clause-tools button") });
});

// --- merge by choosing paragraphs --------------------------------------------------------------------

const mergeBar = element("div", { class: "merge-bar", role: "region", "aria-label": "Merge paragraphs" });
const mergeCount = element("span", { class: "merge-bar__count", "aria-live": "polite" });
const mergeButton = element("button", { type: "button", class: "button button--primary button--small", text: "Merge selected" });
const mergeClear = element("button", { type: "button", class: "button button--small", text: "Clear" });
mergeBar.append(mergeCount, mergeButton, mergeClear);
mergeBar.hidden = true;

function addCheckbox(li) {
  if (filtered || li.querySelector("[data-merge-check]") || !isLive(li) || !li.querySelector(".clause-tools")) return;
  const box = element("input", { type: "checkbox", id: `merge-${li.dataset.clauseId}`, "data-merge-check": "", value: li.dataset.clauseId });
  // The paragraph's name keeps up with renumbering (numbering.js rewrites [data-paragraph-name]).
  const label = element("label", { for: box.id, class: "merge-check small" }, box, " Merge ",
                        element("span", { class: "visually-hidden", "data-paragraph-name": "", text: nameOf(li) }));
  box.addEventListener("change", showMergeBar);
  li.querySelector(".clause-tools").prepend(label);
}

const checkedForMerge = () => [...document.querySelectorAll("[data-merge-check]:checked")].map((c) => c.closest("li.clause"));

function showMergeBar() {
  const chosenItems = checkedForMerge();
  mergeBar.hidden = chosenItems.length === 0;
  mergeButton.disabled = chosenItems.length < 2;
  mergeCount.textContent = chosenItems.length < 2
    ? `${chosenItems.length} paragraph chosen: choose at least two to merge.`
    : `${chosenItems.length} paragraphs chosen: ${chosenItems.map(nameOf).join(", ")}.`;
}

mergeClear.addEventListener("click", () => {
  document.querySelectorAll("[data-merge-check]:checked").forEach((c) => { c.checked = false; });
  showMergeBar();
  document.querySelectorAll(".merge-preview").forEach((p) => p.remove());
  for (const key of openPanels.keys()) if (key.startsWith("merge:")) openPanels.delete(key);
});

mergeButton.addEventListener("click", () => {
  const items = checkedForMerge();
  if (items.length < 2) return;
  document.querySelectorAll(".merge-preview").forEach((p) => p.remove());
  for (const key of openPanels.keys()) if (key.startsWith("merge:")) openPanels.delete(key);
  const ids = items.map((li) => Number(li.dataset.clauseId));
  const panel = element("section", { class: "consolidate-preview merge-preview", "aria-labelledby": "merge-preview-h" });
  const heading = element("h3", { id: "merge-preview-h", tabindex: "-1", text: `Preview: merge ${items.map(nameOf).join(", ")}` });
  const text = element("textarea", { id: "merge-preview-text", rows: "5", maxlength: "20000" });
  const rationale = element("input", { id: "merge-preview-rationale", maxlength: "5000" });
  const shown = element("div", { class: "consolidate-preview__changes", "aria-live": "polite" });
  const error = element("p", { class: "form-error", role: "alert", hidden: "" });
  const again = element("button", { type: "button", class: "button button--small", text: "Update preview" });
  const apply = element("button", { type: "button", class: "button button--primary button--small", "data-apply": "", text: "Merge into one paragraph" });
  const cancel = element("button", { type: "button", class: "button button--small", text: "Cancel" });
  panel.append(heading,
    element("label", { for: text.id, text: "Merged text (the paragraphs one after the other; edit it as needed)" }), text,
    element("label", { for: rationale.id, text: "Rationale (optional)" }), rationale, again,
    element("p", { class: "small muted", text: "Inserted text is underlined, deleted text struck through." }), shown, error,
    element("div", { class: "row consolidate-preview__actions" }, apply, cancel));
  items[0].querySelector("[data-role=text]").after(panel);
  openPanels.set(`merge:${items[0].dataset.clauseId}`, panel);
  heading.focus();

  const refresh = async () => {
    error.hidden = true;
    apply.disabled = true;
    const { status, body: answer } = await fetchJSON(`/api/v1/documents/${documentId}/merge/preview`, {
      method: "POST", body: JSON.stringify({ clause_ids: ids, text: text.value.trim() ? text.value : null }) });
    if (status !== 200) { error.hidden = false; error.textContent = errorMessage(answer); return; }
    if (!text.value.trim()) text.value = answer.text;
    shown.replaceChildren(...answer.paragraphs.flatMap((p) => [element("p", { class: "small consolidate-preview__label" }, element("strong", { text: p.label })), trackChanges(p.changes)]));
    apply.disabled = false;
  };
  again.addEventListener("click", refresh);
  const forget = () => { openPanels.delete(`merge:${items[0].dataset.clauseId}`); panel.remove(); };
  cancel.addEventListener("click", () => { forget(); mergeButton.focus(); });
  apply.addEventListener("click", async () => {
    apply.disabled = true;
    const names = items.map(nameOf).join(", ");
    const { status, body: answer } = await fetchJSON(`/api/v1/documents/${documentId}/merge`, {
      method: "POST", body: JSON.stringify({ clause_ids: ids, text: text.value, rationale: rationale.value }) });
    if (status !== 201) { apply.disabled = false; error.hidden = false; error.textContent = errorMessage(answer); return; }
    forget();
    mergeClear.click();
    announce(`Merged ${names} into one paragraph.`);
    const merged = () => clauseItem(answer.id);
    // The merged paragraph arrives with the server's event; focus it when it is there.
    const focusWhenThere = (tries) => {
      const li = merged();
      if (li) { const link = li.querySelector(".clause__link"); if (link) link.focus(); return; }
      if (tries) window.setTimeout(() => focusWhenThere(tries - 1), 200);
    };
    focusWhenThere(25);
  });
  refresh();
});

// --- every paragraph, including those the live updates draw again --------------------------------

function decorate(li) {
  addHandle(li);
  addCheckbox(li);
  for (const key of [li.dataset.clauseId, `merge:${li.dataset.clauseId}`]) {
    const panel = openPanels.get(key);
    if (panel && !li.contains(panel)) li.querySelector("[data-role=text]").after(panel);
  }
}

if (documentId && body.dataset.mayConsolidate === "true") {
  const main = document.querySelector("main");
  (document.querySelector(".doc-section") || main).before(mergeBar);
  document.querySelectorAll("li.clause").forEach(decorate);
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof HTMLElement && node.matches("li.clause")) decorate(node);
      }
    }
  }).observe(main, { childList: true, subtree: true });
}
