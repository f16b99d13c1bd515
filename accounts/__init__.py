"""Accounts, roles, sessions, kiosk tokens and the audit trail (tài khoản, vai trò, nhật ký).

Data side: plain functions over the caller's connection; nothing here imports Dash, the
layouts or the callbacks. `permissions` is the one place where writes and restricted
reads are checked; `accounts.web` puts the login, the session cookie and the cross-site
check on the Flask server.
"""
