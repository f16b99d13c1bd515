"""Password hashing with Argon2id (argon2-cffi) at OWASP's recommended minimum: 19 MiB of
memory, 2 passes, 1 lane. Memory-hard, and 59 ms a check on the 2-core dev machine under
load (64 MiB × 3 passes took 460 ms there), so a burst of logins (20 per address before
the lockout) cannot starve a two-core server. A hash made with other parameters is re-made
at the next successful login (`needs_rehash`).

A password is only ever hashed or verified here; it is never stored, logged or put in an
error message. Verifying against an unknown user name still runs one Argon2 verification
(against a fixed hash), so the answer's timing does not tell which user names exist.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 6
MAX_LENGTH = 256
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@cache
def _unknown_user_hash() -> str:
    return _hasher.hash("no such user: a fixed password nobody types")


class PasswordProblem(ValueError):
    """A new password that cannot be used (Vietnamese message)."""


def check_new_password(password: str, username: str) -> None:
    if len(password) < MIN_LENGTH:
        raise PasswordProblem(f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự.")
    if len(password) > MAX_LENGTH:
        raise PasswordProblem(f"Mật khẩu dài quá {MAX_LENGTH} ký tự.")
    if password.strip().lower() == username.lower():
        raise PasswordProblem("Mật khẩu không được trùng tên đăng nhập.")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether `password` matches; with no stored hash (unknown user) always False, after
    the same work as a real check."""
    try:
        return _hasher.verify(stored_hash or _unknown_user_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's (rehash on login)."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True
