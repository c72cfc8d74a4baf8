"""Pure phase rules: which transitions the chair may make, what each role may do, silence deadlines."""
from datetime import datetime, timedelta

import pytest

from drafting.domain import procedure
from drafting.domain.errors import ValidationError

ORDER = ["drafting", "amendments", "consolidation", "final_reading", "adopted", "published"]


@pytest.mark.parametrize("current, target", list(zip(ORDER, ORDER[1:])))
def test_forward_one_step_is_allowed(current, target):
    assert procedure.transition_refusal(current, target, silence_over=True) is None


@pytest.mark.parametrize("current, target", [("drafting", "consolidation"), ("drafting", "adopted"),
                                             ("amendments", "final_reading"), ("drafting", "published"),
                                             ("consolidation", "published")])
def test_skipping_ahead_is_refused_with_the_next_phase_named(current, target):
    refusal = procedure.transition_refusal(current, target)
    assert "one phase at a time" in refusal


def test_adoption_in_session_skips_the_silence_procedure():
    assert procedure.transition_refusal("consolidation", "adopted") is None


def test_silence_ends_in_adoption_only_at_the_deadline():
    assert "deadline" in procedure.transition_refusal("final_reading", "adopted", silence_over=False)
    assert procedure.transition_refusal("final_reading", "adopted", silence_over=True) is None


@pytest.mark.parametrize("current", ["amendments", "consolidation", "final_reading"])
def test_stepping_back_is_allowed_before_adoption(current):
    assert procedure.transition_refusal(current, "drafting") is None


@pytest.mark.parametrize("current", ["adopted", "published"])
def test_adopted_text_is_not_reopened(current):
    assert "cannot be reopened" in procedure.transition_refusal(current, "consolidation")
    assert procedure.transition_refusal("published", "adopted") is None


@pytest.mark.parametrize("value, hours", [(None, 72), ("", 72), (1, 1), ("48", 48), (720, 720)])
def test_silence_hours(value, hours):
    assert procedure.silence_hours(value) == hours


@pytest.mark.parametrize("value", [0, 721, -1, "2.5", 2.5, True, "three days"])
def test_bad_silence_hours(value):
    with pytest.raises(ValidationError):
        procedure.silence_hours(value)


def test_silence_over_at_the_deadline_exactly():
    deadline = datetime(2016, 7, 24, 9)
    assert not procedure.silence_over("final_reading", deadline, deadline - timedelta(seconds=1))
    assert procedure.silence_over("final_reading", deadline, deadline)
    assert not procedure.silence_over("consolidation", deadline, deadline + timedelta(days=1))
    assert not procedure.silence_over("final_reading", None, deadline)


MATRIX = {
    # phase: (propose amendment, deliberate, consolidate, object, reserve) for an expert / a rapporteur
    "drafting": ((True, True, False, False, False), (True, True, False, False, False)),
    "amendments": ((True, True, False, False, False), (True, True, False, False, False)),
    "consolidation": ((False, True, False, False, False), (False, True, True, False, False)),
    "final_reading": ((False, False, False, True, False), (False, False, False, True, False)),
    "adopted": ((False, False, False, False, True), (False, False, False, False, True)),
    "published": ((False, False, False, False, True), (False, False, False, False, True)),
}
RULES = [procedure.may_propose_amendment, procedure.may_deliberate, procedure.may_consolidate,
         procedure.may_object, procedure.may_reserve]


@pytest.mark.parametrize("phase", ORDER)
def test_phase_by_role(phase):
    expert, rapporteur = MATRIX[phase]
    assert tuple(rule(phase, "expert") for rule in RULES) == expert
    assert tuple(rule(phase, "rapporteur") for rule in RULES) == rapporteur
    assert tuple(rule(phase, "chair") for rule in RULES) == rapporteur
    assert not any(rule(phase, "observer") for rule in RULES)
    assert not any(rule(phase, None) for rule in RULES)


@pytest.mark.parametrize("phase", ORDER)
@pytest.mark.parametrize("role", ["chair", "rapporteur", "expert", "observer", None])
def test_the_adoption_checklist_is_the_chairs_in_consolidation(phase, role):
    assert procedure.may_see_chair_checklist(phase, role) == (phase == "consolidation" and role == "chair")
