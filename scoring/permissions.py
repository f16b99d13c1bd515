"""Who may do what: the one place where scoring checks permissions.

For now every named actor may do everything (access control comes in a later issue).
Roles will be added here: e.g. a unit's staff may self-assess and explain for their own
unit only, the Department of Home Affairs (Sở Nội vụ) appraises, an administrator loads
definitions. Every workflow function calls `authorize` before it writes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Action(StrEnum):
    SELF_ASSESS = "self_assess"  # tự đánh giá
    LOCK = "lock"  # khóa tự đánh giá
    UNLOCK = "unlock"  # mở khóa (trả lại để sửa)
    APPRAISE_1 = "appraise_1"  # thẩm định lần 1
    EXPLAIN = "explain"  # giải trình
    APPRAISE_2 = "appraise_2"  # thẩm định lần 2
    SURVEY = "survey"  # nhập kết quả điều tra xã hội học
    ADJUST = "adjust"  # điểm thưởng, điểm trừ
    LOAD_DEFINITION = "load_definition"  # nạp bộ chỉ số


@dataclass(frozen=True)
class Actor:
    """Whoever makes a change: a person (from the web session later) or a process."""

    name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    unit_code: str | None = None  # the unit the person belongs to, when any


SYSTEM = Actor("hệ thống")


class PermissionDenied(PermissionError):
    pass


def authorize(actor: Actor, action: Action, unit_code: str | None = None) -> None:
    """Raise PermissionDenied when the actor may not do `action` for the unit."""
    if not isinstance(actor, Actor) or not actor.name.strip():
        raise PermissionDenied("Thiếu người thực hiện: mọi thay đổi điểm phải ghi rõ ai thực hiện.")
    if len(actor.name) > 200:
        raise PermissionDenied("Tên người thực hiện dài quá 200 ký tự.")
