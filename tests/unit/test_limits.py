import pytest

from drafting.domain import limits
from drafting.domain.errors import TooLarge, ValidationError
from drafting.domain.procedure import may_edit_text
from drafting.domain.vocabulary import Phase, Role


def test_text_is_stripped_and_required():
    assert limits.text("  hello \r\n", "Title", 10) == "hello"
    with pytest.raises(ValidationError, match="Title must not be empty"):
        limits.text("   ", "Title", 10)


@pytest.mark.parametrize("value", [None, 5, ["a"], {"a": 1}])
def test_text_refuses_what_is_not_text(value):
    if value is None:
        with pytest.raises(ValidationError, match="must not be empty"):
            limits.text(value, "Title", 10)
    else:
        with pytest.raises(ValidationError, match="must be text"):
            limits.text(value, "Title", 10)


def test_text_names_the_limit_when_too_long():
    with pytest.raises(ValidationError, match="11 characters long; the limit is 10"):
        limits.text("x" * 11, "Title", 10)
    with pytest.raises(TooLarge):
        limits.text("x" * 11, "Clause text", 10, too_large=True)


@pytest.mark.parametrize("value", ["a\x00b", "bell\x07", "lone \ud800 surrogate"])
def test_control_characters_and_lone_surrogates_are_refused(value):
    with pytest.raises(ValidationError, match="control characters"):
        limits.text(value, "Name", 100)


@pytest.mark.parametrize("value,ok", [(0, True), (0.5, True), (1, True), (1.5, False), (-0.1, False),
                                      (True, False), ("0.5", False)])
def test_shares_are_numbers_from_zero_to_one(value, ok):
    if ok:
        assert limits.share(value, "quorum") == float(value)
    else:
        with pytest.raises(ValidationError):
            limits.share(value, "quorum")


@pytest.mark.parametrize("phase,role,allowed", [
    (Phase.DRAFTING, Role.EXPERT, True), (Phase.DRAFTING, Role.OBSERVER, False),
    (Phase.AMENDMENTS, Role.EXPERT, False), (Phase.AMENDMENTS, Role.CHAIR, False),
    (Phase.CONSOLIDATION, Role.EXPERT, False), (Phase.CONSOLIDATION, Role.RAPPORTEUR, True),
    (Phase.FINAL_READING, Role.CHAIR, False), (Phase.ADOPTED, Role.CHAIR, False),
    (Phase.PUBLISHED, Role.CHAIR, False), (Phase.DRAFTING, None, False),
])
def test_who_may_edit_text_in_each_phase(phase, role, allowed):
    assert may_edit_text(phase, role) is allowed
