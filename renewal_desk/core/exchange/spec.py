"""The record types of the `renewal-desk-export` bundle, version 1: which table each comes from, how
its columns become fields, which fields are personal data, and the Chinese and English label of
every field.

Everything else is derived from this one description: the JSON Schema files in resources/schemas/,
the field tables of resources/docs/export-format.md, the workbook's column headers, the exporter's
SQL and the importer's mapping back to local ids (tests keep the shipped files equal to it).

Fields follow the table's columns with these rules:
- `id` is never exported; the record's identity is its `uuid`;
- a foreign key `x_id` becomes `x_uuid`, the UUID of the record it points to;
- lists of ids kept as text (`building_ids`) become lists of UUIDs (`building_uuids`);
- rows of link tables without their own identity (roles, owners, lessors, order choices, inspection
  participants) are lists inside their record;
- derived columns (sort and search keys) are left out and rebuilt on import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import Table

from ..models import (AgendaItem, AppointmentStatus, AreaSource, Attendee, Block, Building, BusinessPlacement,
                      Category, Channel, ConstructionParty, ContractStatus, DesignerAppointment, DesignerOpinion,
                      DesignerVisit, FilledBy, FollowUpTask, Household, Inspection, LeaseContract, LeaseTerms, Meeting,
                      MeetingKind, MeetingStatus, MenuItem, Motion, MotionBallot, MotionScope, MotionState, OpinionResponse,
                      OpinionStatus, OperatorReceipt, Order, OrderingRound, Person, Project, ProjectStage,
                      ProjectType, Protection, RectificationNotice, RentPayment, Resolution, Restoration, Role,
                      RoundState, Speech, Stage, StoredHouse, SupervisionProblem, Supervisor, TaskStatus, Tier,
                      Unit)
from ..models import Acceptance, Attachment, ProblemTransition
from ..models import (CATEGORY_LABELS, CHANNEL_LABELS, FILLED_BY_LABELS, MEETING_KIND_LABELS,  # 0022 (enum21b)
                      MEETING_STATUS_LABELS, ROUND_STATE_LABELS, TASK_STATUS_LABELS, TIER_LABELS)
from ..models import (CONTRACT_STATUS_LABELS, OPINION_STATUS_LABELS, PROJECT_STAGE_LABELS,  # 0023 (enum21c)
                      PROJECT_TYPE_LABELS, PROTECTION_LABELS, STAGE_LABELS, Stakeholder)
from ..models import AREA_SOURCE_LABELS, PARTY_KIND_LABELS, PartyKind  # 0025
from ..models.base import Base
from ..rules.rectification import (CATEGORIES, PROBLEM_CATEGORY_LABELS, SEVERITIES, SEVERITY_LABELS,  # 0025
                                   STATE_LABELS, State)
from ..rules.designer import STAKEHOLDER_LABELS
from ..rules.text import code_label

FORMAT = "renewal-desk-export"
VERSION = 1

# Personal-data kinds: how a field is treated in a default (masked) bundle.
MASK_NAME, MASK_ID, MASK_PHONE, OMIT = "name", "id_number", "phone", "omit"


@dataclass(frozen=True)
class Link:
    """A list field built from a link table: `table.parent_column = record.id`.

    With `target` the list holds the UUIDs of `target` rows (via `column`); with `columns` it holds
    objects; otherwise plain values of `column`."""

    field: str
    table: str
    parent_column: str
    column: str = ""
    target: str = ""
    columns: tuple[tuple[str, str], ...] = ()  # (output field, link-table column); "<x>_uuid" via item target
    object_targets: tuple[tuple[str, str], ...] = ()  # (link-table column, target table) for object fields


@dataclass(frozen=True)
class RecordType:
    name: str  # file stem and the type's name in the manifest
    model: type
    zh: str
    en: str
    personal: dict[str, str] = field(default_factory=dict)  # field -> mask kind
    exclude: tuple[str, ...] = ()  # derived columns, rebuilt on import
    id_lists: dict[str, str] = field(default_factory=dict)  # text column of ids -> target table
    soft_refs: dict[str, str] = field(default_factory=dict)  # integer column (no FK) -> target table
    links: tuple[Link, ...] = ()
    codes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # field -> allowed values
    # (table column, id column) of a polymorphic owner: `owner_id` names a row of the table `owner_table` holds;
    # exported as `owner_uuid` (kind "owner"), only for owners that are record types of the bundle
    owner: tuple[str, str] = ()
    full_only: bool = False  # carried by full bundles only: a masked export has none of it (photos show people)
    # the only fields a newer version may change (None: every field); a change of any other is a conflict
    editable: tuple[str, ...] | None = None

    @property
    def table(self) -> Table:
        return self.model.__table__


def _values(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(e.value for e in enum)


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType("projects", Project, "项目", "Renewal projects",
               codes={"project_type": _values(ProjectType), "stage": _values(ProjectStage)}),
    RecordType("blocks", Block, "片区", "Blocks (areas) of a project", exclude=("sort_key",)),
    RecordType("buildings", Building, "楼栋", "Buildings", exclude=("sort_key",)),
    RecordType("units", Unit, "单元", "Units (stairwells) of a building", exclude=("sort_key",)),
    RecordType("households", Household, "住户", "Households (one exclusive part each)",
               exclude=("sort_key", "search_text"), codes={"area_source": _values(AreaSource)}),
    RecordType("people", Person, "居民", "People (residents and others)",
               personal={"name": MASK_NAME, "id_number": MASK_ID, "phone": MASK_PHONE, "birth_date": OMIT},
               links=(Link("roles", "person_role", "person_id", column="role"),)),
    RecordType("construction_parties", ConstructionParty, "参建单位", "Construction parties (builders, designers …)",
               personal={"contact_name": MASK_NAME, "contact_phone": MASK_PHONE}, codes={"kind": _values(PartyKind)}),
    RecordType("menu_items", MenuItem, "点单菜单项", "Ordering menu items", codes={"tier": _values(Tier)}),
    RecordType("ordering_rounds", OrderingRound, "点单轮次", "Ordering rounds",
               id_lists={"building_ids": "building"}, codes={"state": _values(RoundState)}),
    RecordType("orders", Order, "住户点单", "Households' orders with their choices",
               links=(Link("choices", "order_choice", "order_id",
                           columns=(("item_uuid", "item_id"), ("priority", "priority"), ("vote", "vote")),
                           object_targets=(("item_id", "menu_item"),)),),
               codes={"filled_by": _values(FilledBy), "channel": _values(Channel)}),
    RecordType("meetings", Meeting, "议事会议", "Consultation meetings",
               id_lists={"building_ids": "building"},
               soft_refs={"current_item_id": "agenda_item", "current_motion_id": "motion"},
               codes={"kind": _values(MeetingKind), "status": _values(MeetingStatus)}),
    RecordType("meeting_attendees", Attendee, "参会人员", "Meeting attendees and sign-in",
               personal={"name": MASK_NAME, "phone": MASK_PHONE, "proxy_name": MASK_NAME},
               exclude=("search_text",), codes={"category": _values(Category)}),
    RecordType("agenda_items", AgendaItem, "会议议程", "Agenda items"),
    RecordType("meeting_speeches", Speech, "会议发言", "Speeches under an agenda item"),
    RecordType("motions", Motion, "表决事项", "Motions and their vote counts",
               id_lists={"scope_building_ids": "building", "scope_unit_ids": "unit"},
               codes={"state": _values(MotionState), "scope": _values(MotionScope)}),
    RecordType("motion_ballots", MotionBallot, "记名表决票", "Named ballots"),
    RecordType("resolutions", Resolution, "会议决议", "Resolutions"),
    RecordType("followup_tasks", FollowUpTask, "会议跟进事项", "Follow-up tasks of meetings",
               codes={"status": _values(TaskStatus)}),
    RecordType("supervisors", Supervisor, "居民监督员", "Supervisor team members",
               id_lists={"building_ids": "building"}),
    RecordType("inspections", Inspection, "巡查记录", "Site inspections",
               links=(Link("supervisor_uuids", "inspection_participant", "inspection_id", column="supervisor_id",
                           target="supervisor"),)),
    RecordType("rectification_notices", RectificationNotice, "整改通知单", "Rectification notices"),
    RecordType("supervision_problems", SupervisionProblem, "监督问题", "Problems found by the supervisors",
               codes={"state": _values(State), "category": CATEGORIES, "severity": SEVERITIES}),
    RecordType("problem_transitions", ProblemTransition, "问题处理记录", "Steps of a problem's rectification",
               codes={"to_state": _values(State)}),
    RecordType("acceptances", Acceptance, "验收记录", "Acceptances (验收)"),
    RecordType("designer_appointments", DesignerAppointment, "首席街长聘任", "Chief street designer appointments",
               codes={"status": _values(AppointmentStatus)}),
    RecordType("designer_visits", DesignerVisit, "街长走访", "Designer site visits"),
    RecordType("designer_opinions", DesignerOpinion, "街长意见", "Designer opinions",
               codes={"stage": _values(Stage), "status": _values(OpinionStatus)}),
    RecordType("designer_responses", OpinionResponse, "意见回复", "Responses to designer opinions",
               codes={"status": _values(OpinionStatus)}),
    RecordType("stored_houses", StoredHouse, "收储房屋", "Stored houses (收储)",
               links=(Link("owner_uuids", "house_owner", "house_id", column="person_id", target="person"),),
               codes={"protection": _values(Protection)}),
    RecordType("lease_contracts", LeaseContract, "租赁合同", "Lease contracts",
               links=(Link("lessor_uuids", "lease_lessor", "contract_id", column="person_id", target="person"),),
               codes={"status": _values(ContractStatus)}),
    RecordType("lease_terms", LeaseTerms, "合同条款版本", "Versions of a contract's terms (amendments)"),
    RecordType("rent_payments", RentPayment, "租金支付", "Rent paid to owners (instalments)",
               personal={"received_by": MASK_NAME}),
    RecordType("restorations", Restoration, "恢复性修缮", "Restoration works"),
    RecordType("businesses", BusinessPlacement, "引入业态", "Businesses placed in stored houses"),
    RecordType("business_receipts", OperatorReceipt, "经营者租金收入", "Rent received from business operators"),
)
# Attachments (photos of problems, inspections' and visits' pictures, sketches, scans) of the records above, last:
# every owner is read before them. Their content travels as files `attachments/<sha256>` (bundle.py).
ATTACHMENTS = "attachments"
OWNER_TABLES: tuple[str, ...] = tuple(t.table.name for t in RECORD_TYPES)
RECORD_TYPES = (*RECORD_TYPES, RecordType(
    ATTACHMENTS, Attachment, "附件", "Attachments (photos, sketches, scans) of the records above; content in "
    "attachments/<sha256>", owner=("owner_table", "owner_id"), full_only=True, codes={"owner_table": OWNER_TABLES},
    editable=("caption",)))  # a file and its owner never change: only the caption may
# Record types a bundle written before them does not have (no data file, no schema, no count): read as none.
LATER_TYPES: dict[str, str] = {ATTACHMENTS: "bundle18i"}

BY_NAME = {t.name: t for t in RECORD_TYPES}
BY_TABLE = {t.table.name: t for t in RECORD_TYPES}
ROLE_CODES = _values(Role)

# field -> (中文, English). Shared names first; "type.field" overrides where a name means something else.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "uuid": ("唯一标识", "The record's identity (UUID), the same on every laptop"),
    "created_at": ("创建时间", "When the record was created (UTC, ISO 8601)"),
    "updated_at": ("修改时间", "When the record was last changed (UTC, ISO 8601); decides which version is newer"),
    "base_updated_at": ("同步基准版本", "The updated_at of the version last received from another laptop "
                                   "(merge bookkeeping; null if never exchanged)"),
    "project_uuid": ("所属项目", "The project (UUID)"), "block_uuid": ("所属片区", "The block (UUID)"),
    "building_uuid": ("楼栋", "The building (UUID)"), "unit_uuid": ("单元", "The unit (UUID)"),
    "household_uuid": ("住户", "The household (UUID)"), "person_uuid": ("人员", "The person (UUID)"),
    "meeting_uuid": ("会议", "The meeting (UUID)"), "item_uuid": ("议程/菜单项", "The agenda item or menu item (UUID)"),
    "motion_uuid": ("表决事项", "The motion (UUID)"), "attendee_uuid": ("参会人员", "The attendee (UUID)"),
    "resolution_uuid": ("决议", "The resolution (UUID)"), "round_uuid": ("点单轮次", "The ordering round (UUID)"),
    "party_uuid": ("参建单位", "The construction party (UUID)"), "inspection_uuid": ("巡查记录", "The inspection (UUID)"),
    "notice_uuid": ("整改通知单", "The rectification notice (UUID)"), "problem_uuid": ("问题", "The problem (UUID)"),
    "appointment_uuid": ("聘任", "The designer appointment (UUID)"), "visit_uuid": ("走访", "The visit (UUID)"),
    "opinion_uuid": ("意见", "The opinion (UUID)"), "house_uuid": ("收储房屋", "The stored house (UUID)"),
    "contract_uuid": ("租赁合同", "The lease contract (UUID)"), "placement_uuid": ("业态", "The business (UUID)"),
    "renewed_from_uuid": ("续签自", "The contract this one renews (UUID)"),
    "reviewed_meeting_uuid": ("复核会议", "The meeting that reviewed the task (UUID)"),
    "current_item_uuid": ("当前议程", "The agenda item last on the wall (UUID)"),
    "current_motion_uuid": ("当前表决事项", "The motion last on the wall (UUID)"),
    "building_uuids": ("涉及楼栋", "Buildings in scope (UUIDs); empty = the whole project"),
    "scope": ("表决范围", "Who votes: project / buildings / units"),
    "scope_building_uuids": ("表决范围楼栋", "The buildings whose owners vote (UUIDs), for scope = buildings"),
    "scope_unit_uuids": ("表决范围单元", "The units whose owners vote (UUIDs), for scope = units"),
    "supervisor_uuids": ("参加监督员", "Supervisors who took part (UUIDs)"),
    "owner_uuids": ("产权人", "Owners of the house (people, UUIDs)"),
    "lessor_uuids": ("出租人", "Lessors (owners, people UUIDs)"),
    "roles": ("身份", "Roles: " + ", ".join(ROLE_CODES)),
    "choices": ("所选项目", "Items chosen: menu item UUID, priority (1 = most wanted) and vote yes/no/abstain"),
    "name": ("名称", "Name"), "title": ("标题", "Title"), "note": ("备注", "Note"), "notes": ("记录", "Notes"),
    "description": ("说明", "Description"), "status": ("状态", "Status"), "state": ("状态", "State"),
    "position": ("顺序", "Position in its list (0 first)"), "text": ("内容", "Text"), "works": ("工程", "Works"),
    "address": ("地址", "Address"), "active": ("有效", "Active"), "kind": ("类别", "Kind"),
    "reason": ("原因", "Reason"), "reference": ("凭证号", "Reference (voucher, transfer number)"),
    "deadline": ("期限", "Deadline"), "stage": ("阶段", "Stage"), "category": ("类别", "Category"),
    "observation": ("现场情况", "What was observed"), "matter": ("事项性质", "Kind of matter: special / ordinary / "
                                                                     "consultative (民法典第278条)"),
    "project_type": ("项目类型", "Project type (code list)"), "district": ("街道/社区", "Sub-district / community"),
    "room": ("房号", "Room number"), "area": ("面积（㎡）", "Area in m², decimal string"),
    "area_source": ("面积来源", "Source of the area: registered / surveyed / contract"),
    "is_vacant": ("空置", "Vacant"), "floors": ("层数", "Floors"), "built_year": ("建成年份", "Year built"),
    "is_head": ("户主", "Head of household"), "relation": ("与户主关系", "Relation to the head"),
    "id_number": ("身份证号", "ID number (masked 110105********1234 unless full personal data)"),
    "gender": ("性别", "Gender"), "birth_date": ("出生日期", "Birth date (omitted unless full personal data)"),
    "phone": ("电话", "Phone (masked 138****1234 unless full personal data)"),
    "contact_name": ("联系人", "Contact person (masked unless full personal data)"),
    "contact_phone": ("联系电话", "Contact phone (masked unless full personal data)"),
    "tier": ("层级", "Tier: basic / improve / better (基础类 / 完善类 / 提升类)"), "mandatory": ("必选", "Mandatory"),
    "consent_scope": ("表决范围", "Consent scope: unit / building / project, empty = none"),
    "retired": ("已停用", "Retired from the menu"), "opens_on": ("开始日期", "Opens on"),
    "closes_on": ("截止日期", "Closes on"), "notice_days": ("公示天数", "Days of public notice"),
    "published_on": ("公示日期", "Published on"), "filled_by": ("填写人", "Filled in by"),
    "channel": ("收集方式", "How it was collected"), "received_on": ("收到日期", "Received on"),
    "remarks": ("意见建议", "Remarks"), "starts_at": ("开始时间", "Starts at (local time)"),
    "ends_at": ("结束时间", "Ends at (local time)"), "place": ("地点", "Place"), "chair": ("主持人", "Chair"),
    "recorder": ("记录人", "Recorder"), "scrutineers": ("监票人", "Scrutineers"), "purpose": ("会议事由", "Purpose"),
    "organisation": ("身份/单位", "Capacity or organisation"), "expected": ("应到", "Invited (应到); false = walk-in"),
    "signed_in_at": ("签到时间", "Signed in at (local time)"), "left_at": ("离场时间", "Left at (local time)"),
    "proxy_name": ("代理人", "Proxy (masked unless full personal data)"),
    "proxy_authority": ("委托书", "Proxy authority"), "presenter": ("汇报人", "Presenter"),
    "planned_minutes": ("计划时长（分钟）", "Planned minutes"), "started_at": ("开始时间", "Started at (local time)"),
    "summary": ("讨论情况", "Summary of the discussion"), "speaker": ("发言人", "Speaker"),
    "content": ("发言内容", "What was said"), "spoken_at": ("发言时间", "Spoken at (local time)"),
    "method": ("方式", "Method"), "voted_at": ("表决时间", "Voted at (local time)"),
    "yes_owners": ("赞成人数", "Yes (headcount)"), "no_owners": ("反对人数", "No (headcount)"),
    "abstain_owners": ("弃权人数", "Abstain (headcount)"), "yes_area": ("赞成面积（㎡）", "Yes (area m², decimal)"),
    "no_area": ("反对面积（㎡）", "No (area m², decimal)"), "abstain_area": ("弃权面积（㎡）", "Abstain (area m², decimal)"),
    "present": ("到场人数", "People present"), "corrections": ("更正记录", "Audited corrections, one per line"),
    "choice": ("表决意见", "Choice: yes / no / abstain"), "owner": ("责任人/单位", "Who is responsible"),
    "done_on": ("完成日期", "Done on"), "review_note": ("复核意见", "Review note"),
    "appointed_on": ("聘任日期", "Appointed on"), "letter_no": ("聘书编号", "Letter of appointment number"),
    "building_ids": ("涉及楼栋", "Buildings"), "retired_on": ("退出日期", "Retired on"),
    "inspected_on": ("巡查日期", "Inspected on"), "places": ("巡查部位", "Places inspected"),
    "weather": ("天气", "Weather"), "staff": ("参加工作人员", "Staff who took part"),
    "notice_no": ("通知单编号", "Notice number"), "issued_on": ("发出日期", "Issued on"),
    "recheck_method": ("复查方式", "How it is re-checked"), "objection_days": ("异议期（天）", "Days for objections"),
    "issued_by": ("签发人", "Issued by"), "location": ("部位", "Location"), "severity": ("严重程度", "Severity"),
    "basis": ("依据", "Standard or contract clause"), "found_on": ("发现日期", "Found on"),
    "measures": ("整改措施", "Measures required"), "replied_on": ("回复日期", "Replied on"),
    "closed_on": ("关闭日期", "Closed on"), "recheck_failures": ("复查未通过次数", "Failed re-checks"),
    "action": ("操作", "Step: found / issue / reply / recheck_pass / recheck_fail / close"),
    "from_state": ("原状态", "State before"), "to_state": ("新状态", "State after"), "on_date": ("日期", "Date"),
    "by": ("经办人", "By whom"), "record_no": ("验收编号", "Acceptance record number"),
    "accepted_on": ("验收日期", "Accepted on"), "district_rep": ("区政府代表", "District government representative"),
    "community_rep": ("社区代表", "Community representative"), "resident_reps": ("居民代表", "Resident representatives"),
    "builder_rep": ("施工单位代表", "Builder representative"),
    "checklist": ("验收清单", "Checklist, JSON [[item, result, note], …]"),
    "survey_satisfied": ("满意（份）", "Survey: satisfied"), "survey_basic": ("基本满意（份）", "Survey: basically satisfied"),
    "survey_dissatisfied": ("不满意（份）", "Survey: dissatisfied"), "survey_unknown": ("未表态（份）", "Survey: no answer"),
    "evaluator": ("第三方评估单位", "Third-party evaluator"),
    "evaluation_score": ("评估得分", "Evaluation score (decimal string)"),
    "evaluation_conclusion": ("评估结论", "Evaluation conclusion"), "passed": ("通过", "Passed"),
    "reasons": ("结论理由", "Why passed or not"), "open_problems": ("未关闭问题数", "Open problems when recorded"),
    "override_reason": ("例外通过理由", "Reason for passing despite the rule"),
    "rule_text": ("适用规则", "The satisfaction rule applied"), "term_start": ("聘期开始", "Term start"),
    "term_end": ("聘期结束", "Term end"), "ended_on": ("离任日期", "Ended on"), "end_reason": ("离任原因", "End reason"),
    "visited_on": ("走访日期", "Visited on"), "participants": ("参加人员", "Participants"),
    "opinion_no": ("意见编号", "Opinion number"), "stakeholders": ("涉及主体", "Stakeholders, comma-separated codes "
                                            "(merchants, residents, visitors, implementer)"),
    "opinion": ("意见", "The opinion"), "addressee": ("致送对象", "Addressed to"),
    "respond_by": ("答复期限", "Respond by"), "cites_kind": ("引用记录类型", "Kind of the record cited"),
    "cites_uuid": ("引用记录", "The record cited (UUID)"), "responded_on": ("回复日期", "Responded on"),
    "responder": ("回复人", "Responder"), "street": ("街巷", "Street"), "number": ("门牌号", "House number"),
    "structure": ("结构", "Structure"), "protection": ("保护类别", "Protection class"), "condition": ("现状", "Condition"),
    "fixtures": ("附属设施", "Fixtures"), "storage_date": ("收储日期", "Stored on"),
    "current_use": ("现用途", "Current use"), "contract_no": ("合同编号", "Contract number"),
    "terminated_on": ("解除日期", "Terminated on"), "termination_reason": ("解除原因", "Termination reason"),
    "lessee_name": ("承租方", "Lessee"), "lessee_representative": ("承租方代表", "Lessee representative"),
    "lessee_address": ("承租方地址", "Lessee address"), "version": ("版本", "Version (1 = as signed)"),
    "signed_on": ("签订日期", "Signed on"), "start": ("起租日期", "Lease start"),
    "term_months": ("租期（月）", "Term in months"), "base_annual_rent_fen": ("基础年租金（分）", "Base annual rent, fen"),
    "step_percent": ("递增比例（%）", "Step-up percent (decimal string)"),
    "step_interval_years": ("递增间隔（年）", "Step-up interval in years"), "compounding": ("复利递增", "Compounding"),
    "frequency": ("支付周期", "Payment frequency: annual / semiannual / quarterly / monthly"), "due_day": ("付款日", "Day due"),
    "deposit_fen": ("押金（分）", "Deposit, fen"), "sublet_consent": ("同意转租", "Sublet consent (第716条)"),
    "improvement_consent": ("同意改善", "Improvement consent (第715条)"), "uses": ("用途", "Permitted uses"),
    "renewal_terms": ("续租条款", "Renewal terms"), "early_termination": ("提前解除", "Early termination"),
    "paid_on": ("支付日期", "Paid on"), "amount_fen": ("金额（分）", "Amount, fen"), "paid_by": ("经办人", "Paid by (staff)"),
    "received_by": ("收款人", "Received by (masked unless full personal data)"), "voided": ("已作废", "Voided"),
    "void_reason": ("作废原因", "Why voided"), "start_date": ("开始日期", "Start date"), "end_date": ("结束日期", "End date"),
    "cost_fen": ("费用（分）", "Cost, fen"), "funding_source": ("资金来源", "Funding source"),
    "resident_participation": ("居民参与", "Resident participation"), "operator_name": ("经营者", "Business operator"),
    "business_type": ("业态类型", "Business type"), "heritage_project": ("非遗项目", "Intangible heritage project"),
    "annual_rent_fen": ("年租金（分）", "Annual sublease rent, fen"),
    "sha256": ("内容校验值", "SHA-256 of the content: the file attachments/<sha256> of the bundle"),
    "original_name": ("原文件名", "The file's name when it was attached"), "mime_type": ("文件类型", "MIME type"),
    "size": ("大小（字节）", "Size in bytes"), "caption": ("说明", "Caption"),
    "owner_table": ("所属记录类型", "The owner's table (of a record type of the bundle)"),
    "owner_uuid": ("所属记录", "The record it is attached to (UUID; its type is owner_table)"),
}
TYPE_FIELD_LABELS: dict[str, tuple[str, str]] = {
    "people.name": ("姓名", "Name (masked 张* unless full personal data)"),
    "meeting_attendees.name": ("姓名", "Name (masked unless full personal data)"),
    "orders.remarks": ("意见建议", "Remarks written on the form"),
    "projects.stage": ("项目阶段", "Stage (code list)"),
    "projects.description": ("项目概况（范围与规模）", "Scope and figures of the project"),
    "menu_items.item_uuid": ("菜单项", "Menu item (UUID)"),
    "motions.item_uuid": ("所属议程", "The agenda item (UUID)"),
    "meeting_speeches.item_uuid": ("所属议程", "The agenda item (UUID)"),
    "construction_parties.kind": ("单位类别", "Kind of party"),
    "supervision_problems.works": ("工程（验收范围）", "Works package"),
    "acceptances.works": ("验收范围", "Works package accepted; empty = the whole project"),
    "businesses.note": ("备注", "Note"),
    "inspections.notes": ("巡查记录", "Notes of the inspection"),
}


def label(record_type: str, name: str) -> tuple[str, str]:
    return TYPE_FIELD_LABELS.get(f"{record_type}.{name}") or FIELD_LABELS.get(name) or (name, name)


def ref_field(column: str) -> str:
    """`project_id` -> `project_uuid`, `building_ids` -> `building_uuids`."""
    if column.endswith("_ids"):
        return column[:-4] + "_uuids"
    return column[:-3] + "_uuid"


def all_tables() -> dict[str, Table]:
    return dict(Base.metadata.tables)


@dataclass(frozen=True)
class Field:
    """One field of a record type: its JSON name and kind, and where its value comes from."""

    name: str
    kind: str  # uuid, utc, datetime, date, decimal, int, bool, str, ref, owner, reflist, values, objects, base
    column: str = ""  # source column of the record's table ("" for links and bookkeeping)
    target: str = ""  # referenced table (ref, reflist)
    nullable: bool = False
    max_length: int | None = None
    personal: str = ""
    codes: tuple[str, ...] = ()
    link: Link | None = None
    since: str = ""  # the migration that added the column after the format's first release ("" = from the start)

    @property
    def optional(self) -> bool:
        """A field added later: a bundle written before it may leave it out (the column default is used)."""
        return bool(self.since)


# Columns added by later migrations: bundles written before them lack the field, and are still read
# (the field is optional in the schema; the column default fills it on import).
LATER_COLUMNS: dict[str, dict[str, str]] = {
    "motion": {"scope": "0012", "scope_building_ids": "0012", "scope_unit_ids": "0012"},
    "designer_response": {"voided": "0013", "void_reason": "0013"},
}

# Values stored before migrations 0020 / 0022 / 0023 made them ASCII codes (the Chinese labels were the values then): a
# bundle written before it carries them, and they are read as the codes. {record type: {field: {old: code}}}.
# Written out, not derived from the label tables: a label renamed later must still read the old bundles.
_RECTIFICATION_THEN = {"待发通知": State.PENDING.value, "已发通知": State.NOTIFIED.value, "已回复": State.REPLIED.value,
                       "复查通过": State.PASSED.value, "复查未通过": State.FAILED.value, "已关闭": State.CLOSED.value}
_OPINION_STATUS_THEN = {"提出": OpinionStatus.RAISED.value, "已回复": OpinionStatus.ANSWERED.value,
                        "已采纳": OpinionStatus.ADOPTED.value, "部分采纳": OpinionStatus.PARTLY.value,
                        "未采纳": OpinionStatus.NOT_ADOPTED.value}
_TIER_THEN = {"基础类": Tier.BASIC.value, "完善类": Tier.IMPROVE.value, "提升类": Tier.BETTER.value}
OLD_CODES: dict[str, dict[str, dict[str, str]]] = {
    "designer_appointments": {"status": {"在任": AppointmentStatus.ACTIVE.value,
                                         "已离任": AppointmentStatus.ENDED.value}},
    "motions": {"state": {"待表决": MotionState.DRAFT.value, "表决中": MotionState.VOTING.value,
                          "已表决": MotionState.DECIDED.value}},
    # before 0022 (enum21b: meetings, attendees, tasks)
    "meetings": {"kind": {"居民议事会": MeetingKind.COUNCIL.value, "业主大会": MeetingKind.OWNERS.value,
                          "听证会": MeetingKind.HEARING.value, "协调会": MeetingKind.COORDINATION.value,
                          "评议会": MeetingKind.REVIEW.value, "其他": MeetingKind.OTHER.value},
                 "status": {"筹备中": MeetingStatus.PLANNED.value, "进行中": MeetingStatus.RUNNING.value,
                            "已结束": MeetingStatus.ENDED.value}},
    "meeting_attendees": {"category": {"居民": Category.RESIDENT.value, "党员": Category.PARTY.value,
                                       "企业": Category.ENTERPRISE.value, "物业": Category.PROPERTY.value,
                                       "部门": Category.DEPARTMENT.value, "设计师": Category.DESIGNER.value,
                                       "施工单位": Category.BUILDER.value, "其他": Category.OTHER.value}},
    "followup_tasks": {"status": {"待办": TaskStatus.OPEN.value, "进行中": TaskStatus.DOING.value,
                                  "已完成": TaskStatus.DONE.value, "已取消": TaskStatus.CANCELLED.value}},
    "supervision_problems": {"state": _RECTIFICATION_THEN},
    "problem_transitions": {"from_state": _RECTIFICATION_THEN, "to_state": _RECTIFICATION_THEN},
    "menu_items": {"tier": _TIER_THEN},
    "ordering_results": {"tier": _TIER_THEN},
    "ordering_rounds": {"state": {"草稿": RoundState.DRAFT.value, "征集中": RoundState.OPEN.value,
                                  "已截止": RoundState.CLOSED.value, "已公示": RoundState.PUBLISHED.value}},
    "orders": {"filled_by": {"业主本人": FilledBy.OWNER.value, "家庭成员": FilledBy.FAMILY.value,
                             "代理人": FilledBy.PROXY.value},
               "channel": {"纸质表": Channel.PAPER.value, "入户": Channel.DOOR.value, "会议": Channel.MEETING.value,
                           "电话": Channel.PHONE.value}},
    # before 0023 (enum21c: projects, rent-storage, designer opinions)
    "projects": {"project_type": {"居住区综合改善类": ProjectType.RESIDENTIAL.value,
                                  "产业区聚能增效类": ProjectType.INDUSTRIAL.value,
                                  "城市设施提档升级类": ProjectType.FACILITIES.value,
                                  "公共空间品质提升类": ProjectType.PUBLIC_SPACE.value,
                                  "文化传承及特色风貌塑造类": ProjectType.HERITAGE.value,
                                  "复合空间统筹优化类": ProjectType.COMPOSITE.value,
                                  "数字化智慧赋能类": ProjectType.DIGITAL.value, "其他": ProjectType.OTHER.value},
                 "stage": {"储备": ProjectStage.RESERVE.value, "入库": ProjectStage.LISTED.value,
                           "开工": ProjectStage.STARTED.value, "完工": ProjectStage.COMPLETED.value,
                           "验收": ProjectStage.ACCEPTED.value, "运营": ProjectStage.OPERATING.value}},
    "stored_houses": {"protection": {"文物": Protection.RELIC.value, "历史建筑": Protection.HISTORIC.value,
                                     "传统风貌": Protection.TRADITIONAL.value, "无": Protection.NONE.value}},
    "lease_contracts": {"status": {"生效": ContractStatus.ACTIVE.value, "已解除": ContractStatus.TERMINATED.value,
                                   "已续签": ContractStatus.RENEWED.value}},
    "designer_opinions": {"stage": {"设计": Stage.DESIGN.value, "施工": Stage.CONSTRUCTION.value,
                                    "业态引入": Stage.BUSINESS.value, "运营管理": Stage.OPERATION.value},
                          "status": _OPINION_STATUS_THEN,
                          "stakeholders": {"商户": Stakeholder.MERCHANTS.value, "居民": Stakeholder.RESIDENTS.value,
                                           "游客": Stakeholder.VISITORS.value,
                                           "实施主体": Stakeholder.IMPLEMENTER.value}},
    "designer_responses": {"status": _OPINION_STATUS_THEN},
    # before 0025 (the supervision team's party kinds, problem categories and severities; the problems' states
    # are above, since 0022)
    "construction_parties": {"kind": {words[0]: code for code, words in PARTY_KIND_LABELS.items()}},
}
OLD_CODES["supervision_problems"] = {**OLD_CODES["supervision_problems"],
                                     "category": {words[0]: code for code, words in PROBLEM_CATEGORY_LABELS.items()},
                                     "severity": {words[0]: code for code, words in SEVERITY_LABELS.items()}}
# fields of OLD_CODES that hold a comma-joined list of the old labels, each part mapped ("商户,居民")
OLD_CODE_LISTS: dict[str, frozenset[str]] = {"designer_opinions": frozenset({"stakeholders"})}


# What a code means in Chinese, for the workbook's field sheet (代码表: "planned（筹备中）"): the cells hold the
# codes, as the JSON Lines do. {(record type, field): label table}. 0022 (enum21b):
CODE_WORDS: dict[tuple[str, str], dict] = {
    ("meetings", "kind"): MEETING_KIND_LABELS, ("meetings", "status"): MEETING_STATUS_LABELS,
    ("meeting_attendees", "category"): CATEGORY_LABELS, ("followup_tasks", "status"): TASK_STATUS_LABELS,
    ("supervision_problems", "state"): STATE_LABELS, ("problem_transitions", "to_state"): STATE_LABELS,
    ("menu_items", "tier"): TIER_LABELS, ("ordering_results", "tier"): TIER_LABELS,
    ("ordering_rounds", "state"): ROUND_STATE_LABELS, ("orders", "filled_by"): FILLED_BY_LABELS,
    ("orders", "channel"): CHANNEL_LABELS,
    # 0023 (enum21c)
    ("projects", "project_type"): PROJECT_TYPE_LABELS, ("projects", "stage"): PROJECT_STAGE_LABELS,
    ("stored_houses", "protection"): PROTECTION_LABELS, ("lease_contracts", "status"): CONTRACT_STATUS_LABELS,
    ("designer_opinions", "stage"): STAGE_LABELS, ("designer_opinions", "status"): OPINION_STATUS_LABELS,
    ("designer_responses", "status"): OPINION_STATUS_LABELS,
    # 0025
    ("construction_parties", "kind"): PARTY_KIND_LABELS, ("supervision_problems", "category"): PROBLEM_CATEGORY_LABELS,
    ("supervision_problems", "severity"): SEVERITY_LABELS,
}


# codes a person reads beside CODE_WORDS' (those tables are the workbook's 代码表 since 0022/0023)
_MORE_WORDS: dict[tuple[str, str], dict] = {("households", "area_source"): AREA_SOURCE_LABELS,
                                             ("designer_opinions", "stakeholders"): STAKEHOLDER_LABELS}
_YES_NO = {True: ("是", "yes"), False: ("否", "no")}


def value_words(record_type: str, field_name: str, value, lang: str = "zh") -> str:
    """A bundle field's value as a person reads it (the conflict dialog's two versions): a code in words, a
    list of codes part by part, yes/no for a flag, nothing for an empty value; anything else as it is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _YES_NO[value][1 if lang.startswith("en") else 0]
    labels = CODE_WORDS.get((record_type, field_name)) or _MORE_WORDS.get((record_type, field_name))
    if labels and isinstance(value, str):
        if field_name in OLD_CODE_LISTS.get(record_type, ()):
            return "、".join(code_label(labels, part, lang) for part in value.split(",") if part)
        return code_label(labels, value, lang)
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def code_words(record_type: str, field_name: str, codes) -> list[str]:
    """The allowed codes of a field, each with its Chinese label where it has one."""
    labels = CODE_WORDS.get((record_type, field_name), {})
    return [f"{c}（{labels[c][0]}）" if c in labels else c for c in codes]


