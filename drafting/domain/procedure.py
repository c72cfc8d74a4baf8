"""What each role may do to a document's text in each phase."""
import functools

from drafting.domain.vocabulary import ROLE_RANK, Phase, Role

PHASE_ORDER = [Phase.DRAFTING, Phase.AMENDMENTS, Phase.CONSOLIDATION, Phase.FINAL_READING,
               Phase.ADOPTED, Phase.PUBLISHED]


def may_edit_text(phase, role):
    """Direct edits: experts while drafting; rapporteurs and the chair while consolidating."""
    if role is None:
        return False
    phase, role = Phase(phase), Role(role)
    if phase == Phase.DRAFTING:
        return ROLE_RANK[role] >= ROLE_RANK[Role.EXPERT]
    if phase == Phase.CONSOLIDATION:
        return ROLE_RANK[role] >= ROLE_RANK[Role.RAPPORTEUR]
    return False


def edit_refusal(phase):
    """Why direct edits are refused in this phase, in a sentence a person understands."""
    return {
        Phase.DRAFTING: "Only experts, rapporteurs and the chair edit while the document is open for drafting.",
        Phase.AMENDMENTS: "The text is frozen for direct edits in the amendments phase: propose an amendment.",
        Phase.CONSOLIDATION: "Only rapporteurs and the chair edit the text during consolidation.",
        Phase.FINAL_READING: "The silence procedure is running: the text can no longer change.",
        Phase.ADOPTED: "The document has been adopted: the text can no longer change.",
        Phase.PUBLISHED: "The document has been published: the text can no longer change.",
    }[Phase(phase)]


def moved_meanwhile(phase):
    """Why a change checked in one phase is refused when the document had moved on before it was saved."""
    return (f"While your change was being saved the chair moved the document on (it is now: {Phase(phase).label}), "
            "so nothing was saved: reload the page to see what may be done now.")


def may_structure(phase, role):
    """Adding clauses follows the same rule as editing text."""
    return may_edit_text(phase, role)


def section_refusal(phase, role):
    """Sections (add, rename, reorder) are the chair's, until the silence procedure starts."""
    if role is None or ROLE_RANK[Role(role)] < ROLE_RANK[Role.CHAIR]:
        return "Only the chair adds, renames and reorders sections."
    if Phase(phase) not in (Phase.DRAFTING, Phase.AMENDMENTS, Phase.CONSOLIDATION):
        return "The structure is settled once the silence procedure starts."
    return None


# --- moving between phases ---------------------------------------------------------------

SILENCE_DEFAULT_HOURS = 72
SILENCE_MAX_HOURS = 24 * 30
DONE = (Phase.ADOPTED, Phase.PUBLISHED)


def transition_refusal(current, target, silence_over=False):
    """Why the chair may not move the document from `current` to `target`, or None when allowed.

    Forward one step at a time, except that consolidation may go straight to adoption (consensus
    declared in session). Back to any earlier phase until adoption; an adopted text is not reopened.
    A running silence procedure ends in adoption only at its deadline.
    """
    current, target = Phase(current), Phase(target)
    if current == target:
        return None
    order = PHASE_ORDER.index
    if current in DONE and target not in DONE:
        return "The document has been adopted: its text cannot be reopened."
    if order(target) < order(current):
        return None
    if current == Phase.CONSOLIDATION and target == Phase.ADOPTED:
        return None
    if current == Phase.FINAL_READING and target == Phase.ADOPTED and not silence_over:
        return "The silence procedure runs until its deadline; it is adopted then if nobody objects."
    if order(target) != order(current) + 1:
        following = PHASE_ORDER[order(current) + 1]
        return (f"The document moves one phase at a time: from {current.label.lower()} "
                f"the next phase is {following.label.lower()}.")
    return None


def silence_hours(value):
    """Hours a silence procedure runs: a whole number from 1 to 720 (default 72)."""
    from drafting.domain.errors import ValidationError
    from drafting.domain.limits import whole_number

    if value is None or value == "":
        return SILENCE_DEFAULT_HOURS
    try:
        return whole_number(value, "hours", minimum=1, maximum=SILENCE_MAX_HOURS)
    except ValidationError:
        raise ValidationError(f"The silence procedure runs from 1 to {SILENCE_MAX_HOURS} hours.",
                              field="hours") from None


def silence_over(phase, deadline, now):
    """True when a running silence procedure has reached its deadline."""
    return Phase(phase) == Phase.FINAL_READING and deadline is not None and now >= deadline


