"""The provenance annex as plain rows, shared by the DOCX table and the Akoma Ntoso notes."""

ANNEX_HEADINGS = ["Paragraph", "Authors", "Amendments incorporated", "Final tally and declarations",
                  "Reservations"]


def tally_text(tally):
    return ", ".join(f"{count} {position}" for position, count in tally.items() if count) or "no votes"


def annex_rows(outcome):
    """One row of five texts per paragraph."""
    rows = []
    for paragraph in outcome.paragraphs:
        p = paragraph.provenance
        label = paragraph.annex_label
        authors = "; ".join(", ".join(x for x in person if x) for person in p.authors) or "—"
        amendments = "; ".join(f"Amendment {i} by {who} ({status.lower()})" for i, who, status in p.amendments) or "—"
        declarations = "; ".join(f"{status} on {when:%d %B %Y} by {by}" for status, when, by, _t in p.declarations)
        tally = "Tally on the final text: " + tally_text(p.tally) + (f". {declarations}" if declarations else "")
        reservations = "; ".join(f"{kind} by {who}: {text}" for who, kind, text in p.reservations) or "—"
        rows.append([label, authors, amendments, tally, reservations])
    for gone in outcome.withdrawn:
        when = f" on {gone.at:%d %B %Y}" if gone.at else ""
        rows.append([f"Withdrawn: {gone.text[:70]}", gone.by or "—", "—",
                     f"Withdrawn{when}{' by ' + gone.by if gone.by else ''}: {gone.reason or 'no reason given'}", "—"])
    return rows

