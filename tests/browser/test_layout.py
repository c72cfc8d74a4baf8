"""Layout that holds: every main page at desktop and phone size, with realistic content.

A page fails when an interactive element overlaps another, is cut off by an ancestor that hides
overflow, leaves the viewport sideways, or when the page itself scrolls sideways. Screenshots of
each page go to artifacts/screenshots/layout-*.png for a person to look at.
"""
import pytest

from drafting.boundary import commit
from drafting.services import amendments

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need Playwright for Python").expect

SIZES = [(1280, 800), (390, 844)]
LONG = "Maria-Fernanda Gonçalves de Albuquerque-Vasconcelos"

# Runs in the page: the problems a person would see, as readable lines.
PROBLEMS = r"""() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`the page scrolls sideways: ${document.documentElement.scrollWidth}px wide in ${width}px`);
  }
  const describe = (e) => {
    const text = (e.getAttribute("aria-label") || e.textContent || e.value || e.name || "").trim().replace(/\s+/g, " ");
    return `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""} “${text.slice(0, 40)}”`;
  };
  const shown = (e) => {
    if (e.closest(".skip-link, .visually-hidden, [hidden]")) return false;
    const details = e.closest("details:not([open])");
    if (details && !(e.tagName === "SUMMARY" && e.parentElement === details) && !e.closest("summary")) return false;
    const style = getComputedStyle(e);
    if (style.visibility === "hidden" || style.display === "none") return false;
    const r = e.getBoundingClientRect();
    return r.width * r.height > 4;
  };
  const controls = [...document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [contenteditable=true]")].filter(shown);
  for (const e of controls) {
    const r = e.getBoundingClientRect();
    if (r.left < -1 || r.right > width + 1) problems.push(`${describe(e)} leaves the viewport (${Math.round(r.left)}…${Math.round(r.right)} of ${width})`);
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const overflow = getComputedStyle(a);
      if (![overflow.overflowX, overflow.overflowY].some((o) => o === "hidden" || o === "clip")) continue;
      const box = a.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        problems.push(`${describe(e)} is cut off by ${describe(a)}`);
      }
      break;
    }
  }
  const boxes = controls.map((e) => ({ e, rects: [...e.getClientRects()].filter((r) => r.width > 1 && r.height > 1) }));
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      const a = boxes[i], b = boxes[j];
      if (a.e.contains(b.e) || b.e.contains(a.e)) continue;
      if (a.e.tagName === "LABEL" || b.e.tagName === "LABEL") continue;
      const hit = a.rects.some((p) => b.rects.some((q) =>
        Math.min(p.right, q.right) - Math.max(p.left, q.left) > 2 && Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 2));
      if (hit) problems.push(`${describe(a.e)} overlaps ${describe(b.e)}`);
    }
  }
  return problems;
}"""


@pytest.fixture
def busy(world, make_user, join, make_clause, app):
    """The world with 40 members, long names, long paragraphs and three open suggestions on one clause."""
    world.chair.name = "Professor " + LONG
    for n in range(40):
        user = make_user(name=f"{LONG} {n + 1}" if n % 5 == 0 else f"Expert Number {n + 1} of the Group",
                         organisation="United Nations Human Settlements Programme (UN-Habitat), Nairobi")
        join(world.meeting, user, "expert")
    for n in range(6):
        make_clause(world.document, world.expert, "Encourages local and regional governments to adopt "
                    f"open standards for urban data platforms, interoperable across departments ({n + 1}), "
                    "and to publish what they collect under an open licence;")
    world.document.phase = "amendments"
    commit()
    base = world.op.head_revision_id
    for user, text in [(world.expert, "Recommends that cities publish open budgets;"),
                       (world.expert2, "Recommends that cities publish open statistics every year;"),
                       (world.rapporteur, "Recommends that all cities publish open data promptly;")]:
        amendments.propose(user, world.op, base, text, "So that residents can follow how money is spent.")
    commit()
    return world


def pages(w):
    d, c = w.document.id, w.op.id
    return {
        "meetings": "/", "meeting": f"/meetings/{w.meeting.id}", "document": f"/documents/{d}",
        "clause": f"/clauses/{c}", "history": f"/clauses/{c}/history", "activity": f"/documents/{d}/activity",
        "dashboard": f"/documents/{d}/dashboard", "versions": f"/documents/{d}/versions",
        "procedure": f"/documents/{d}/procedure", "outcome": f"/documents/{d}/outcome",
        "consolidate": f"/clauses/{c}/consolidate", "account": "/account", "notifications": "/notifications",
    }


@pytest.mark.parametrize("width,height", SIZES, ids=["desktop", "phone"])
def test_every_main_page_holds_its_layout(busy, person, width, height, chromium, server):
    found = {}
    for who in (busy.chair, busy.rapporteur):
        someone = person(who, width=width)
        someone.page.set_viewport_size({"width": width, "height": height})
        for name, path in pages(busy).items():
            response = someone.page.goto(someone.server.url + path)
            if response.status >= 400:
                continue  # a page this role may not open (the consolidation tools outside consolidation)
            someone.page.wait_for_load_state("networkidle")
            problems = someone.page.evaluate(PROBLEMS)
            if problems:
                found[f"{who.name[:20]} {name}"] = problems[:8]
            if who is busy.chair:
                someone.shoot(f"layout-{name}-{width}")
        assert someone.errors == []
    assert found == {}
