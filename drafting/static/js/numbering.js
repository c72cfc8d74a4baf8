// Paragraph numbers that change while a page is open: an insertion, a move, a split, a merge or a
// withdrawal renumbers the paragraphs after it. Events that do so carry the document's numbering
// (services/documents.numbering): {order: [[section_id, [clause_id, …]], …], numbers: {id: "2 bis"},
// alt: {id: 2}}. The names screen readers hear come from the templates' paragraph_name macro.
const MARK_MS = 4000;

// The same words as the paragraph_name macro in templates/_macros.html.
export function paragraphName(number, capital = false) {
  if (number) return `${capital ? "Operative paragraph" : "paragraph"} ${number}`;
  return capital ? "Preambular paragraph" : "preambular paragraph";
}

export const numberIn = (numbering, clauseId) => (numbering.numbers || {})[String(clauseId)] || "";

// Give `root` (a clause on the document page, the clause page's heading) its new number; false when
// it had it already. The number, where it is shown, is marked for a few seconds.
export function renumber(root, number, shown = null) {
  if ((root.dataset.number || "") === number) return false;
  root.dataset.number = number;
  root.querySelectorAll("[data-paragraph-name]").forEach((name) => {
    name.textContent = paragraphName(number, name.dataset.paragraphName === "capital");
  });
  if (shown) {
    // The number is the box's first text; initials of someone editing may follow it.
    const text = number ? `${number}.` : "";
    if (shown.firstChild && shown.firstChild.nodeType === Node.TEXT_NODE) shown.firstChild.textContent = text;
    else shown.prepend(text);
    shown.setAttribute("aria-hidden", number ? "false" : "true");
  }
  const marked = shown || root;
  marked.classList.add("renumbered");
  window.clearTimeout(Number(marked.dataset.renumberedTimer || 0));
  marked.dataset.renumberedTimer = window.setTimeout(() => marked.classList.remove("renumbered"), MARK_MS);
  return true;
}

// Put the document page's clauses in the numbering's order, moving only those out of place.
export function placeInOrder(numbering) {
  for (const [sectionId, ids] of numbering.order) {
    const list = document.querySelector(`#s-${sectionId} ol.clauses`);
    if (!list) continue;
    let previous = null;
    for (const id of ids) {
      const li = document.getElementById(`clause-${id}`);
      if (!li) continue;
      const there = previous ? previous.nextElementSibling : list.firstElementChild;
      if (li !== there) { if (previous) previous.after(li); else list.prepend(li); }
      previous = li;
    }
  }
}
