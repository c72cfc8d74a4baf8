// The clause editor: CodeMirror 6 over the form's textarea. The textarea stays in the form and
// receives every change, so the form posts as it does without JavaScript; the editor adds track
// changes against the base revision while one types, shortcuts for lettered sub-paragraphs and
// footnotes, the drafting checks under the text, and where other people's cursors are.
import { EditorSelection, EditorState, RangeSetBuilder, StateEffect, StateField } from "@codemirror/state";
import { Decoration, EditorView, WidgetType, keymap, placeholder } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { wordDiff } from "./word-diff.js";

export { EditorView, wordDiff };

const setBase = StateEffect.define();
const setRemote = StateEffect.define();
const setAdvice = StateEffect.define();

// The drafting checks' advice on the text: [{start, end, message}], marked with a wavy underline.
const advice = StateField.define({
  create: () => Decoration.none,
  update(value, tr) {
    value = value.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setAdvice)) continue;
      const length = tr.state.doc.length;
      value = Decoration.set(effect.value
        .filter((f) => f.end > f.start && f.end <= length)
        .map((f) => Decoration.mark({ class: "cm-advice", attributes: { title: f.message } }).range(f.start, f.end)), true);
    }
    return value;
  },
  provide: (field) => EditorView.decorations.from(field),
});

class Deleted extends WidgetType {
  constructor(text) { super(); this.text = text; }
  eq(other) { return other.text === this.text; }
  toDOM() {
    const del = document.createElement("del");
    del.className = "tc-del";
    del.textContent = this.text;
    del.setAttribute("aria-label", `deleted: ${this.text}`);
    return del;
  }
  ignoreEvent() { return true; }
}

const inserted = Decoration.mark({ class: "tc-ins", tagName: "ins" });

// Decorations that show how `text` differs from `base`, word by word.
export function changeDecorations(base, text) {
  const builder = new RangeSetBuilder();
  let at = 0;
  for (const [op, part] of wordDiff(base, text)) {
    if (op === 0) at += part.length;
    else if (op === 1) { builder.add(at, at + part.length, inserted); at += part.length; }
    else builder.add(at, at, Decoration.widget({ widget: new Deleted(part), side: -1 }));
  }
  return builder.finish();
}

const trackChanges = StateField.define({
  create: () => ({ base: null, decorations: Decoration.none }),
  update(value, tr) {
    let base = value.base;
    for (const effect of tr.effects) if (effect.is(setBase)) base = effect.value;
    if (base === value.base && !tr.docChanged) return value;
    return { base, decorations: base === null ? Decoration.none : changeDecorations(base, tr.state.doc.toString()) };
  },
  provide: (field) => EditorView.decorations.from(field, (value) => value.decorations),
});

class Caret extends WidgetType {
  constructor(person) { super(); this.person = person; }
  eq(other) { return other.person.initials === this.person.initials; }
  toDOM() {
    const mark = document.createElement("span");
    mark.className = "remote-caret";
    mark.setAttribute("aria-hidden", "true");
    mark.dataset.initials = this.person.initials;
    mark.title = this.person.name;
    return mark;
  }
}

// Other people's cursors and selections: [{name, initials, from, to}], positions in this text.
const remoteCursors = StateField.define({
  create: () => Decoration.none,
  update(value, tr) {
    value = value.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setRemote)) continue;
      const length = tr.state.doc.length;
      const ranges = [];
      for (const person of effect.value) {
        const from = Math.max(0, Math.min(length, person.from));
        const to = Math.max(from, Math.min(length, person.to));
        if (to > from) ranges.push(Decoration.mark({ class: "remote-selection", attributes: { title: person.name } }).range(from, to));
        ranges.push(Decoration.widget({ widget: new Caret(person), side: 1 }).range(to));
      }
      value = Decoration.set(ranges, true);
    }
    return value;
  },
  provide: (field) => EditorView.decorations.from(field),
});

const LETTERS = "abcdefghijklmnopqrstuvwxyz";

// A new lettered sub-paragraph on its own line: (a), (b), … after the last one in the text.
export function insertSubParagraph(view) {
  const text = view.state.doc.toString();
  const used = [...text.matchAll(/^\(([a-z])\)/gm)].map((m) => LETTERS.indexOf(m[1]));
  const letter = LETTERS[Math.min(25, used.length ? Math.max(...used) + 1 : 0)];
  const { from, to } = view.state.selection.main;
  const before = text.slice(0, from);
  const lead = before === "" ? "" : before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
  const insert = `${lead}(${letter}) `;
  view.dispatch({ changes: { from, to, insert }, selection: EditorSelection.cursor(from + insert.length), scrollIntoView: true,
                  userEvent: "input" });
  return true;
}

