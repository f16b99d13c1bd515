"""The login and logout pages: plain HTML (a form that POSTs `username` and `password`, so
browsers' password managers fill and save it), in Vietnamese, with the app's stylesheet.
Every value from outside (the user name typed, the page asked for, messages naming an
account) is escaped.
"""

from __future__ import annotations

from html import escape

APP_TITLE = "Bản đồ thể chế"


def _page(title: str, body: str, stylesheets: list[str]) -> str:
    links = "\n".join(f'<link rel="stylesheet" href="{escape(href)}">' for href in stylesheets)
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} — {APP_TITLE}</title>
{links}
</head>
<body>
<div class="app login-app">
<header class="topbar"><div class="brand"><h1>{APP_TITLE}</h1>
<span class="subtitle">Bản đồ cải cách hành chính tỉnh Quảng Nam</span></div></header>
<main class="login-main">{body}</main>
</div>
</body>
</html>
"""


def _notice(message: str | None, alert: bool) -> str:
    if not message:
        return ""
    role = ' role="alert"' if alert else ' role="status"'
    kind = "login-notice alert" if alert else "login-notice"
    return f'<p class="{kind}"{role}>{escape(message)}</p>'


def login_page(
    *,
    action: str,
    next_path: str,
    stylesheets: list[str],
    home: str,
    username: str = "",
    message: str | None = None,
    alert: bool = False,
    signed_in_as: str | None = None,
) -> str:
    """The login form; `message` above it (an error when `alert`)."""
    current = (
        f'<p class="login-hint">Đang đăng nhập với tài khoản <strong>{escape(signed_in_as)}</strong>. '
        "Đăng nhập tài khoản khác bên dưới.</p>"
        if signed_in_as
        else ""
    )
    body = f"""<section class="card login-card" aria-labelledby="login-title">
<h2 id="login-title" class="card-title">Đăng nhập</h2>
{_notice(message, alert)}{current}
<form method="post" action="{escape(action)}" class="login-form">
<input type="hidden" name="next" value="{escape(next_path)}">
<label for="username">Tên đăng nhập</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none"
 spellcheck="false" maxlength="60" required autofocus value="{escape(username)}">
<label for="password">Mật khẩu</label>
<input id="password" name="password" type="password" autocomplete="current-password" maxlength="256" required>
<button type="submit" class="login-submit">Đăng nhập</button>
</form>
<p class="login-hint">Công chúng xem bản đồ và kết quả đã công bố không cần đăng nhập
(nếu hệ thống cho phép). <a href="{escape(home)}">Về bản đồ</a></p>
</section>"""
    return _page("Đăng nhập", body, stylesheets)


def logout_page(*, action: str, stylesheets: list[str], username: str | None, home: str) -> str:
    """A confirmation with a button (logging out is a POST, so no other site can do it)."""
    if not username:
        body = (
            '<section class="card login-card"><h2 class="card-title">Đăng xuất</h2>'
            f'<p>Bạn chưa đăng nhập.</p><p><a href="{escape(home)}">Về bản đồ</a></p></section>'
        )
        return _page("Đăng xuất", body, stylesheets)
    body = f"""<section class="card login-card">
<h2 class="card-title">Đăng xuất</h2>
<p>Tài khoản <strong>{escape(username)}</strong> đang đăng nhập.</p>
<form method="post" action="{escape(action)}" class="login-form">
<button type="submit" class="login-submit">Đăng xuất</button>
</form>
<p class="login-hint"><a href="{escape(home)}">Về bản đồ</a></p>
</section>"""
    return _page("Đăng xuất", body, stylesheets)


def refusal_page(message: str, stylesheets: list[str], login: str) -> str:
    """A 403 for a page request: why, and where to log in."""
    body = f"""<section class="card login-card">
<h2 class="card-title">Không được phép</h2>
{_notice(message, True)}
<p><a href="{escape(login)}">Đăng nhập</a></p>
</section>"""
    return _page("Không được phép", body, stylesheets)
