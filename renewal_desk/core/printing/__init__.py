"""Printouts (A4 PDF, reportlab, no Qt): one shared page template (template.py), the fonts with
fallbacks for rare characters (fonts.py), and one module per document.

`DOCUMENTS` names the printable documents (key -> Chinese, English title); services.printouts adds
how each is loaded, numbered and audited.
Loading a document's data from the database is the services' job; the modules here take plain
dataclasses (e.g. roster.BuildingRoster) and write a PDF.
"""

DOCUMENTS: dict[str, tuple[str, str]] = {
    "building-roster": ("楼栋住户花名册", "Building roster of households"),
    "lease-contract": ("房屋租赁合同（收储）", "Lease contract (rent-storage)"),
    "rent-schedule": ("租金支付计划表", "Rent payment schedule"),
    "rent-statement": ("租金对账单", "Rent statement"),
    "storage-register": ("收储房屋登记表", "Register of stored houses"),
    "ordering-form": ("居民点单表", "Ordering forms"),
    "ordering-notice": ("居民点单结果公示", "Ordering results notice"),
    "ordering-followup": ("未反馈住户走访清单", "Follow-up list"),
    "meeting-notice": ("会议通知", "Meeting notice"),
    "sign-in-sheet": ("会议签到表", "Sign-in sheet"),
    "meeting-minutes": ("会议记录", "Meeting minutes"),
    "resolution-notice": ("会议决议公示", "Resolution notice"),
    "ballot": ("表决票", "Named ballots"),
    "personal-notice": ("个人会议通知", "Personal meeting notices"),
    "designer-opinion": ("首席街长意见书", "Chief street designer's opinion"),
    "designer-journal": ("首席街长工作记录", "Chief street designer's journal of a block"),
    "rectification-notice": ("整改通知单", "Rectification notice"),
    "inspection-log": ("居民监督队巡查记录", "Inspection log"),
    "acceptance-form": ("工程验收记录表", "Acceptance form"),
    "supervision-report": ("居民监督工作报告", "Supervision report"),
}