// A footnote: the marker [^n] where the cursor is, its text at the end, the cursor in that text.
export function insertFootnote(view) {
  const text = view.state.doc.toString();
  const numbers = [...text.matchAll(/\[\^(\d+)\]/g)].map((m) => Number(m[1]));
  const n = numbers.length ? Math.max(...numbers) + 1 : 1;
  const { from, to } = view.state.selection.main;
  const marker = `[^${n}]`;
  const tail = `${text.endsWith("\n") ? "\n" : "\n\n"}[^${n}]: `;
  const end = text.length;
  view.dispatch({
    changes: [{ from, to, insert: marker }, { from: end, insert: tail }],
    selection: EditorSelection.cursor(end - (to - from) + marker.length + tail.length),
    scrollIntoView: true, userEvent: "input",
  });
  return true;
}

export const SHORTCUTS = [
  { key: "Alt-Shift-a", run: insertSubParagraph, label: "Alt+Shift+A", what: "new lettered sub-paragraph" },
  { key: "Alt-Shift-f", run: insertFootnote, label: "Alt+Shift+F", what: "footnote" },
];

// Put the editor in place of `textarea`. Returns a handle with the textarea's value and focus.
export function enhance(textarea, { base = null, onChange = () => {}, onSelection = () => {} } = {}) {
  const wrapper = document.createElement("div");
  wrapper.className = "text-editor";
  const help = document.createElement("p");
  help.className = "muted small text-editor__help";
  help.id = `${textarea.id || "text"}-keys`;
  help.textContent = `Keys: ${SHORTCUTS.map((s) => `${s.label} ${s.what}`).join(", ")}; Tab leaves the editor. `
    + "Inserted words are underlined, deleted words struck through.";
  const labelled = textarea.id ? document.querySelector(`label[for="${textarea.id}"]`) : null;
  if (labelled && !labelled.id) labelled.id = `${textarea.id}-label`;
  const describedBy = [textarea.getAttribute("aria-describedby"), help.id].filter(Boolean).join(" ");
  const view = new EditorView({
    parent: wrapper,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        EditorView.cspNonce.of(document.querySelector("meta[name=csp-nonce]")?.content || ""),
        history(),
        keymap.of([...SHORTCUTS.map(({ key, run }) => ({ key, run })), ...defaultKeymap, ...historyKeymap]),
        EditorView.lineWrapping,
        trackChanges,
        remoteCursors,
        advice,
        placeholder(textarea.getAttribute("placeholder") || ""),
        EditorView.contentAttributes.of({
          "aria-multiline": "true",
          role: "textbox",
          ...(labelled ? { "aria-labelledby": labelled.id } : { "aria-label": "Clause text" }),
          "aria-describedby": describedBy,
          "data-editor-for": textarea.id || "",
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) {
            textarea.value = update.state.doc.toString();
            onChange(textarea.value);
          }
          if (update.selectionSet || update.docChanged) {
            const { from, to } = update.state.selection.main;
            onSelection(from, to);
          }
        }),
      ],
    }),
  });
  textarea.hidden = true;
  // A hidden required field would block the form without saying why: the server says it instead.
  textarea.required = false;
  textarea.after(wrapper);
  wrapper.after(help);
  if (labelled) labelled.addEventListener("click", () => view.focus());
  if (base !== null) view.dispatch({ effects: setBase.of(base) });

  return {
    view,
    get value() { return view.state.doc.toString(); },
    set value(text) {
      if (text === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    set base(text) { view.dispatch({ effects: setBase.of(text) }); },
    get selection() { const { from, to } = view.state.selection.main; return [from, to]; },
    focus() { view.focus(); },
    hasFocus() { return view.hasFocus; },
    showCursors(people) { view.dispatch({ effects: setRemote.of(people) }); },
    showAdvice(findings) { view.dispatch({ effects: setAdvice.of(findings) }); },
    destroy() { view.destroy(); wrapper.remove(); help.remove(); textarea.hidden = false; },
  };
}
