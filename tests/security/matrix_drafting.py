"""Authorization matrix entries for drafting aids: the drafting checks and the meeting's terminology list."""
from tests.security.matrix_world import API, Route

ROUTES = {
    # Advice on a text saves nothing and refuses nothing: whoever may read the clause may ask.
    ("live.drafting_checks", "POST"): Route(
        lambda w: f"{API}/clauses/{w.op.id}/checks", "observer",
        body=lambda w: {"text": "Recommends that cities publish open data;"}),
    ("meetings.terminology", "POST"): Route(
        lambda w: f"/meetings/{w.meeting.id}/terminology", "chair",
        body=lambda w: {"terminology": "Habitat III = Habitat 3"}),
}
