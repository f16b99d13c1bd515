"""The role rules of accounts.permissions, every role against every action and read
(written out from the issue's list of roles, not from the code's tables)."""

from __future__ import annotations

import pytest

from accounts.permissions import (
    COMMAND_LINE,
    Action,
    Actor,
    PermissionDenied,
    Read,
    Role,
    authorize,
    may_read,
    require_read,
)

LEADER = Actor("lanh.dao", frozenset({Role.LEADER}))
STAFF = Actor("cb.snv", frozenset({Role.UNIT_STAFF}), "SNV")
APPRAISER = Actor("tham.dinh", frozenset({Role.APPRAISER}))
ADMIN = Actor("quan.tri", frozenset({Role.ADMIN}))
NO_ROLE = Actor("khong.vai.tro")
KIOSK = Actor("kiosk:1 Phòng họp", frozenset({Role.LEADER}), kiosk=True)

# Who may do what, per the issue: unit staff the unit's own steps (own unit only), the
# appraisers the appraisal steps, survey, bonus/penalty and unlock, the administrator
# definitions, accounts and imports; leaders, kiosks and anonymous visitors nothing.
ALLOWED = {
    Action.SELF_ASSESS: {"staff"},
    Action.LOCK: {"staff"},
    Action.EXPLAIN: {"staff"},
    Action.UNLOCK: {"appraiser"},
    Action.APPRAISE_1: {"appraiser"},
    Action.APPRAISE_2: {"appraiser"},
    Action.SURVEY: {"appraiser"},
    Action.ADJUST: {"appraiser"},
    Action.LOAD_DEFINITION: {"admin"},
    Action.MANAGE_ACCOUNTS: {"admin"},
    Action.IMPORT_DATA: {"admin"},
}
ACTORS = {
    "anonymous": None,
    "leader": LEADER,
    "staff": STAFF,
    "appraiser": APPRAISER,
    "admin": ADMIN,
    "no_role": NO_ROLE,
    "kiosk": KIOSK,
}


def allowed(actor: Actor | None, action: Action, unit: str | None) -> bool:
    try:
        authorize(actor, action, unit)
    except PermissionDenied:
        return False
    return True


@pytest.mark.parametrize("action", list(Action))
def test_every_role_against_every_action_on_its_own_unit(action):
    got = {name for name, actor in ACTORS.items() if allowed(actor, action, "SNV")}
    assert got == ALLOWED[action]


def test_unit_staff_act_for_their_own_unit_only():
    for action in (Action.SELF_ASSESS, Action.LOCK, Action.EXPLAIN):
        assert allowed(STAFF, action, "SNV")
        with pytest.raises(
            PermissionDenied, match=r"Tài khoản cb\.snv thuộc đơn vị SNV: không được .* cho đơn vị STP"
        ):
            authorize(STAFF, action, "STP")
    orphan = Actor("cb.moi", frozenset({Role.UNIT_STAFF}))
    with pytest.raises(PermissionDenied, match="chưa gắn với đơn vị nào"):
        authorize(orphan, Action.SELF_ASSESS, "SNV")


def test_refusals_say_who_lacks_which_role_in_vietnamese():
    with pytest.raises(PermissionDenied) as info:
        authorize(LEADER, Action.APPRAISE_1, "SNV")
    assert (
        str(info.value)
        == "Tài khoản lanh.dao (Lãnh đạo) không có quyền thẩm định lần 1: cần vai trò Thẩm định."
    )
    with pytest.raises(PermissionDenied, match=r"^Cần đăng nhập để tự đánh giá\.$"):
        authorize(None, Action.SELF_ASSESS, "SNV")


def test_several_roles_add_up_and_the_command_line_may_do_everything():
    both = Actor("qt.td", frozenset({Role.ADMIN, Role.APPRAISER}))
    assert allowed(both, Action.LOAD_DEFINITION, None) and allowed(both, Action.APPRAISE_2, "SNV")
    assert not allowed(both, Action.SELF_ASSESS, "SNV")
    assert all(allowed(COMMAND_LINE, action, "SNV") for action in Action)


RESTRICTED = (Read.PROVISIONAL_SCORES, Read.DOSSIER_LISTS, Read.OFFICIALS_STATS, Read.HANDLER_NAMES)


def test_public_reads_follow_public_access():
    for what in (Read.FIGURES, Read.PUBLISHED_RESULTS):
        assert may_read(None, what, public_access="map")
        assert not may_read(None, what, public_access="none")
        assert all(may_read(a, what, public_access="none") for a in ACTORS.values() if a is not None)
    with pytest.raises(PermissionDenied, match=r"^Cần đăng nhập để xem số liệu tổng hợp\.$"):
        require_read(None, Read.FIGURES, public_access="none")


def test_restricted_reads_leaders_and_appraisers_everywhere_staff_for_their_unit_only():
    for what in RESTRICTED:
        for unit in ("SNV", "STP", None):
            assert may_read(LEADER, what, unit) and may_read(APPRAISER, what, unit)
            assert may_read(KIOSK, what, unit) == (what is Read.PROVISIONAL_SCORES)  # the wall: scores only
            assert not may_read(None, what, unit) and not may_read(ADMIN, what, unit)
            assert not may_read(NO_ROLE, what, unit)
        assert may_read(STAFF, what, "SNV")
        assert not may_read(STAFF, what, "STP") and not may_read(STAFF, what, None)
    with pytest.raises(
        PermissionDenied, match="không được xem thống kê theo cán bộ, công chức của đơn vị STP"
    ):
        require_read(STAFF, Read.OFFICIALS_STATS, "STP")


def test_the_audit_trail_is_read_by_administrators_and_leaders_only():
    readers = {name for name, actor in ACTORS.items() if may_read(actor, Read.AUDIT)}
    assert readers == {"leader", "admin"}
