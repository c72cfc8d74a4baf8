"""One error policy: a refused form comes back with what was typed and the error's status, nothing
of the refused request is stored, access errors get their status page, and the API answers JSON."""
from drafting.extensions import db
from drafting.models import ClauseRevision, Document, Section


def _revisions(clause):
    return db.session.execute(db.select(db.func.count(ClauseRevision.id))
                              .filter_by(clause_id=clause.id)).scalar_one()


def test_a_refused_edit_comes_back_with_the_text_typed_and_stores_nothing(client, login, world):
    login(world.expert)
    before = _revisions(world.op)
    typed = "Recommends that cities publish " + "open data " * 2_100  # over the length limit
    response = client.post(f"/clauses/{world.op.id}/edit", data={
        "base_revision_id": world.op.head_revision_id, "text": typed})
    assert response.status_code == 413
    assert "open data open data" in response.get_data(as_text=True)
    db.session.expire_all()
    assert _revisions(world.op) == before


def test_a_refused_document_form_keeps_what_was_typed_and_stores_nothing(client, login, world):
    """A document with a bad second section title: no document, no section is kept."""
    login(world.chair)
    sections = db.session.execute(db.select(db.func.count(Section.id))).scalar_one()
    response = client.post(f"/meetings/{world.meeting.id}/documents", data={
        "title": "Second outcome", "sections": "Preamble\n" + "x" * 5_000})
    assert response.status_code == 422 and "Section title" in response.get_data(as_text=True)
    assert "Second outcome" in response.get_data(as_text=True)  # the form keeps what was typed
    db.session.expire_all()
    assert db.session.execute(db.select(db.func.count(Section.id))).scalar_one() == sections
    assert db.session.execute(db.select(Document).filter_by(title="Second outcome")).first() is None


def test_a_form_the_person_may_not_use_gets_the_status_page_not_the_form(client, login, world):
    login(world.observer)
    response = client.post(f"/documents/{world.document.id}/sections", data={"title": "Annex"})
    assert response.status_code == 403
    assert 'name="title"' not in response.get_data(as_text=True)


def test_the_api_answers_every_refusal_as_json(api, world):
    response = api(world.expert).post(f"/clauses/{world.op.id}/revisions", json={
        "base_revision_id": world.op.head_revision_id, "text": ""})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid"
    assert api(world.observer).put(f"/clauses/{world.op.id}/vote", json={"position": "agree"}
                                   ).get_json()["error"]["code"] == "forbidden"


def test_a_successful_form_is_stored_without_the_handler_committing(client, login, world):
    login(world.chair)
    response = client.post(f"/documents/{world.document.id}/sections", data={"title": "Annex"})
    assert response.status_code == 302
    db.session.rollback()  # what was not committed would be gone now
    assert db.session.execute(db.select(Section).filter_by(title="Annex")).scalar_one() is not None
