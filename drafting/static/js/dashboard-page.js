// The consensus dashboard, live: whatever happens in the document (votes, declarations, comments,
// amendments, new text, new clauses), the server draws the dashboard's parts again and the page
// swaps in those that changed. One renderer (deliberation/_dashboard.html), at most one request a
// second however many events arrive.
import { announce, coalesce, connect, on } from "./live.js";
import { flash } from "./highlight.js";

const body = document.body;
const documentId = Number(body.dataset.documentId);
const PARTS = ["dashboard-rules", "dashboard-by-state", "dashboard-by-status", "attention"];

// Swap `old` for `fresh` when they differ, keeping keyboard focus on the same link.
function swap(old, fresh) {
  if (!old || !fresh || old.isEqualNode(fresh)) return false;
  const active = document.activeElement;
  const focusedHref = old.contains(active) && active.getAttribute("href");
  old.replaceWith(fresh);
  flash(fresh);
  if (focusedHref) {
    const again = [...fresh.querySelectorAll("a[href]")].find((a) => a.getAttribute("href") === focusedHref);
    if (again) again.focus({ preventScroll: true });
  }
  return true;
}

const rowIds = (list) => [...list.children].map((row) => row.id).join(" ");

async function refresh() {
  const response = await fetch(`/documents/${documentId}/dashboard/fragment`, { credentials: "same-origin" });
  if (!response.ok) return;
  const template = document.createElement("template");
  template.innerHTML = await response.text();  // server-rendered: user text escaped by Jinja
  const fresh = template.content;
  for (const id of PARTS) swap(document.getElementById(id), fresh.getElementById(id));
  // The bars: row by row while the clauses stay the same, the whole list when they do not.
  const rows = document.getElementById("dashboard-rows");
  const freshRows = fresh.getElementById("dashboard-rows");
  if (rows && freshRows) {
    if (rowIds(rows) === rowIds(freshRows)) {
      for (const row of [...freshRows.children]) swap(document.getElementById(row.id), row);
    } else {
      swap(rows, freshRows);
    }
  }
  const live = document.getElementById("dashboard-live");
  const summary = fresh.getElementById("dashboard-live");
  if (live && summary && live.dataset.summary !== summary.dataset.summary) {
    live.dataset.summary = summary.dataset.summary;
    announce(`Consensus dashboard updated: ${summary.dataset.summary}`);
  }
}

const refreshSoon = coalesce(refresh, 1000);

// Every event of the document can move a count: the server decides what the dashboard shows.
on("*", () => refreshSoon("dashboard"));

const page = { editing: () => null, hasDraft: () => false };

if (documentId) connect({ documentId, lastSeq: Number(body.dataset.lastSeq || 0), page });
