"""Naming the paragraph an event concerned as it was numbered then, from the log alone."""
from drafting.domain.activity import NumberingReplay, kind_of


def numbering(order, numbers):
    return {"numbering": {"order": order, "numbers": {str(k): v for k, v in numbers.items()}, "alt": {}}}


def test_clauses_added_at_the_end_take_the_next_number_and_late_ones_bis():
    replay = NumberingReplay({1: "PP", 2: "OP", 3: "OP", 4: "OP", 5: "PP"}, late={4: True})
    assert replay.see("clause.created", {"clause_id": 1, "section_id": 10}) == "preambular paragraph 1"
    assert replay.see("clause.created", {"clause_id": 2, "section_id": 20}) == "paragraph 1"
    assert replay.see("clause.created", {"clause_id": 3, "section_id": 20}) == "paragraph 2"
    assert replay.see("vote.cast", {"clause_id": 2}) == "paragraph 1"
    assert replay.see("clause.created", {"clause_id": 4, "section_id": 20}) == "paragraph 2 bis"
    # a preambular paragraph added before the operative part comes with the new order
    assert replay.see("clause.created", {"clause_id": 5, "section_id": 10, **numbering(
        [[10, [5, 1]], [20, [2, 3, 4]]], {2: "1", 3: "2", 4: "2 bis"})}) == "preambular paragraph 1"
    assert replay.name(1) == "preambular paragraph 2"
    assert replay.see("clause.moved", {"clause_id": 3, **numbering([[10, [5, 1]], [20, [3, 2, 4]]],
                                                                  {3: "1", 2: "2", 4: "2 bis"})}) == "paragraph 2"
    assert replay.see("comment.posted", {"clause_id": 2}) == "paragraph 2"
    assert replay.see("document.phase", {"to": "amendments"}) is None


def test_kinds_of_change():
    assert kind_of("vote.cast") == kind_of("votes.stale") == "votes"
    assert kind_of("clause.revised") == "text"
    assert kind_of("document.renumbered") == "structure"
    assert kind_of("document.phase") == "procedure"
    assert kind_of("amendment.accepted") == "amendments"