def field_default(rt: "RecordType", f: Field):
    """The JSON value of a later field's column default, for a record that leaves the field out."""
    if f.kind in ("reflist", "values", "objects"):
        return []
    column = rt.table.columns[f.column]
    default = column.default.arg if column.default is not None else None
    if callable(default) or default is None:
        raise ValueError(f"{rt.name}.{f.name}: a later field needs a plain column default")
    return default


def _kind(column) -> str:
    from sqlalchemy import Boolean, Date, DateTime, Integer

    from ..models.base import DecimalText, UtcDateTime

    t = column.type
    if isinstance(t, DecimalText):
        return "decimal"
    if isinstance(t, UtcDateTime):
        return "utc"
    if isinstance(t, Boolean):
        return "bool"
    if isinstance(t, DateTime):
        return "datetime"
    if isinstance(t, Date):
        return "date"
    if isinstance(t, Integer):
        return "int"
    return "str"


_FIELDS: dict[str, tuple[Field, ...]] = {}


def fields(rt: RecordType) -> tuple[Field, ...]:
    """The fields of a record type, in file and column order."""
    cached = _FIELDS.get(rt.name)
    if cached is not None:
        return cached
    out = [Field("uuid", "uuid", "uuid"), Field("created_at", "utc", "created_at"),
           Field("updated_at", "utc", "updated_at")]
    for col in rt.table.columns:
        if col.name in ("id", "uuid", "created_at", "updated_at") or col.name in rt.exclude:
            continue
        since = LATER_COLUMNS.get(rt.table.name, {}).get(col.name, "")
        fks = list(col.foreign_keys)
        if rt.owner and col.name == rt.owner[1]:
            out.append(Field(ref_field(col.name), "owner", col.name, "", False))
        elif fks:
            out.append(Field(ref_field(col.name), "ref", col.name, fks[0].column.table.name, bool(col.nullable)))
        elif col.name in rt.soft_refs:
            out.append(Field(ref_field(col.name), "ref", col.name, rt.soft_refs[col.name], True))
        elif col.name in rt.id_lists:
            out.append(Field(ref_field(col.name), "reflist", col.name, rt.id_lists[col.name], since=since))
        else:
            kind = _kind(col)
            length = getattr(col.type, "length", None) if kind == "str" else None
            out.append(Field(col.name, kind, col.name, "", bool(col.nullable), length,
                             rt.personal.get(col.name, ""), tuple(rt.codes.get(col.name, ())), since=since))
    for link in rt.links:
        if link.columns:
            out.append(Field(link.field, "objects", link=link))
        elif link.target:
            out.append(Field(link.field, "reflist", target=link.target, link=link))
        else:
            out.append(Field(link.field, "values", link=link, codes=ROLE_CODES if link.field == "roles" else ()))
    out.append(Field("base_updated_at", "base", nullable=True))
    result = tuple(out)
    _FIELDS[rt.name] = result
    return result


