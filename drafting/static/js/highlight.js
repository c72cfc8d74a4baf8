// Swap a clause's rendered text and mark, for a few seconds, the words that are new.
const WORD = /\S+/g;
const MARK_MS = 4000;

// Which words of `after` are not in the longest common subsequence with `before`.
function insertedWords(before, after) {
  const n = before.length, m = after.length;
  if (n * m > 250000) return new Set();  // very long texts: highlight the block only
  const table = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i][j] = before[i] === after[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const inserted = new Set();
  let i = 0, j = 0;
  while (j < m) {
    if (i < n && before[i] === after[j]) { i++; j++; }
    else if (i < n && table[i + 1][j] >= table[i][j + 1]) i++;
    else { inserted.add(j); j++; }
  }
  return inserted;
}

export function replaceText(element, html, flashTarget) {
  const before = element.textContent.match(WORD) || [];
  element.innerHTML = html;  // server-rendered through render_markdown, the one sanitising road
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  const after = nodes.flatMap((node) => node.textContent.match(WORD) || []);
  const inserted = insertedWords(before, after);
  let index = 0;
  for (const node of nodes) {
    const parts = node.textContent.split(/(\s+)/);
    const count = (node.textContent.match(WORD) || []).length;
    let touched = false;
    for (let k = index; k < index + count; k++) if (inserted.has(k)) touched = true;
    if (!touched) { index += count; continue; }
    const fragment = document.createDocumentFragment();
    for (const part of parts) {
      if (!part.trim()) { fragment.append(part); continue; }
      if (inserted.has(index)) {
        const mark = document.createElement("mark");
        mark.className = "changed";
        mark.textContent = part;
        fragment.append(mark);
      } else {
        fragment.append(part);
      }
      index++;
    }
    node.replaceWith(fragment);
  }
  flash(flashTarget || element);
  window.setTimeout(() => {
    element.querySelectorAll("mark.changed").forEach((mark) => mark.replaceWith(mark.textContent));
    element.normalize();
  }, MARK_MS);
}

export function flash(element) {
  element.classList.remove("is-updated");
  // Restart the animation two frames on, rather than forcing a layout of the whole page now: on a
  // 500-paragraph page that layout took longer than a frame for every event.
  requestAnimationFrame(() => requestAnimationFrame(() => element.classList.add("is-updated")));
}
