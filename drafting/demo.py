"""The demo meeting: an expert group drafting recommendations on smart sustainable cities."""
from werkzeug.security import generate_password_hash

from drafting.extensions import db
from drafting.models import Document, Meeting, Membership, User
from drafting.services import clauses as clauses_service
from drafting.services import comments, declarations, documents, meetings, versions, votes

PASSWORD = "drafting-demo"
TITLE = "Driving Smart Sustainable Cities Worldwide"

# email, name, organisation, stakeholder group, role
PEOPLE = [
    ("admin@example.org", "Site Administrator", "Drafting Room", "un_system", None),
    ("chair@example.org", "Amina Diallo", "UNECE Committee on Housing and Land Management", "un_system", "chair"),
    ("rapporteur@example.org", "Tomás Ferreira", "ITU Telecommunication Standardization Bureau", "un_system", "rapporteur"),
    ("rapporteur2@example.org", "Mei Lin Chua", "UN-Habitat Urban Planning and Design Branch", "un_system", "rapporteur"),
    ("expert@example.org", "Jonas Lindqvist", "City of Umeå", "local_government", "expert"),
    ("expert2@example.org", "Priya Raman", "Indian Institute for Human Settlements", "academia", "expert"),
    ("expert3@example.org", "Kwame Asante", "Ministry of Local Government, Ghana", "national_government", "expert"),
    ("expert4@example.org", "Sofia Morales", "Red de Ciudades Inteligentes", "civil_society", "expert"),
    ("observer@example.org", "Daniel Weber", "Observer, Geneva Cities Hub", "civil_society", "observer"),
]

_ORGANISATIONS = [
    ("Ministry of Housing and Urban Affairs", "national_government"),
    ("Federal Office for Spatial Development", "national_government"),
    ("Ministry of Digital Development", "national_government"),
    ("Metropolitan Council of Bogotá", "local_government"),
    ("United Cities and Local Governments", "local_government"),
    ("Association of Finnish Municipalities", "local_government"),
    ("City of Dubai Smart Office", "local_government"),
    ("European Commission Joint Research Centre", "regional_body"),
    ("Economic Commission for Africa", "regional_body"),
    ("Asian Development Bank Urban Unit", "regional_body"),
    ("Delft University of Technology", "academia"),
    ("University of Nairobi Centre for Urban Research", "academia"),
    ("Universidad de São Paulo", "academia"),
    ("Singapore Centre for Liveable Cities", "academia"),
    ("Habitat International Coalition", "civil_society"),
    ("Slum Dwellers International", "civil_society"),
    ("World Blind Union Accessibility Desk", "civil_society"),
    ("Open Data Institute", "civil_society"),
    ("Global Infrastructure Consortium", "private_sector"),
    ("Urban Mobility Alliance", "private_sector"),
    ("Telecom Operators Forum", "private_sector"),
    ("World Meteorological Organization", "un_system"),
    ("UN Environment Programme", "un_system"),
    ("UNESCO Cities Programme", "un_system"),
]
_GIVEN = ["Ana", "Björn", "Chen", "Dalia", "Emeka", "Fatima", "Gustavo", "Hana", "Ivan", "Julia",
          "Kofi", "Leila", "Marco", "Nadia", "Oscar", "Paula", "Rashid", "Sara", "Tariq", "Ursula",
          "Vikram", "Wen", "Yara", "Zoran", "Aiko", "Bruno", "Camila", "Dmitri", "Elena", "Farid",
          "Grace", "Hugo", "Inés", "Jamal", "Kirsten", "Luis"]
_FAMILY = ["Okafor", "Nieminen", "Castillo", "Haddad", "Kowalski", "Tanaka", "Mensah", "Rossi",
           "Petrova", "Gómez", "Nakamura", "Abebe", "Schmidt", "Rahman", "Silva", "Novak"]

# Further experts, so that the demo has the forty experts such a meeting has.
for _i, _given in enumerate(_GIVEN):
    _organisation, _group = _ORGANISATIONS[_i % len(_ORGANISATIONS)]
    PEOPLE.append((f"expert{_i + 5}@example.org", f"{_given} {_FAMILY[_i % len(_FAMILY)]}",
                   _organisation, _group, "expert"))

ACCOUNTS = [(email, role or "site admin") for email, _n, _o, _g, role in PEOPLE[:9]] + [
    ("expert5@example.org … expert40@example.org", "expert")]

