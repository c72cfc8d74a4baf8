"""Change tracking: concurrent saves merge or conflict, track changes, authorship, versions, compare."""
import pytest

from drafting.boundary import commit
from drafting.extensions import db
from drafting.models import ClauseRevision, Version
from drafting.services import clauses, documents

OP = "Recommends that cities publish annual reports on open data and urban mobility;"

READERS = ["observer", "expert", "rapporteur", "chair", "admin"]
STRANGERS = ["outsider", "other_chair"]


@pytest.fixture
def op(world):
    """The operative clause with a first text long enough to edit in two places."""
    clauses.save_edit(world.expert, world.op, world.op.head_revision_id, OP)
    commit()
    return world.op


def _revision_count(clause):
    return len(clauses.revisions(clause))


# --- saving against an older revision ----------------------------------------------------------


def test_two_experts_changing_different_words_are_merged_and_the_revision_says_so(world, api, op):
    base = op.head_revision_id
    first = api(world.expert).post(f"/clauses/{op.id}/revisions", json={
        "base_revision_id": base, "text": OP.replace("annual", "biennial")})
    assert first.status_code == 201
    second = api(world.expert2).post(f"/clauses/{op.id}/revisions", json={
        "base_revision_id": base, "text": OP.replace("urban mobility", "public transport"),
        "rationale": "Clearer"})
    assert second.status_code == 201
    merged = second.get_json()
    assert merged["text"] == "Recommends that cities publish biennial reports on open data and public transport;"
    assert merged["merged_from_id"] == base
    assert merged["parent_id"] == first.get_json()["id"]
    assert merged["author"]["name"] == "Expert Two"
    clause = api(world.observer).get(f"/clauses/{op.id}").get_json()
    assert clause["text"] == merged["text"]


def test_overlapping_changes_answer_409_with_everything_needed_and_save_nothing(world, api, op):
    base = op.head_revision_id
    api(world.expert).post(f"/clauses/{op.id}/revisions", json={
        "base_revision_id": base, "text": OP.replace("annual", "biennial").replace("cities", "all cities")})
    count = _revision_count(op)
    response = api(world.expert2).post(f"/clauses/{op.id}/revisions", json={
        "base_revision_id": base, "text": OP.replace("annual", "triennial")})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "conflict"
    assert error["base"]["text"] == OP
    assert error["theirs"]["text"] == OP.replace("annual", "biennial").replace("cities", "all cities")
    assert error["mine"]["text"] == OP.replace("annual", "triennial")
    assert error["proposed"]["text"] == ("Recommends that all cities publish [[theirs: biennial || mine: triennial]] "
                                         "reports on open data and urban mobility;")
    assert _revision_count(op) == count


def test_saving_the_proposed_text_with_marks_left_in_is_refused(world, api, op):
    response = api(world.expert).post(f"/clauses/{op.id}/revisions", json={
        "base_revision_id": op.head_revision_id, "text": "Recommends [[theirs: a || mine: b]] things;"})
    assert response.status_code == 422
    assert "marked conflict" in response.get_json()["error"]["message"]


def test_bad_bases_and_sizes_get_clear_answers(world, api, op):
    expert = api(world.expert)
    unknown = expert.post(f"/clauses/{op.id}/revisions", json={"base_revision_id": 99999, "text": "x"})
    assert unknown.status_code == 422 and "99999" in unknown.get_json()["error"]["message"]
    foreign = expert.post(f"/clauses/{op.id}/revisions", json={
        "base_revision_id": world.other_clause.head_revision_id, "text": "x"})
    assert foreign.status_code == 422 and "not a revision of this clause" in foreign.get_json()["error"]["message"]
    garbage = expert.post(f"/clauses/{op.id}/revisions", json={"base_revision_id": "first", "text": "x"})
    assert garbage.status_code == 422
    same = expert.post(f"/clauses/{op.id}/revisions", json={"base_revision_id": op.head_revision_id, "text": OP})
    assert same.status_code == 200 and same.get_json()["id"] == op.head_revision_id
    large = expert.post(f"/clauses/{op.id}/revisions", json={
        "base_revision_id": op.head_revision_id, "text": "a" * 20_001})
    assert large.status_code == 413 and "20,000" in large.get_json()["error"]["message"]
    assert _revision_count(op) == 2


