// A clause's tally and consensus state, redrawn in place from a vote event's payload. Mirrors the
// server's templates (deliberation/_charts.html): a patterned bar, the numbers in words, a state badge.
const SVG = "http://www.w3.org/2000/svg";
const KEYS = ["agree", "abstain", "disagree", "block", "stale"];
const STATE_LABELS = { no_votes: "No votes", quorum_not_met: "Quorum not met", consensus: "Consensus",
                       contested: "Contested", blocked: "Blocked" };

export const stateLabel = (state) => STATE_LABELS[state] || (state || "").replace(/_/g, " ");

export function tallyWords(t) {
  if (t.hidden) return "Tally hidden until the vote closes";
  const stale = t.stale ? ` · ${t.stale} stale` : "";
  return `${t.agree} agree · ${t.abstain} abstain · ${t.disagree} disagree · ${t.block} block${stale} · ${t.voted} of ${t.eligible} voted`;
}

function redrawBar(svg, t) {
  svg.querySelectorAll("rect:not(.tally__track)").forEach((rect) => rect.remove());
  const total = t.eligible || 1;
  let x = 0;
  for (const key of KEYS) {
    const n = t[key] || 0;
    if (!n) continue;
    const rect = document.createElementNS(SVG, "rect");
    const width = (n / total) * 100;
    for (const [name, value] of [["x", `${x.toFixed(2)}%`], ["y", "0"], ["width", `${width.toFixed(2)}%`],
                                 ["height", "14"], ["fill", `url(#pat-${key})`], ["stroke", "#ffffff"], ["stroke-width", "1"]]) {
      rect.setAttribute(name, value);
    }
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${n} ${key}`;
    rect.append(title);
    svg.append(rect);
    x += width;
  }
}

// Show `t` (the payload's tally) inside `root`: a clause page's vote panel or a document page's clause
// row. False when the payload cannot say what this reader sees: a hidden tally where the page shows
// counts (the chair sees them, services/votes.reveal) or the other way round; ask the server then.
export function showTally(root, t) {
  if (!root || !t) return false;
  if (Boolean(t.hidden) !== Boolean(root.querySelector(".tally--hidden, .tally-inline--hidden"))) return false;
  if (t.hidden) return true;  // "hidden until the vote closes" still says all there is
  const badge = root.querySelector(".badge--state");
  if (badge && t.state) {
    badge.className = `badge badge--state badge--${t.state}`;
    badge.textContent = stateLabel(t.state);
  }
  const words = root.querySelector(".tally__words, .tally-inline");
  if (words) words.textContent = tallyWords(t);
  const svg = root.querySelector("svg.tally__bar");
  if (svg) redrawBar(svg, t);
  return true;
}
