"""SQLAlchemy 2 typed models, one module per record family."""

from .base import Base, DecimalText, Record, UtcDateTime, new_uuid, utcnow
from .designer import (APPOINTMENT_STATUS_LABELS, OPINION_STATUS_LABELS, STAGE_LABELS, STAKEHOLDER_LABELS,
                       AppointmentStatus, DesignerAppointment, DesignerOpinion, DesignerVisit, OpinionResponse,
                       OpinionStatus, Stage, Stakeholder)
from .exchange import ExchangeConflict, ExchangeLog, SyncState
from .leases import (CONTRACT_STATUS_LABELS, PROTECTION_LABELS, BusinessPlacement, ContractStatus, HouseOwner, LeaseContract, LeaseLessor, LeaseTerms,
                     OperatorReceipt, Protection, RentPayment, Restoration, StoredHouse)
from .meetings import (CATEGORY_LABELS, MEETING_KIND_LABELS, MEETING_STATUS_LABELS, MOTION_STATE_LABELS,
                       TASK_STATUS_LABELS, AgendaItem, Attendee, Category, FollowUpTask, Meeting, MeetingKind,
                       MeetingStatus, Motion, MotionBallot, MotionScope, MotionState, Resolution, Speech, TaskStatus)
from .ordering import (CHANNEL_LABELS, FILLED_BY_LABELS, ROUND_STATE_LABELS, TIER_LABELS, Channel, FilledBy, MenuItem,
                       Order, OrderChoice, OrderingRound, OrderingTally, RoundState, Tier)
from .paper import IssuedDocument, SignedCopy
from .people import ROLE_LABELS, Person, PersonRole, Role
from .places import (AREA_SOURCE_LABELS, PROJECT_STAGE_LABELS, PROJECT_TYPE_LABELS, AreaSource, Block, Building, Household, Project, ProjectStage,
                     ProjectType, Unit)
from .records import Attachment, AuditEntry, Operator, Setting
from .supervision import (PARTY_KIND_LABELS, Acceptance, ConstructionParty, Inspection, InspectionParticipant,
                          PartyKind, ProblemTransition, RectificationNotice, SupervisionProblem, Supervisor)

__all__ = [
    "ExchangeConflict", "ExchangeLog", "SyncState",
    "AgendaItem", "Attendee", "Category", "FollowUpTask", "Meeting", "MeetingKind", "MeetingStatus", "Motion",
    "MotionBallot", "MotionScope", "MotionState", "MOTION_STATE_LABELS", "Resolution", "Speech", "TaskStatus",
    "CATEGORY_LABELS", "MEETING_KIND_LABELS", "MEETING_STATUS_LABELS", "TASK_STATUS_LABELS",
    "APPOINTMENT_STATUS_LABELS", "AppointmentStatus", "DesignerAppointment", "DesignerOpinion", "DesignerVisit",
    "OpinionResponse",
    "OpinionStatus", "Stage", "Stakeholder", "OPINION_STATUS_LABELS", "STAGE_LABELS", "STAKEHOLDER_LABELS",
    "PARTY_KIND_LABELS", "PartyKind", "Acceptance", "ConstructionParty", "Inspection", "InspectionParticipant", "ProblemTransition",
    "RectificationNotice", "SupervisionProblem", "Supervisor",
    "CHANNEL_LABELS", "FILLED_BY_LABELS", "ROUND_STATE_LABELS", "TIER_LABELS",
    "Channel", "FilledBy", "MenuItem", "Order", "OrderChoice", "OrderingRound", "OrderingTally", "RoundState", "Tier",
    "BusinessPlacement", "ContractStatus", "HouseOwner", "LeaseContract", "LeaseLessor", "LeaseTerms",
    "CONTRACT_STATUS_LABELS", "PROTECTION_LABELS",
    "OperatorReceipt", "Protection", "RentPayment", "Restoration", "StoredHouse",
    "PROJECT_STAGE_LABELS", "PROJECT_TYPE_LABELS",
    "AREA_SOURCE_LABELS", "AreaSource", "Attachment", "AuditEntry", "Base", "Block", "Building", "DecimalText",
    "Household", "Operator", "Person", "PersonRole", "Project", "ProjectStage", "ProjectType", "ROLE_LABELS",
    "IssuedDocument", "SignedCopy",
    "Record", "Role", "Setting", "Unit", "UtcDateTime", "new_uuid", "utcnow",
]
