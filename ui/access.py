"""Who may use the app when it is reachable from other machines: Gradio's own login, two roles.

Editors (`--auth USER:PASS`) ask and change the library; readers (`--reader USER:PASS`) only ask.
`--auth-file FILE` holds one account a line, `USER:PASS` or `USER:PASS:reader` (blank lines and
`#` comments skipped): passwords kept out of the process list. Without any account the app binds
to a loopback address only, unless `--allow-anonymous` says that everyone reaching it may do
everything.
"""

from __future__ import annotations

import argparse
import hmac
import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from index.settings import BadSetting

READ_ONLY = "This account can ask questions but not change the library."


@dataclass(frozen=True)
class Access:
    editors: dict[str, str] = field(default_factory=dict)  # user -> password
    readers: dict[str, str] = field(default_factory=dict)

    @property
    def required(self) -> bool:
        return bool(self.editors or self.readers)

    def login(self, user: str, password: str) -> bool:
        """Gradio's auth callback: the password matches the account's (compared in constant time)."""
        known = self.editors.get(user, self.readers.get(user))
        return known is not None and hmac.compare_digest(known.encode(), password.encode())

    def may_edit(self, user: str | None) -> bool:
        """May this logged-in user (None: no login) add or remove articles?"""
        return not self.required or (user is not None and user in self.editors)


def add_access_arguments(parser: argparse.ArgumentParser) -> None:
    """--auth, --reader, --auth-file and --allow-anonymous, as app.py takes them."""
    parser.add_argument(
        "--auth",
        action="append",
        default=[],
        metavar="USER:PASS",
        help="an account that may ask and change the library (repeatable)",
    )
    parser.add_argument(
        "--reader", action="append", default=[], metavar="USER:PASS", help="an account that may only ask (repeatable)"
    )
    parser.add_argument("--auth-file", type=Path, help="accounts, one a line: USER:PASS or USER:PASS:reader")
    parser.add_argument(
        "--allow-anonymous",
        action="store_true",
        help="serve a non-loopback --host without accounts: anyone reaching it may do anything",
    )


def access_from(args: argparse.Namespace) -> Access:
    """The accounts the arguments give; BadSetting when one is malformed, or when `args.host`
    would expose an app that asks nobody to log in."""
    access = load_access(args.auth, args.reader, args.auth_file)
    if refused := exposure_refused(args.host, access, args.allow_anonymous):
        raise BadSetting(refused)
    return access


def account(text: str) -> tuple[str, str]:
    """ "USER:PASS" -> (user, password); the password may hold colons."""
    user, sep, password = text.partition(":")
    if not sep or not user.strip() or not password:
        raise BadSetting(f"an account is USER:PASSWORD, both non-empty; got {text.split(':')[0]!r}:…")
    return user.strip(), password


def load_access(editors: list[str], readers: list[str], auth_file: Path | None) -> Access:
    """The accounts from the command line and the auth file; BadSetting names what is wrong."""
    access = Access(dict(map(account, editors)), dict(map(account, readers)))
    if auth_file is None:
        return access
    try:
        lines = auth_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise BadSetting(f"cannot read the auth file {auth_file}: {err}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        body, role = (line.rsplit(":", 1)[0], "reader") if line.rstrip().endswith(":reader") else (line, "editor")
        try:
            user, password = account(body.rstrip("\n"))
        except BadSetting as err:
            raise BadSetting(f"{auth_file} line {number}: {err}") from None
        (access.readers if role == "reader" else access.editors)[user] = password
    return access


def exposure_refused(host: str, access: Access, allow_anonymous: bool) -> str:
    """Why starting on `host` is refused ("" if it is not): other machines could reach an app
    that asks nobody to log in."""
    if access.required or allow_anonymous or _loopback(host):
        return ""
    return (
        f"--host {host} lets other machines reach the app, and no account is set: anyone could ask, upload and "
        "remove articles. Give --auth USER:PASS (and --reader USER:PASS for ask-only accounts) or --auth-file "
        "FILE; or --allow-anonymous if that is what you want"
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything
