"""Who may do what: the one place where writes and restricted reads are checked.

Roles (vai trò) an account can hold, several at once:
- leader (Lãnh đạo): reads everything, writes nothing;
- unit_staff (Cán bộ đơn vị): self-assessment, lock and explanation for its own unit only;
  reads its unit's provisional scores, dossier lists and officials' statistics;
- appraiser (Thẩm định, Sở Nội vụ): appraisal 1 and 2, survey results, bonus/penalty,
  unlock; reads everything;
- admin (Quản trị): accounts, loading index definitions, imports; nothing else implied
  (an administrator who also appraises holds both roles).
A kiosk (the wall display) reads what the wall shows, as a leader sees it (figures and
scores, provisional ones included), never lists of dossiers or of officials, nor the audit.
Anonymous visitors (Công chúng) read the aggregated figures and the published (final)
results when PUBLIC_ACCESS is `map` (the default); with `none` everything needs a login.

Every write calls `authorize(actor, action, unit)`; every restricted read asks
`may_read(actor, what, unit)` (or `require_read`, which raises). The `Actor` comes from
the logged-in account (accounts.store.actor_of) or is one of the two trusted processes
below (the command line run by whoever holds the database, the demo data); there is no
free-text actor.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    LEADER = "leader"
    UNIT_STAFF = "unit_staff"
    APPRAISER = "appraiser"
    ADMIN = "admin"


PUBLIC_LABEL = "Công chúng"
ROLE_LABELS = {
    Role.LEADER: "Lãnh đạo",
    Role.UNIT_STAFF: "Cán bộ đơn vị",
    Role.APPRAISER: "Thẩm định",
    Role.ADMIN: "Quản trị",
}


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
    MANAGE_ACCOUNTS = "manage_accounts"  # quản lý tài khoản
    IMPORT_DATA = "import_data"  # nhập dữ liệu qua giao diện web


ACTION_LABELS = {
    Action.SELF_ASSESS: "tự đánh giá",
    Action.LOCK: "khóa bản tự đánh giá",
    Action.UNLOCK: "mở khóa bản tự đánh giá",
    Action.APPRAISE_1: "thẩm định lần 1",
    Action.EXPLAIN: "giải trình",
    Action.APPRAISE_2: "thẩm định lần 2",
    Action.SURVEY: "nhập kết quả điều tra xã hội học",
    Action.ADJUST: "nhập điểm thưởng, điểm trừ",
    Action.LOAD_DEFINITION: "nạp bộ chỉ số",
    Action.MANAGE_ACCOUNTS: "quản lý tài khoản",
    Action.IMPORT_DATA: "nhập dữ liệu",
}

# The role each action needs; the unit's own actions also need the actor's unit.
ACTION_ROLE = {
    Action.SELF_ASSESS: Role.UNIT_STAFF,
    Action.LOCK: Role.UNIT_STAFF,
    Action.EXPLAIN: Role.UNIT_STAFF,
    Action.UNLOCK: Role.APPRAISER,
    Action.APPRAISE_1: Role.APPRAISER,
    Action.APPRAISE_2: Role.APPRAISER,
    Action.SURVEY: Role.APPRAISER,
    Action.ADJUST: Role.APPRAISER,
    Action.LOAD_DEFINITION: Role.ADMIN,
    Action.MANAGE_ACCOUNTS: Role.ADMIN,
    Action.IMPORT_DATA: Role.ADMIN,
}
OWN_UNIT_ACTIONS = frozenset({Action.SELF_ASSESS, Action.LOCK, Action.EXPLAIN})


class Read(StrEnum):
    """What a read can be, from public to restricted."""

    FIGURES = "figures"  # map, rankings, trends, wall, Biểu 06: aggregated figures
    PUBLISHED_RESULTS = "published_results"  # PAR results where every score is final
    PROVISIONAL_SCORES = "provisional_scores"  # scores still in the workflow
    DOSSIER_LISTS = "dossier_lists"  # drill-through and overdue lists of dossiers
    OFFICIALS_STATS = "officials_stats"  # statistics per official (handler_id)
    HANDLER_NAMES = "handler_names"  # the names behind the handler ids
    AUDIT = "audit"  # the audit trail


READ_LABELS = {
    Read.FIGURES: "số liệu tổng hợp",
    Read.PUBLISHED_RESULTS: "kết quả chỉ số đã công bố",
    Read.PROVISIONAL_SCORES: "điểm tạm tính",
    Read.DOSSIER_LISTS: "danh sách hồ sơ",
    Read.OFFICIALS_STATS: "thống kê theo cán bộ, công chức",
    Read.HANDLER_NAMES: "họ tên cán bộ xử lý",
    Read.AUDIT: "nhật ký hệ thống",
}
PUBLIC_READS = frozenset({Read.FIGURES, Read.PUBLISHED_RESULTS})
KIOSK_READS = frozenset({Read.PROVISIONAL_SCORES})  # besides the public reads: the leader's scores
UNIT_READS = frozenset(
    {Read.PROVISIONAL_SCORES, Read.DOSSIER_LISTS, Read.OFFICIALS_STATS, Read.HANDLER_NAMES}
)


@dataclass(frozen=True)
class Actor:
    """Whoever makes a change or asks for data: a logged-in account (name = its user name,
    which the history and the audit trail record), a kiosk, or a trusted process."""

    name: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    unit_code: str | None = None  # a staff account's unit (agency code)
    address: str | None = None  # the client's address, for the audit trail
    system: bool = False  # the command line or the demo data: every action allowed
    kiosk: bool = False  # a wall display logged in with a kiosk token: leader's view, read-only

    def has(self, role: Role) -> bool:
        return role in self.roles

    @property
    def role_text(self) -> str:
        return ", ".join(ROLE_LABELS[r] for r in Role if r in self.roles) or "không có vai trò"


SERVER_CONSOLE = "máy chủ (dòng lệnh)"  # the address the audit trail gives the command line
SYSTEM = Actor("hệ thống", system=True)
COMMAND_LINE = Actor("dòng lệnh", address=SERVER_CONSOLE, system=True)


class PermissionDenied(PermissionError):
    """Refused: the message (Vietnamese) says who lacks what."""


def authorize(actor: Actor | None, action: Action, unit_code: str | None = None) -> None:
    """Raise PermissionDenied when the actor may not do `action` (for the unit, when given)."""
    what = ACTION_LABELS[action]
    if actor is None:
        raise PermissionDenied(f"Cần đăng nhập để {what}.")
    if not isinstance(actor, Actor) or not actor.name.strip():
        raise PermissionDenied("Thiếu người thực hiện: mọi thay đổi điểm phải ghi rõ ai thực hiện.")
    if len(actor.name) > 200:
        raise PermissionDenied("Tên người thực hiện dài quá 200 ký tự.")
    if actor.system:
        return
    needed = ACTION_ROLE[action]
    if actor.kiosk or not actor.has(needed):
        raise PermissionDenied(
            f"Tài khoản {actor.name} ({actor.role_text}) không có quyền {what}: "
            f"cần vai trò {ROLE_LABELS[needed]}."
        )
    if action in OWN_UNIT_ACTIONS and unit_code is not None and actor.unit_code != unit_code:
        own = f"đơn vị {actor.unit_code}" if actor.unit_code else "chưa gắn với đơn vị nào"
        raise PermissionDenied(
            f"Tài khoản {actor.name} thuộc {own}: không được {what} cho đơn vị {unit_code}."
        )


def may_read(
    actor: Actor | None, what: Read, unit_code: str | None = None, public_access: str = "map"
) -> bool:
    """Whether the actor may see `what` (of the unit, when the data is one unit's)."""
    if what in PUBLIC_READS:
        return actor is not None or public_access == "map"
    if actor is None:
        return False
    if actor.system:
        return True
    if what is Read.AUDIT:  # Quản trị and Lãnh đạo; not the wall display
        return not actor.kiosk and (actor.has(Role.ADMIN) or actor.has(Role.LEADER))
    if actor.kiosk:  # the wall shows figures and scores, never lists of dossiers or of officials
        return what in KIOSK_READS
    if actor.has(Role.LEADER) or actor.has(Role.APPRAISER):
        return True
    return (
        what in UNIT_READS
        and actor.has(Role.UNIT_STAFF)
        and unit_code is not None
        and actor.unit_code == unit_code
    )


def require_read(
    actor: Actor | None, what: Read, unit_code: str | None = None, public_access: str = "map"
) -> None:
    """Raise PermissionDenied unless `may_read`."""
    if may_read(actor, what, unit_code, public_access):
        return
    label = READ_LABELS[what]
    if actor is None:
        raise PermissionDenied(f"Cần đăng nhập để xem {label}.")
    scope = f" của đơn vị {unit_code}" if unit_code else ""
    raise PermissionDenied(f"Tài khoản {actor.name} ({actor.role_text}) không được xem {label}{scope}.")


def parse_roles(texts: Iterable[str]) -> frozenset[Role]:
    """Role codes as typed (leader, unit_staff, appraiser, admin); ValueError names a bad one."""
    roles: set[Role] = set()
    for text in texts:
        try:
            roles.add(Role(text.strip().lower()))
        except ValueError:
            allowed = ", ".join(f"{r.value} ({ROLE_LABELS[r]})" for r in Role)
            raise ValueError(f"Vai trò '{text}' không có; các vai trò: {allowed}.") from None
    return frozenset(roles)
