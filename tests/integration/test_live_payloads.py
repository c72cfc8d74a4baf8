"""What events carry so that open pages update in place without asking the server again."""
import pytest

from drafting.boundary import commit
from drafting.extensions import db
from drafting.models import Event
from drafting.services import comments, consolidation, documents, versions


def last(document, type_):
    return db.session.execute(
        db.select(Event).filter_by(document_id=document.id, type=type_).order_by(Event.seq.desc()).limit(1)
    ).scalar_one().payload


def shown(document):
    """The numbering as the document page draws it: [(section_id, [(clause_id, number), …])]."""
    return [(row.section.id, [(r.clause.id, r.number) for r in row.clauses]) for row in documents.outline(document)]


def carried(numbering):
    """The same, as an event's numbering says it."""
    return [(section_id, [(cid, numbering["numbers"].get(str(cid), "")) for cid in ids])
            for section_id, ids in numbering["order"]]


@pytest.fixture
def consolidating(world, make_clause, advance):
    world.op2 = make_clause(world.document, world.expert, "Encourages open standards;")
    world.op3 = make_clause(world.document, world.expert, "Invites cities to share what works.")
    advance(world.document, world.chair, "consolidation")
    return world


def test_a_move_carries_the_new_order_and_numbers(consolidating):
    w = consolidating
    consolidation.move(w.rapporteur, w.op3, direction="up")
    commit()
    numbering = last(w.document, "clause.moved")["numbering"]
    assert carried(numbering) == shown(w.document)
    assert numbering["order"][-1] == [w.document.sections[-1].id, [w.op.id, w.op3.id, w.op2.id]]
    assert numbering["numbers"] == {str(w.op.id): "1", str(w.op3.id): "2", str(w.op2.id): "3"}
    assert numbering["alt"] == {}


def test_a_split_announces_the_new_clause_in_its_place_with_bis(consolidating):
    w = consolidating
    versions.snapshot(w.rapporteur, w.document, "Rev.1")
    new = consolidation.split(w.rapporteur, w.op, w.op.head_revision_id, before="publish")
    commit()
    created = last(w.document, "clause.created")
    assert created["clause_id"] == new.id and created["position"] == 2  # not parked at the end first
    assert carried(created["numbering"]) == shown(w.document)
    numbering = last(w.document, "clause.split")["numbering"]
    assert numbering["order"][-1][1] == [w.op.id, new.id, w.op2.id, w.op3.id]
    assert numbering["numbers"][str(new.id)] == "1 bis" and numbering["numbers"][str(w.op2.id)] == "2"

    consolidation.renumber(w.chair, w.document)
    commit()
    renumbered = last(w.document, "document.renumbered")
    assert renumbered["changes"] == {str(new.id): ["1 bis", "2"], str(w.op2.id): ["2", "3"], str(w.op3.id): ["3", "4"]}
    assert renumbered["numbering"]["numbers"][str(w.op3.id)] == "4"


def test_merged_and_withdrawn_clauses_lose_their_numbers_and_alternatives_are_labelled(consolidating):
    w = consolidating
    merged = consolidation.merge(w.rapporteur, w.document, [w.op.id, w.op2.id])
    commit()
    numbering = last(w.document, "clause.merged")["numbering"]
    assert numbering["numbers"] == {str(merged.id): "1", str(w.op3.id): "2"}
    alternative = consolidation.add_alternative(w.rapporteur, w.op3, "Invites cities to share.")
    commit()
    assert last(w.document, "clause.alternative_added")["numbering"]["alt"] == {str(w.op3.id): 1, str(alternative.id): 2}
    consolidation.choose_alternative(w.rapporteur, alternative)
    commit()
    numbering = last(w.document, "clause.alternative_chosen")["numbering"]
    assert numbering["alt"] == {} and numbering["numbers"] == {str(merged.id): "1", str(alternative.id): "2"}
    assert carried(numbering) == shown(w.document)


def test_a_clause_added_at_the_end_carries_no_numbering_one_added_before_others_does(world, make_clause):
    operative = world.document.sections[-1]
    added = make_clause(world.document, world.expert, "Urges cities to act;")
    assert "numbering" not in last(world.document, "clause.created")  # no other number changed
    annex = documents.add_section(world.chair, world.document, "Annex")
    commit()
    indicator = make_clause(world.document, world.expert, "Recommends an indicator;", section=annex)
    make_clause(world.document, world.expert, "Calls upon cities to act;", section=operative)
    numbering = last(world.document, "clause.created")["numbering"]
    assert numbering["numbers"][str(indicator.id)] == "4"
    assert numbering["numbers"][str(added.id)] == "2"
    assert carried(numbering) == shown(world.document)


def test_comment_events_carry_the_clauses_open_threads(world):
    first = comments.post(world.expert, world.op, "Which data?")
    commit()
    assert last(world.document, "comment.posted")["open_threads"] == 1
    comments.post(world.expert2, world.op, "Open data, surely.", parent_id=first.id)
    commit()
    assert last(world.document, "comment.posted")["open_threads"] == 1  # a reply is not a thread
    comments.set_resolved(world.chair, first, True)
    commit()
    assert last(world.document, "comment.resolved")["open_threads"] == 0