def effective_phase(phase, deadline, now):
    """The phase a document is in now: a silence procedure past its deadline without objection
    has adopted it, whether or not that has been written yet (a task writes it; a read never does)."""
    return Phase.ADOPTED if silence_over(phase, deadline, now) else Phase(phase)


def extension_hours(value):
    """Hours a silence procedure is extended by: a whole number from 1 to 720."""
    from drafting.domain.errors import ValidationError

    if value in (None, ""):
        raise ValidationError("Say by how many hours to extend the silence procedure.", field="hours")
    return silence_hours(value)


@functools.cache
def _zone_names():
    """The IANA names this machine knows: listing them walks the zone folder (~50 ms), so once a process."""
    from zoneinfo import available_timezones

    return frozenset(available_timezones()) | {"UTC"}


def valid_time_zone(name):
    """An IANA time zone name ("Europe/Zurich"), or a ValidationError; empty means UTC."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from drafting.domain.errors import ValidationError

    if name in (None, ""):
        return "UTC"
    if not isinstance(name, str) or name not in _zone_names():
        raise ValidationError("Time zone must be an IANA name such as Europe/Zurich, America/New_York "
                              "or UTC.", field="time_zone")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"Unknown time zone {name!r}.", field="time_zone")
    return name


def in_time_zone(moment, zone):
    """A naive UTC datetime as an aware datetime in the IANA zone (UTC when the zone is unknown)."""
    from datetime import timezone
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if moment is None:
        return None
    try:
        tz = ZoneInfo(zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        tz = timezone.utc
    return moment.replace(tzinfo=timezone.utc).astimezone(tz)


def deadline_words(moment, zone):
    """ "25 July 2016, 17:00 Europe/Zurich (15:00 UTC)", or only UTC when the meeting's zone is UTC."""
    if moment is None:
        return ""
    utc = f"{moment:%d %B %Y, %H:%M} UTC"
    if not zone or zone == "UTC":
        return utc
    local = in_time_zone(moment, zone)
    same_day = local.date() == moment.date()
    return (f"{local:%d %B %Y, %H:%M} {zone} ({moment:%H:%M} UTC)" if same_day
            else f"{local:%d %B %Y, %H:%M} {zone} ({utc})")


# --- what each role may do in each phase, beyond editing text -----------------------------


def _at_least(role, minimum):
    return role is not None and ROLE_RANK[Role(role)] >= ROLE_RANK[minimum]


def may_propose_amendment(phase, role):
    """Amendments (suggestions) are proposed by experts and above in the amendments phase, and while
    drafting by whoever chooses to suggest a change instead of making it."""
    return Phase(phase) in (Phase.DRAFTING, Phase.AMENDMENTS) and _at_least(role, Role.EXPERT)


def amendment_refusal(phase):
    return ("Amendments are proposed while drafting and in the amendments phase; the document is in the "
            f"{Phase(phase).label.lower()} phase.")


def may_deliberate(phase, role):
    """Comments and votes: until the silence procedure starts; then only objections."""
    return Phase(phase) in (Phase.DRAFTING, Phase.AMENDMENTS, Phase.CONSOLIDATION) and _at_least(role, Role.EXPERT)


def may_consolidate(phase, role):
    """Rapporteur tools (compromise, merge, split, move, brackets, alternatives): consolidation only."""
    return Phase(phase) == Phase.CONSOLIDATION and _at_least(role, Role.RAPPORTEUR)


def may_object(phase, role):
    return Phase(phase) == Phase.FINAL_READING and _at_least(role, Role.EXPERT)


def may_see_chair_checklist(phase, role):
    """The adoption checklist is the chair's, while the document is in consolidation."""
    return Phase(phase) == Phase.CONSOLIDATION and role is not None and Role(role) == Role.CHAIR


def may_reserve(phase, role):
    """After adoption nothing changes but reservations and interpretive statements."""
    return Phase(phase) in DONE and _at_least(role, Role.EXPERT)


def deliberation_refusal(phase):
    return {
        Phase.FINAL_READING: "The silence procedure is running: the only thing left to do is object in writing.",
        Phase.ADOPTED: "The document has been adopted: only reservations can be lodged now.",
        Phase.PUBLISHED: "The document has been published: only reservations can be lodged now.",
    }.get(Phase(phase), "This is not possible in the current phase.")
