"""What each role may do to a document's text in each phase."""
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


def may_structure(phase, role):
    """Adding sections or clauses follows the same rule as editing text."""
    return may_edit_text(phase, role)