PREAMBLE = [
    ("Recalling the 2030 Agenda for Sustainable Development, and in particular Sustainable Development "
     "Goal 11 to make cities and human settlements inclusive, safe, resilient and sustainable,",
     "principle", ["11.3"]),
    ("Recognizing that more than half of humanity already lives in cities and that urban areas are "
     "expected to absorb nearly all population growth in the coming decades,",
     "principle", ["11.1", "11.3"]),
    ("Acknowledging the potential of information and communication technologies to improve the "
     "efficiency of urban services, the quality of life of residents and the transparency of local "
     "decision-making,",
     "principle", ["economy"]),
    ("Mindful that technology is a means and not an end, and that a city is smart only when it is "
     "also inclusive, sustainable and accountable to the people who live in it,",
     "principle", ["society_culture"]),
    ("Noting with appreciation the key performance indicators for smart sustainable cities developed "
     "through the United for Smart Sustainable Cities initiative,",
     "kpi", ["economy", "environment", "society_culture"]),
    ("Concerned that the digital divide between and within cities risks leaving behind women, older "
     "persons, persons with disabilities and residents of informal settlements,",
     "principle", ["11.1", "society_culture"]),
    ("Looking forward to the adoption of the New Urban Agenda at the United Nations Conference on "
     "Housing and Sustainable Urban Development (Habitat III) in Quito,",
     "principle", ["11.a"]),
]

OPERATIVE = [
    ("Recommends that national and local governments adopt integrated smart sustainable city strategies "
     "that place people at their centre and are aligned with the targets of Sustainable Development Goal 11;",
     "recommendation", ["11.3", "11.b"]),
    ("Encourages cities to measure their progress with the U4SSC key performance indicators across the "
     "economic, environmental and social and cultural dimensions, and to publish the results as open data;",
     "kpi", ["economy", "environment", "society_culture"]),
    ("Calls upon Member States to ensure affordable and universal access to broadband connectivity in all "
     "urban areas, including informal settlements, as a basic service;",
     "recommendation", ["11.1", "economy"]),
    ("Recommends that urban data platforms be built on open, interoperable standards so that cities avoid "
     "dependence on a single supplier and can share solutions with one another;",
     "standard", ["11.3", "economy"]),
    ("Urges cities to protect the privacy of residents by design, to minimise the personal data they "
     "collect and to subject automated decision systems to public oversight;",
     "guideline", ["society_culture"]),
    ("Encourages the use of sensor networks and early warning systems to reduce the losses caused by "
     "floods, heatwaves and other disasters, with particular attention to the most exposed neighbourhoods;",
     "recommendation", ["11.5", "11.b", "environment"]),
    ("Invites cities to use digital tools to monitor air quality and municipal waste, and to make the "
     "results available to residents in accessible formats;",
     "guideline", ["11.6", "environment"]),
    ("Recommends that public transport authorities integrate ticketing, timetables and real-time "
     "information across modes, and that these services remain available to residents without a smartphone;",
     "recommendation", ["11.2", "society_culture"]),
    ("Encourages the design of smart public spaces that are safe, green and accessible to all, including "
     "women, children, older persons and persons with disabilities;",
     "principle", ["11.7", "society_culture"]),
    ("Calls for the digital documentation of cultural and natural heritage so that it may be protected "
     "and shared with future generations;",
     "guideline", ["11.4", "society_culture"]),
    ("Recommends that energy-efficient buildings and smart grids be supported through public procurement, "
     "building codes and financial incentives, including in least developed countries;",
     "standard", ["11.c", "environment"]),
    ("Encourages partnerships between local governments, academia, civil society and the private sector "
     "to co-create smart city solutions, with clear rules on the ownership of public data;",
     "principle", ["11.3", "11.a"]),
    ("Requests the secretariats of ITU, UNECE and UN-Habitat to support capacity building for city "
     "officials on the planning, procurement and evaluation of smart city projects;",
     "recommendation", ["11.b", "11.c"]),
    ("Decides to transmit these recommendations to the Habitat III Conference as a contribution to the "
     "implementation of the New Urban Agenda.",
     "recommendation", ["11.a"]),
]


def _shared_hash():
    return generate_password_hash(PASSWORD)