@dataclass(frozen=True)
class DerivedType:
    """Figures computed from records (not records themselves): exported for the recipient, validated and
    documented like records, never imported (the receiving laptop computes its own)."""

    name: str
    zh: str
    en: str
    fields: tuple[Field, ...]


def _derived_ordering_results() -> DerivedType:
    f = Field
    return DerivedType("ordering_results", "点单结果", "Ordering results: per round and menu item", (
        f("round_uuid", "ref", target="ordering_round"), f("item_uuid", "ref", target="menu_item"),
        f("item_name", "str", max_length=100), f("tier", "str", max_length=10, codes=_values(Tier)),
        f("eligible_households", "int"), f("answered_households", "int"), f("households", "int"),
        f("share_of_all", "decimal"), f("share_of_answered", "decimal"), f("area", "decimal"),
        f("share_of_area", "decimal"), f("priority_1", "int"), f("priority_2", "int"), f("priority_3", "int"),
        f("rank_in_tier", "int"), f("computed_at", "utc")))


DERIVED_TYPES: tuple[DerivedType, ...] = (_derived_ordering_results(),)
DERIVED_BY_NAME = {d.name: d for d in DERIVED_TYPES}
TYPE_FIELD_LABELS.update({
    "ordering_results.round_uuid": ("点单轮次", "The ordering round (UUID)"),
    "ordering_results.item_uuid": ("菜单项", "The menu item (UUID)"),
    "ordering_results.item_name": ("项目名称", "Name of the menu item"),
    "ordering_results.eligible_households": ("应参与户数", "Households in the round's scope"),
    "ordering_results.answered_households": ("已答复户数", "Households that answered"),
    "ordering_results.households": ("选择户数", "Households choosing the item (for consent items: voting yes)"),
    "ordering_results.share_of_all": ("占应参与户比例", "Share of the households in scope (decimal, 0–1)"),
    "ordering_results.share_of_answered": ("占答复户比例", "Share of the households that answered (decimal, 0–1)"),
    "ordering_results.area": ("选择户专有面积（㎡）", "Exclusive area of the households choosing it, m², decimal"),
    "ordering_results.share_of_area": ("面积占比", "Share of the exclusive area in scope (decimal, 0–1)"),
    "ordering_results.priority_1": ("优先级1户数", "Households giving it priority 1 (most wanted)"),
    "ordering_results.priority_2": ("优先级2户数", "Households giving it priority 2"),
    "ordering_results.priority_3": ("优先级3户数", "Households giving it priority 3"),
    "ordering_results.rank_in_tier": ("层级内排名", "Rank within its tier by households choosing it"),
    "ordering_results.computed_at": ("统计时间", "When the figures were computed (UTC)"),
})


def all_fields(t) -> tuple[Field, ...]:
    """Fields of a record type or a derived type."""
    return t.fields if isinstance(t, DerivedType) else fields(t)
