"""What every service shares: fetching a record or refusing in words, and the delete guard for records
the law or the residents need kept."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import DesignerAppointment, HouseOwner, LeaseLessor, Person, Supervisor
from ..problems import InputError, Problem, declare

E_NOT_FOUND = declare("record.not_found", "找不到该{kind}（编号 {id}），可能已被删除",
                      "{kind} {id} was not found; it may have been deleted")
E_HELD = declare("place.held", "不能删除：{what}。这些记录须保留，请先在相应栏目中处理",
                 "Cannot delete: {what}. Those records must be kept; deal with them in their section first")


def get_or_refuse(session: Session, model: Any, record_id: int | None, kind: str) -> Any:
    """The record `model` #record_id, or a refusal naming it in words ("找不到该合同（编号 7）")."""
    obj = session.get(model, record_id) if record_id is not None else None
    if obj is None:
        raise InputError(Problem(E_NOT_FOUND, {"kind": kind, "id": record_id}))
    return obj


def refuse_if_held(s: Session, blocks, people) -> None:
    """Refuse a delete that would take records the law or the residents need kept (the database's
    RESTRICT keys would refuse it anyway, with a message no user can read): a block's chief street
    designer history, and people who are house owners, lessors, supervisors or designers."""
    held = []
    if blocks is not None:
        n = s.scalar(select(func.count()).select_from(DesignerAppointment).where(DesignerAppointment.block_id.in_(blocks)))
        if n:
            held.append(f"片区有首席街长聘任及其走访、意见记录 {n} 条")
    checks = ((HouseOwner, "收储房屋的产权人"), (LeaseLessor, "租赁合同的出租人"), (Supervisor, "居民监督队队员"),
              (DesignerAppointment, "首席街长"))
    for model, role in checks:
        names = s.scalars(select(Person.name).join(model, model.person_id == Person.id)
                          .where(Person.id.in_(people)).distinct().limit(3)).all()
        if names:
            held.append(f"{'、'.join(names)} 是{role}")
    if held:
        raise InputError(Problem(E_HELD, {"what": "；".join(held)}))
