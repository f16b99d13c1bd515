"""The audit trail (nhật ký hệ thống): one append-only table of who did what, when, from where.

Written in the transaction of the change it describes (a score written and its audit row
commit or roll back together). Nothing in the product updates or deletes a row, and the
database refuses it too (triggers of migration accounts_0001). Times are local
(Asia/Ho_Chi_Minh). Passwords never appear: login events carry the user name only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import Connection, Select, insert, select

from accounts.permissions import Actor
from clock import now_local
from db.schema_accounts import audit_log
from spreadsheet_safety import csv_bytes

MAX_DETAIL = 20_000


class AuditAction(StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGIN_REFUSED = "login_refused"  # locked out, or a disabled account
    LOCKOUT = "lockout"
    LOGOUT = "logout"
    KIOSK_LOGIN = "kiosk_login"
    SCORE_WRITE = "score_write"
    LOCK = "lock"
    UNLOCK = "unlock"
    DEFINITION_LOAD = "definition_load"
    IMPORT = "import"
    EXPORT = "export"  # restricted data written to a file or downloaded
    ACCOUNT_ADD = "account_add"
    ACCOUNT_DISABLE = "account_disable"
    ACCOUNT_PASSWORD = "account_password"
    KIOSK_TOKEN_ADD = "kiosk_token_add"
    KIOSK_TOKEN_REVOKE = "kiosk_token_revoke"


ACTION_LABELS = {
    AuditAction.LOGIN: "Đăng nhập",
    AuditAction.LOGIN_FAILED: "Đăng nhập sai",
    AuditAction.LOGIN_REFUSED: "Từ chối đăng nhập",
    AuditAction.LOCKOUT: "Tạm khóa đăng nhập",
    AuditAction.LOGOUT: "Đăng xuất",
    AuditAction.KIOSK_LOGIN: "Màn hình trình chiếu đăng nhập",
    AuditAction.SCORE_WRITE: "Ghi điểm",
    AuditAction.LOCK: "Khóa tự đánh giá",
    AuditAction.UNLOCK: "Mở khóa tự đánh giá",
    AuditAction.DEFINITION_LOAD: "Nạp bộ chỉ số",
    AuditAction.IMPORT: "Nhập dữ liệu",
    AuditAction.EXPORT: "Xuất dữ liệu hạn chế",
    AuditAction.ACCOUNT_ADD: "Thêm tài khoản",
    AuditAction.ACCOUNT_DISABLE: "Vô hiệu hóa tài khoản",
    AuditAction.ACCOUNT_PASSWORD: "Đổi mật khẩu",
    AuditAction.KIOSK_TOKEN_ADD: "Tạo mã màn hình trình chiếu",
    AuditAction.KIOSK_TOKEN_REVOKE: "Thu hồi mã màn hình trình chiếu",
}
CSV_HEADER = ("Số", "Thời gian", "Tài khoản", "Địa chỉ", "Mã hành động", "Hành động", "Đối tượng", "Chi tiết")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    account: str | None
    address: str | None
    action: str
    target: str | None
    detail: str | None

    @property
    def action_label(self) -> str:
        try:
            return ACTION_LABELS[AuditAction(self.action)]
        except ValueError:
            return self.action


def record(
    conn: Connection,
    action: AuditAction,
    actor: Actor | None = None,
    target: str | None = None,
    detail: str | None = None,
    *,
    account: str | None = None,
    address: str | None = None,
    when: datetime | None = None,
) -> None:
    """Append one row. The account and address are the actor's; `account` / `address` name
    them when there is no actor (a failed login names the user name that was typed)."""
    conn.execute(
        insert(audit_log).values(
            at=when or now_local(),
            account=(actor.name if actor is not None else account),
            address=(actor.address if actor is not None and actor.address else address),
            action=str(action),
            target=target,
            detail=None if detail is None else detail[:MAX_DETAIL],
        )
    )


def _query(since: date | datetime | None, account: str | None) -> Select:
    a = audit_log.c
    query = select(audit_log)
    if since is not None:
        start = since if isinstance(since, datetime) else datetime.combine(since, time.min)
        query = query.where(a.at >= start)
    if account is not None:
        query = query.where(a.account == account)
    return query


def entries(
    conn: Connection,
    since: date | datetime | None = None,
    account: str | None = None,
    *,
    newest_first: bool = False,
    limit: int | None = None,
) -> list[AuditEntry]:
    """Rows from `since` (a day: from its start), of one account when given."""
    a = audit_log.c
    query = _query(since, account).order_by(a.id.desc() if newest_first else a.id)
    if limit is not None:
        query = query.limit(limit)
    return [AuditEntry(**r._mapping) for r in conn.execute(query)]


def iter_entries(
    conn: Connection, since: date | datetime | None, account: str | None
) -> Iterator[AuditEntry]:
    """Every matching row, oldest first, streamed (for the CSV export)."""
    query = _query(since, account).order_by(audit_log.c.id).execution_options(yield_per=2000)
    for r in conn.execute(query):
        yield AuditEntry(**r._mapping)


def audit_csv(rows: Iterator[AuditEntry] | list[AuditEntry]) -> bytes:
    """The rows as CSV (Vietnamese headers, dd/mm/yyyy HH:MM:SS, cells safe for spreadsheets)."""
    return csv_bytes(
        CSV_HEADER,
        (
            [
                e.id,
                f"{e.at:%d/%m/%Y %H:%M:%S}",
                e.account or "(ẩn danh)",
                e.address or "",
                e.action,
                e.action_label,
                e.target or "",
                e.detail or "",
            ]
            for e in rows
        ),
    )
