// Select words of the clause text with the mouse (or keyboard caret browsing) and comment on them:
// a button fills the comment form's quote fields from the selection. Without JavaScript the
// same fields are typed or pasted by hand.
import { announce } from "./live.js";

// Where `node`/`offset` falls in the clause's text, counting only the text itself, not the
// comment numbers ([1]) shown after marked words. The server snaps it to the nearest occurrence.
function offsetIn(root, node, offset) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (text) => (text.parentElement.closest(".anchor-ref") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  let count = 0;
  while (walker.nextNode()) {
    if (walker.currentNode === node) return count + offset;
    count += walker.currentNode.textContent.length;
  }
  return null;
}

export function quoteSelection(textElement, form) {
  if (!textElement || !form) return;
  const quote = form.querySelector("input[name=quote]");
  const start = form.querySelector("input[name=quote_start]");
  const body = form.querySelector("textarea[name=body]");
  const bar = document.createElement("p");
  bar.className = "quote-bar";
  bar.hidden = true;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button button--small";
  bar.append(button);
  textElement.after(bar);
  let chosen = null;

  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return;
    const range = selection.getRangeAt(0);
    if (!textElement.contains(range.commonAncestorContainer)) return;
    const words = selection.toString().replace(/\s+/g, " ").trim();
    if (!words) return;
    chosen = { words, at: offsetIn(textElement, range.startContainer, range.startOffset) };
    const shown = words.length > 60 ? `${words.slice(0, 57)}…` : words;
    button.textContent = `Comment on “${shown}”`;
    bar.hidden = false;
  });

  button.addEventListener("click", () => {
    if (!chosen) return;
    quote.value = chosen.words;
    if (start) start.value = chosen.at === null ? "" : String(chosen.at);
    bar.hidden = true;
    body.focus();
    announce(`Quoting “${chosen.words}”. Write your comment.`);
  });
  // A quote typed by hand has no known position: the server takes its first occurrence.
  quote.addEventListener("input", () => { if (start) start.value = ""; });
}
