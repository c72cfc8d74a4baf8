"""The words of the domain, as they travel on the wire, in the database and in exports."""
from enum import Enum


class Word(str, Enum):
    """An enum whose value is the wire word; `label` is what a person reads."""

    def __str__(self):
        return self.value

    @property
    def label(self):
        return LABELS.get(self.value, self.value.replace("_", " ").capitalize())

    @classmethod
    def values(cls):
        return [member.value for member in cls]

    @classmethod
    def parse(cls, value, field):
        from drafting.domain.errors import ValidationError

        try:
            return cls(value)
        except ValueError:
            raise ValidationError(f"{field} must be one of: {', '.join(cls.values())}.", field=field)


class Role(Word):
    CHAIR = "chair"
    RAPPORTEUR = "rapporteur"
    EXPERT = "expert"
    OBSERVER = "observer"


class ClauseKind(Word):
    PP = "PP"
    OP = "OP"


class Category(Word):
    PRINCIPLE = "principle"
    GUIDELINE = "guideline"
    STANDARD = "standard"
    KPI = "kpi"
    RECOMMENDATION = "recommendation"


class Phase(Word):
    DRAFTING = "drafting"
    AMENDMENTS = "amendments"
    CONSOLIDATION = "consolidation"
    FINAL_READING = "final_reading"
    ADOPTED = "adopted"
    PUBLISHED = "published"


class ClauseStatus(Word):
    PROPOSED = "proposed"
    BRACKETED = "bracketed"
    AGREED_AD_REF = "agreed_ad_ref"
    AGREED = "agreed"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


class DeclarationKind(Word):
    """What the chair declares of a clause; `reopened` puts a declared clause back to proposed."""

    BRACKETED = "bracketed"
    AGREED_AD_REF = "agreed_ad_ref"
    AGREED = "agreed"
    REOPENED = "reopened"


class VotePosition(Word):
    AGREE = "agree"
    ABSTAIN = "abstain"
    DISAGREE = "disagree"
    BLOCK = "block"


class ConsensusState(Word):
    NO_VOTES = "no_votes"
    QUORUM_NOT_MET = "quorum_not_met"
    CONSENSUS = "consensus"
    CONTESTED = "contested"
    BLOCKED = "blocked"


class StakeholderGroup(Word):
    UN_SYSTEM = "un_system"
    NATIONAL_GOVERNMENT = "national_government"
    LOCAL_GOVERNMENT = "local_government"
    REGIONAL_BODY = "regional_body"
    ACADEMIA = "academia"
    CIVIL_SOCIETY = "civil_society"
    PRIVATE_SECTOR = "private_sector"


class AmendmentStatus(Word):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    INCORPORATED = "incorporated"


class Visibility(Word):
    MEMBERS = "members"
    PUBLIC = "public"


class SectionKind(Word):
    PREAMBLE = "preamble"
    OPERATIVE = "operative"
    CUSTOM = "custom"


SDG11_TARGETS = {
    "11.1": "Adequate, safe and affordable housing and basic services",
    "11.2": "Safe, affordable, accessible and sustainable transport",
    "11.3": "Inclusive and sustainable urbanization and participatory planning",
    "11.4": "Protect and safeguard cultural and natural heritage",
    "11.5": "Reduce deaths and losses from disasters",
    "11.6": "Reduce the environmental impact of cities",
    "11.7": "Safe, inclusive and accessible green and public spaces",
    "11.a": "Links between urban, peri-urban and rural areas",
    "11.b": "Integrated policies for inclusion, resilience and disaster risk",
    "11.c": "Support least developed countries in sustainable buildings",
}

U4SSC_DIMENSIONS = {
    "economy": "Economy",
    "environment": "Environment",
    "society_culture": "Society and Culture",
}

ALL_TAGS = list(SDG11_TARGETS) + list(U4SSC_DIMENSIONS)


def tag_label(tag):
    if tag in SDG11_TARGETS:
        return f"SDG {tag}"
    return U4SSC_DIMENSIONS.get(tag, tag)


LABELS = {
    "PP": "Preambular paragraph",
    "OP": "Operative paragraph",
    "kpi": "Key performance indicator",
    "recommendation": "Policy recommendation",
    "final_reading": "Final reading (silence procedure)",
    "agreed_ad_ref": "Agreed ad ref",
    "no_votes": "No votes",
    "quorum_not_met": "Quorum not met",
    "un_system": "UN system",
    "national_government": "National government",
    "local_government": "Local government or association of mayors",
    "regional_body": "Regional body",
    "academia": "Academia and research",
    "civil_society": "Civil society",
    "private_sector": "Private sector",
    "incorporated": "Incorporated in compromise",
}

# Roles from the most to the least powerful; a role may do all that the ones after it may.
ROLE_RANK = {Role.CHAIR: 3, Role.RAPPORTEUR: 2, Role.EXPERT: 1, Role.OBSERVER: 0}