def test_a_base_that_is_not_an_ancestor_of_the_head_is_a_409(world, api, op):
    stray = ClauseRevision(clause_id=op.id, parent_id=None, number=50, text="A stray branch;", html="")
    db.session.add(stray)
    db.session.commit()
    response = api(world.expert).post(f"/clauses/{op.id}/revisions", json={
        "base_revision_id": stray.id, "text": "A stray branch, edited;"})
    assert response.status_code == 409
    assert "not an earlier state" in response.get_json()["error"]["message"]


def test_an_edit_that_merges_to_the_current_text_creates_no_revision(world, api, op):
    base = op.head_revision_id
    changed = OP.replace("annual", "biennial")
    api(world.expert).post(f"/clauses/{op.id}/revisions", json={"base_revision_id": base, "text": changed})
    count = _revision_count(op)
    again = api(world.expert2).post(f"/clauses/{op.id}/revisions", json={"base_revision_id": base, "text": changed})
    assert again.status_code == 200
    assert _revision_count(op) == count


def test_merge_and_append_merges_for_other_paths_and_keeps_their_credit(world, op):
    base = op.head
    clauses.save_edit(world.expert2, op, base.id, OP.replace("annual", "biennial"))
    commit()
    revision = clauses.merge_and_append(world.rapporteur, op, base, OP.replace("open data", "open public data"),
                                        "Compromise", accepted_by_id=world.rapporteur.id)
    commit()
    assert revision.text == "Recommends that cities publish biennial reports on open public data and urban mobility;"
    assert revision.merged_from_id == base.id and revision.accepted_by_id == world.rapporteur.id


# --- track changes and authorship over the API ---------------------------------------------------


def test_diff_between_two_revisions_lists_inserted_and_deleted_words(world, api, op):
    first = op.head_revision_id
    api(world.expert2).post(f"/clauses/{op.id}/revisions", json={
        "base_revision_id": first, "text": OP.replace("annual", "biennial")})
    body = api(world.observer).get(f"/clauses/{op.id}/diff?from={first}&to={op.head_revision_id}").get_json()
    changed = [(s["op"], s["text"]) for s in body["spans"] if s["op"] != "equal"]
    assert changed == [("delete", "annual"), ("insert", "biennial")]
    assert body["unchanged"] is False
    latest = api(world.observer).get(f"/clauses/{op.id}/diff").get_json()
    assert latest["from"]["id"] == first and latest["to"]["id"] == op.head_revision_id


def test_diff_refuses_revisions_of_other_clauses(world, api, op):
    response = api(world.expert).get(f"/clauses/{op.id}/diff?from={world.other_clause.head_revision_id}")
    assert response.status_code == 422
    assert api(world.expert).get(f"/clauses/{op.id}/diff?to=abc").status_code == 422
    assert api(world.expert).get("/clauses/99999/diff").status_code == 404


def test_authorship_names_who_wrote_each_part(world, api, op):
    api(world.expert2).post(f"/clauses/{op.id}/revisions", json={
        "base_revision_id": op.head_revision_id, "text": OP.replace("annual", "biennial")})
    body = api(world.observer).get(f"/clauses/{op.id}/authorship").get_json()
    by_text = {s["text"]: s["author"]["name"] for s in body["spans"]}
    assert by_text["biennial"] == "Expert Two"
    assert "".join(s["text"] for s in body["spans"]) == OP.replace("annual", "biennial")
    assert [a["name"] for a in body["authors"]] == ["Expert One", "Expert Two"]


@pytest.mark.parametrize("role", ["anonymous"] + STRANGERS + READERS)
def test_who_may_read_diffs_and_authorship(world, api, op, role):
    client = api(world.users[role])
    for path in (f"/clauses/{op.id}/diff", f"/clauses/{op.id}/authorship", f"/documents/{world.document.id}/versions"):
        status = client.get(path).status_code
        assert status == {"anonymous": 401, "outsider": 403, "other_chair": 403}.get(role, 200), path


