"""The key that signs session cookies when SECRET_KEY is not set: generated once into
DATA_DIR/secret_key (mode 0600) and read back on every start, so that restarts keep the
sessions and every process of one installation signs with the same key. Created
atomically (written aside, then hard-linked into place), so processes starting together
agree on one key.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_FILE = "secret_key"
MIN_LENGTH = 32


def load_or_create_secret(data_dir: Path) -> str:
    path = Path(data_dir) / SECRET_FILE
    if path.exists():
        key = path.read_text(encoding="ascii").strip()
        if len(key) < MIN_LENGTH:
            raise ValueError(f"Khóa phiên trong {path} quá ngắn: xóa tệp để tạo lại, hoặc đặt SECRET_KEY.")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    aside = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    try:
        os.link(aside, path)
    except FileExistsError:
        return load_or_create_secret(data_dir)  # another process created it first
    finally:
        aside.unlink()
    return key
