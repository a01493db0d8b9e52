"""Tables in words (住户, 整改通知 …) for messages and the audit view: below db and services, so an edit
conflict raised by core.db can name the record without importing a service."""
from __future__ import annotations

from .exchange import spec

# Tables that are not exchanged record types (those take their names from the bundle's spec).
OTHER_TABLES = {
    "audit_log": ("审计日志", "audit log"), "operator": ("账户", "account"), "setting": ("设置", "setting"),
    "attachment": ("附件", "attachment"), "exchange_log": ("导出导入记录", "export/import log"),
    "exchange_sync_state": ("同步状态", "sync state"), "exchange_conflict": ("导入冲突", "import conflict"),
    "person_role": ("人员角色", "person's role"), "database": ("数据库", "database"),
    "house_owner": ("房屋产权人", "house owner"), "inspection_participant": ("巡查参加人员", "inspection participant"),
    "lease_lessor": ("合同出租人", "lease lessor"), "order_choice": ("点单选项", "order choice"),
}


def table_label(table: str, lang: str = "zh") -> str:
    """A table in words: 住户, 整改通知 … (the exchange spec names every record type), else the table name."""
    rt = spec.BY_TABLE.get(table)
    zh, en = (rt.zh, rt.en) if rt is not None else OTHER_TABLES.get(table, (table, table))
    return en if lang.startswith("en") else zh