# --- versions and compare over the API -----------------------------------------------------------


@pytest.mark.parametrize("role,status", [("anonymous", 401), ("outsider", 403), ("other_chair", 403),
                                         ("observer", 403), ("expert", 403), ("rapporteur", 201),
                                         ("chair", 201), ("admin", 201)])
def test_who_may_snapshot_a_version(world, api, role, status):
    response = api(world.users[role]).post(f"/documents/{world.document.id}/versions", json={"label": "Zero draft"})
    assert response.status_code == status
    if status == 201:
        assert response.get_json()["label"] == "Zero draft" and response.get_json()["clauses"] == 2


def test_version_labels_are_checked(world, api):
    rapporteur = api(world.rapporteur)
    path = f"/documents/{world.document.id}/versions"
    assert rapporteur.post(path, json={"label": "Rev.1"}).status_code == 201
    duplicate = rapporteur.post(path, json={"label": "Rev.1"})
    assert duplicate.status_code == 409 and "already a version" in duplicate.get_json()["error"]["message"]
    assert rapporteur.post(path, json={"label": "  "}).status_code == 422
    assert rapporteur.post(path, json={"label": "x" * 101}).status_code == 422
    assert rapporteur.post(path, json=["Rev.2"]).status_code == 422
    assert [v["label"] for v in api(world.observer).get(path).get_json()["versions"]] == ["Rev.1"]


def test_compare_two_versions_shows_changed_and_added_clauses(world, api, make_clause, op):
    rapporteur = api(world.rapporteur)
    path = f"/documents/{world.document.id}/versions"
    zero = rapporteur.post(path, json={"label": "Zero draft"}).get_json()["id"]
    api(world.expert).post(f"/clauses/{op.id}/revisions", json={
        "base_revision_id": op.head_revision_id, "text": OP.replace("annual", "biennial")})
    added = make_clause(world.document, world.expert, "Encourages open standards;")
    rev1 = rapporteur.post(path, json={"label": "Rev.1"}).get_json()["id"]
    body = api(world.observer).get(f"/documents/{world.document.id}/compare?from={zero}&to={rev1}").get_json()
    rows = {r["clause_id"]: r for r in body["clauses"]}
    assert body["from"]["label"] == "Zero draft" and body["to"]["label"] == "Rev.1"
    assert rows[op.id]["changes"] == ["changed"]
    assert ("insert", "biennial") in [(s["op"], s["text"]) for s in rows[op.id]["spans"]]
    assert rows[added.id]["changes"] == ["added"] and rows[added.id]["before"] is None
    assert rows[world.pp.id]["changes"] == []
    current = api(world.observer).get(f"/documents/{world.document.id}/compare?from={rev1}&to=current")
    assert current.status_code == 200 and all(not r["changes"] for r in current.get_json()["clauses"])


def test_compare_refuses_versions_of_other_documents_and_missing_references(world, api, make_document):
    other = api(world.other_chair).post(f"/documents/{world.other_document.id}/versions", json={"label": "Theirs"})
    path = f"/documents/{world.document.id}/compare"
    foreign = api(world.expert).get(f"{path}?from={other.get_json()['id']}&to=current")
    assert foreign.status_code == 422 and "not a version of this document" in foreign.get_json()["error"]["message"]
    assert api(world.expert).get(f"{path}?to=current").status_code == 422
    assert api(world.expert).get(f"{path}?from=-1&to=current").status_code == 422
    assert api(world.outsider).get(f"{path}?from=current&to=current").status_code == 403