def reset():
    """Start the demo afresh: remove the demo meeting with everything in it, give the demo accounts
    the demo password again, and load it anew. Other meetings and accounts are untouched."""
    meeting_id = db.session.execute(db.select(Meeting.id).filter_by(title=TITLE)).scalar_one_or_none()
    if meeting_id is not None:
        # The database cascades from documents to their clauses, revisions, votes, comments and events.
        db.session.execute(db.delete(Document).where(Document.meeting_id == meeting_id))
        db.session.execute(db.delete(Meeting).where(Meeting.id == meeting_id))
    password_hash = _shared_hash()
    for user in db.session.execute(db.select(User).where(User.email.in_([p[0] for p in PEOPLE]))).scalars():
        user.password_hash = password_hash
    db.session.flush()
    db.session.expire_all()
    return load()


def load():
    """Create the demo accounts, meeting and draft; returns False when they are there already."""
    if db.session.execute(db.select(Meeting.id).filter_by(title=TITLE)).first() is not None:
        return False
    password_hash = _shared_hash()
    users = {}
    for email, name, organisation, group, _role in PEOPLE:
        user = db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none()
        if user is None:
            user = User(email=email, name=name, organisation=organisation, stakeholder_group=group,
                        password_hash=password_hash, is_admin=email == "admin@example.org")
            db.session.add(user)
        users[email] = user
    db.session.flush()
    admin = users["admin@example.org"]
    meeting = meetings.create_meeting(
        admin, TITLE, subtitle="ITU-UNECE-Habitat III expert group meeting", venue="Geneva",
        starts_on="2016-07-21",
        description="Experts from the UN system, governments, cities, academia and civil society "
                    "draft principles, key performance indicators and policy recommendations on smart "
                    "sustainable cities as a contribution to the New Urban Agenda.")
    for email, _name, _organisation, _group, role in PEOPLE:
        if role:
            db.session.add(Membership(meeting_id=meeting.id, user_id=users[email].id, role=role))
    db.session.flush()
    chair = users["chair@example.org"]
    document = documents.create_document(
        chair, meeting, "Recommendations on smart sustainable cities for the New Urban Agenda",
        symbol="ECE/HBP/EGM/2016/1")
    preamble, operative = document.sections
    authors = [users[e] for e, *_rest in PEOPLE if e.startswith("expert")][:8] + [users["rapporteur@example.org"]]
    for i, (text, category, tags) in enumerate(PREAMBLE):
        documents.add_clause(authors[i % len(authors)], document, preamble.id, "PP", category, text, tags)
    operative_clauses = [
        documents.add_clause(authors[(i + 3) % len(authors)], document, operative.id, "OP", category, text, tags)
        for i, (text, category, tags) in enumerate(OPERATIVE)]
    _negotiation_so_far(users, document, operative, operative_clauses)
    return True


# (clause index, agree, abstain, disagree) among the experts, in the order they are listed
_VOTES = [(0, 24, 3, 1), (1, 18, 6, 4), (2, 14, 4, 9), (4, 27, 2, 0), (7, 9, 2, 3)]


def _negotiation_so_far(users, document, operative, clauses):
    """A draft in the middle of negotiation: a Zero draft, edits, votes, a declaration, comments."""
    chair, rapporteur = users["chair@example.org"], users["rapporteur@example.org"]
    experts = [users[email] for email, *_rest in PEOPLE if email.startswith("expert")]
    versions.snapshot(rapporteur, document, "Zero draft")
    broadband = clauses[2]
    clauses_service.save_edit(
        users["expert3@example.org"], broadband, broadband.head_revision_id,
        "Calls upon Member States and local governments to ensure affordable and universal access to "
        "broadband connectivity in all urban areas, including informal settlements, as a basic service;",
        rationale="Local governments also license rights of way for networks.")
    documents.add_clause(
        users["expert2@example.org"], document, operative.id, "OP", "guideline",
        "Encourages cities to involve residents, including young people, in the design and evaluation of "
        "digital public services;", ["11.3", "society_culture"], rationale="Participation was missing.")
    for index, agree, abstain, disagree in _VOTES:
        positions = ["agree"] * agree + ["abstain"] * abstain + ["disagree"] * disagree
        for voter, position in zip(experts, positions):
            votes.cast(voter, clauses[index], position)
    votes.cast(experts[-1], clauses[2], "block",
               "Universal access as a basic service creates a financial obligation my government cannot accept.")
    declarations.declare(chair, clauses[4], "agreed_ad_ref")
    privacy = clauses[4]
    question = comments.post(
        users["expert4@example.org"], privacy,
        "Should this also cover data collected by private operators on behalf of the city?",
        quote="public oversight")
    comments.post(users["rapporteur@example.org"], privacy,
                  "Good point: a compromise could add \"including services operated by third parties\".",
                  parent_id=question.id)