def test_the_openapi_document_describes_the_history_routes(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/clauses/{clause_id}/diff", "/documents/{document_id}/versions", "/documents/{document_id}/compare"):
        assert path in paths
    assert "post" in paths["/documents/{document_id}/versions"]


# --- pages ---------------------------------------------------------------------------------------


def _two_revisions(world, op):
    first = op.head_revision_id
    clauses.save_edit(world.expert2, op, first, OP.replace("annual", "biennial"), "Every two years")
    commit()
    return first


def test_history_page_marks_insertions_and_deletions_for_eyes_and_screen_readers(world, login, op):
    _two_revisions(world, op)
    page = login(world.observer).get(f"/clauses/{op.id}/history").get_data(as_text=True)
    assert '<del class="tc tc--del"><span class="visually-hidden">[deleted: </span>annual' in page
    assert '<ins class="tc tc--ins"><span class="visually-hidden">[inserted: </span>biennial' in page
    assert "Every two years" in page
    clean = login(world.observer).get(f"/clauses/{op.id}/history?view=clean").get_data(as_text=True)
    assert "<del" not in clean and "biennial" in clean


def test_history_page_steps_through_revisions(world, login, op):
    first = _two_revisions(world, op)
    page = login(world.expert).get(f"/clauses/{op.id}/history?rev={first}").get_data(as_text=True)
    assert "Revision 2 of 3" in page
    assert f'rev={op.head_revision_id}' in page and 'rel="next"' in page
    bad = login(world.expert).get(f"/clauses/{op.id}/history?rev={world.other_clause.head_revision_id}")
    assert bad.status_code == 422 and "not a revision of this clause" in bad.get_data(as_text=True)


def test_changes_page_compares_any_two_revisions(world, login, make_clause, op):
    first = _two_revisions(world, op)
    page = login(world.expert).get(f"/clauses/{op.id}/changes?from={first - 1}&to={op.head_revision_id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Revision 1 → revision 3" in text and "biennial" in text


def test_authors_page_has_a_legend_with_names_and_initials(world, login, op):
    _two_revisions(world, op)
    page = login(world.observer).get(f"/clauses/{op.id}/authors").get_data(as_text=True)
    assert "Expert One" in page and "Expert Two" in page
    assert '<span class="authored__who">ET</span>' in page
    assert "[Expert Two, revision 3:]" in page


def test_versions_page_offers_the_snapshot_form_only_to_rapporteurs_and_the_chair(world, login):
    path = f"/documents/{world.document.id}/versions"
    assert 'name="label"' not in login(world.expert).get(path).get_data(as_text=True)
    assert 'name="label"' in login(world.rapporteur).get(path).get_data(as_text=True)
    assert login(world.expert).post(path, data={"label": "Rev.1"}).status_code == 403
    response = login(world.rapporteur).post(path, data={"label": "Rev.1"})
    assert response.status_code == 302
    assert "Rev.1" in login(world.observer).get(path).get_data(as_text=True)
    again = login(world.rapporteur).post(path, data={"label": "Rev.1"})
    assert again.status_code == 409 and "already a version" in again.get_data(as_text=True)
    assert 'value="Rev.1"' in again.get_data(as_text=True)


def test_compare_page_shows_what_changed_between_versions(world, login, op):
    login(world.rapporteur).post(f"/documents/{world.document.id}/versions", data={"label": "Zero draft"})
    zero = db.session.execute(db.select(Version.id)).scalar_one()
    _two_revisions(world, op)
    page = login(world.observer).get(f"/documents/{world.document.id}/compare?from={zero}&to=current")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Zero draft → Current draft" in text
    assert '<span class="change change--changed">changed</span>' in text and "biennial" in text
    bad = login(world.observer).get(f"/documents/{world.document.id}/compare?from=99999&to=current")
    assert bad.status_code == 422 and "not a version of this document" in bad.get_data(as_text=True)


@pytest.mark.parametrize("role", ["anonymous"] + STRANGERS + READERS)
def test_who_may_open_the_history_pages(world, login, op, role):
    client = login(world.users[role])
    for path in (f"/clauses/{op.id}/history", f"/clauses/{op.id}/changes", f"/clauses/{op.id}/authors",
                 f"/documents/{world.document.id}/versions",
                 f"/documents/{world.document.id}/compare?from=current&to=current"):
        response = client.get(path)
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response.headers["Location"], path
        else:
            assert response.status_code == (403 if role in STRANGERS else 200), path


# --- the conflict view on the clause page --------------------------------------------------------


def _conflict(world, login, op):
    base = op.head_revision_id
    clauses.save_edit(world.expert2, op, base, OP.replace("annual", "biennial"))
    commit()
    return base, login(world.expert).post(f"/clauses/{op.id}/edit", data={
        "base_revision_id": base, "text": OP.replace("annual", "triennial").replace("mobility", "transport"),
        "rationale": "Three years"})


def test_a_conflicting_save_shows_theirs_mine_and_a_proposal_and_keeps_the_words(world, login, op):
    _, response = _conflict(world, login, op)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone saved this clause while you were editing" in page
    assert "[[theirs: biennial || mine: triennial]] reports on open data and urban transport;" in page
    assert OP.replace("annual", "triennial").replace("mobility", "transport") in page  # mine, kept
    assert 'value="Three years"' in page
    for choice in ("edited", "mine", "theirs"):
        assert f'name="choice" value="{choice}"' in page


def test_resolving_with_my_version_saves_it_on_top_of_theirs(world, login, op):
    _, response = _conflict(world, login, op)
    head = op.head_revision_id
    mine = OP.replace("annual", "triennial").replace("mobility", "transport")
    saved = login(world.expert).post(f"/clauses/{op.id}/resolve", data={
        "choice": "mine", "mine_text": mine, "text": "ignored", "base_revision_id": head})
    assert saved.status_code == 302
    db.session.expire_all()
    assert op.head.text == mine and op.head.parent_id == head


def test_resolving_with_marks_left_in_is_refused_and_the_text_kept(world, login, op):
    _, response = _conflict(world, login, op)
    edited = "Recommends that cities publish [[theirs: biennial || mine: triennial]] reports, edited;"
    again = login(world.expert).post(f"/clauses/{op.id}/resolve", data={
        "choice": "edited", "text": edited, "mine_text": "mine", "base_revision_id": op.head_revision_id})
    assert again.status_code == 422
    page = again.get_data(as_text=True)
    assert "marked conflict" in page and "reports, edited;" in page


def test_resolving_with_an_edited_text_saves_it_and_keeping_theirs_saves_nothing(world, login, op):
    _conflict(world, login, op)
    count = _revision_count(op)
    kept = login(world.expert).post(f"/clauses/{op.id}/resolve", data={
        "choice": "theirs", "text": "x", "mine_text": "My words, set aside;", "base_revision_id": op.head_revision_id})
    assert kept.status_code == 200 and _revision_count(op) == count
    page = kept.get_data(as_text=True)
    assert "nothing new was saved" in page and "My words, set aside;" in page  # a wrong click loses nothing
    saved = login(world.expert).post(f"/clauses/{op.id}/resolve", data={
        "choice": "edited", "text": OP.replace("annual", "biennial or triennial"), "mine_text": "y",
        "base_revision_id": op.head_revision_id})
    assert saved.status_code == 302
    db.session.expire_all()
    assert "biennial or triennial" in op.head.text


@pytest.mark.parametrize("role,status", [("outsider", 403), ("observer", 403), ("other_chair", 403)])
def test_only_editors_may_resolve(world, login, op, role, status):
    response = login(world.users[role]).post(f"/clauses/{op.id}/resolve", data={
        "choice": "edited", "text": "New text;", "base_revision_id": op.head_revision_id})
    assert response.status_code == status


def test_anonymous_resolve_is_sent_to_sign_in(client, world, op):
    response = client.post(f"/clauses/{op.id}/resolve", data={"choice": "edited", "text": "New;",
                                                               "base_revision_id": op.head_revision_id})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_document_page_links_to_versions(world, login):
    page = login(world.observer).get(f"/documents/{world.document.id}").get_data(as_text=True)
    assert f"/documents/{world.document.id}/versions" in page


def test_outline_numbers_are_recorded_in_a_version(world, login):
    login(world.chair).post(f"/documents/{world.document.id}/versions", data={"label": "Zero draft"})
    version = db.session.execute(db.select(Version)).scalar_one()
    numbers = {e.clause_id: e.number for e in version.entries}
    row = next(r for s in documents.outline(world.document) for r in s.clauses if r.clause.id == world.op.id)
    assert numbers[world.op.id] == row.number == "1"
