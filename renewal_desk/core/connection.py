"""Which database this computer opens at start (设置 → 数据库): a database file here, or the office server.

The choice is this computer's own configuration (connection.json in the user's data folder), not data:
it never travels in a database or a bundle. The server's password is never written there. It is kept in
the system keyring when this computer has one and the user asked to remember it; otherwise it is asked
at start (a server that trusts the office LAN, or ~/.pgpass, needs none).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from .paths import data_dir
from .problems import InputError, Problem, declare

CONFIG_FILE = "connection.json"
KEYRING_SERVICE = "renewal-desk"
DEFAULT_PORT = 5432

E_MISSING = declare("connection.missing", "请填写{what}。", "Fill in the {what_en}.")
E_NO_FILE = declare("connection.no_file", "请选择本机的数据库文件。", "Choose the database file on this computer.")
FIELDS = {"host": ("服务器地址", "server address"), "database": ("数据库名", "database name"),
          "user": ("用户名", "user name")}


@dataclass(frozen=True)
class ServerChoice:
    """The office server's address, without its password."""

    host: str
    port: int
    database: str
    user: str

    def address(self, password: str | None = None) -> str:
        """The postgresql://… address open_database() takes; a host that is a folder is a unix socket."""
        from sqlalchemy.engine import URL

        socket = self.host.startswith("/")
        url = URL.create("postgresql", username=self.user, password=password or None,
                         host=None if socket else self.host, port=None if socket else self.port,
                         database=self.database,
                         query={"host": self.host, "port": str(self.port)} if socket else {})
        return url.render_as_string(hide_password=False)

    @classmethod
    def from_address(cls, text: str) -> ServerChoice:
        """The server of a postgresql://… address (its password, if any, left out)."""
        from .db import server_url

        url = server_url(text)
        host = url.host or url.query.get("host") or "localhost"
        port = url.port or url.query.get("port") or DEFAULT_PORT
        return cls(str(host), int(port), url.database, url.username or "")

    @property
    def key(self) -> str:
        """The keyring's entry name for this server's password."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


@dataclass(frozen=True)
class Choice:
    """A database file (`path`) or the office server (`server`)."""

    path: Path | None = None
    server: ServerChoice | None = None


def server_choice(host: str, port: int, database: str, user: str) -> ServerChoice:
    """A ServerChoice from what the user typed, or InputError naming what is missing."""
    values = {"host": host.strip(), "database": database.strip(), "user": user.strip()}
    missing = [Problem(E_MISSING, {"what": FIELDS[k][0], "what_en": FIELDS[k][1]}, field=k)
               for k, v in values.items() if not v]
    if missing:
        raise InputError(missing)
    return ServerChoice(values["host"], int(port or DEFAULT_PORT), values["database"], values["user"])


def file_choice(path: str | Path) -> Choice:
    if not str(path).strip():
        raise InputError(Problem(E_NO_FILE))
    from .db import DatabaseError, check_database_path

    try:
        return Choice(path=check_database_path(str(path).strip(), create=True))
    except DatabaseError as exc:  # a folder, a URL, an unwritable place: the field's problem
        raise InputError(Problem(exc.code, exc.params, field="path")) from exc


def config_path() -> Path:
    return data_dir() / CONFIG_FILE


def load() -> Choice | None:
    """The saved choice; None when none was saved (or the file is unreadable): the default file."""
    try:
        saved = json.loads(config_path().read_text(encoding="utf-8"))
        if saved.get("kind") == "server":
            s = saved["server"]
            return Choice(server=ServerChoice(str(s["host"]), int(s["port"]), str(s["database"]), str(s["user"])))
        if saved.get("kind") == "file":
            return Choice(path=Path(saved["path"]))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def save(choice: Choice) -> Path:
    """Write the choice for the next start (owner-only, replaced in one rename); never a password."""
    content = {"kind": "server", "server": asdict(choice.server)} if choice.server else \
        {"kind": "file", "path": str(choice.path)}
    target = config_path()
    temporary = target.with_name(target.name + ".tmp")
    fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(content, out, ensure_ascii=False, indent=2)
    os.replace(temporary, target)
    return target


def start_target(choice: Choice | None) -> str | Path | None:
    """What the app opens at start without --db: the chosen file, the server's address (no password), or None."""
    if choice is None:
        return None
    return choice.server.address() if choice.server else choice.path


# --- the password ------------------------------------------------------------------------------------
def keyring_available() -> bool:
    """Whether this computer has a system keyring to keep the password in (none: asked at every start)."""
    try:
        import keyring
        from keyring.backends import chainer, fail

        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring):
            return False
        if isinstance(backend, chainer.ChainerBackend):
            return bool(backend.backends)
        return True
    except Exception:  # noqa: BLE001 - a broken keyring is no keyring
        return False


_GIVEN: dict[str, str] = {}  # passwords typed in this run (the dialog, the prompt at start), never written


def give(server: ServerChoice, password: str | None) -> None:
    """Keep a typed password for this run only (reconnecting now, opening another window)."""
    if password:
        _GIVEN[server.key] = password
    else:
        _GIVEN.pop(server.key, None)


def with_password(address: str) -> str:
    """A server address with the password typed in this run or kept in the keyring, when it has none itself."""
    from .db import server_url

    if server_url(address).password:
        return address
    server = ServerChoice.from_address(address)
    password = _GIVEN.get(server.key) or remembered_password(server)
    return server.address(password) if password else address


def remembered_password(server: ServerChoice) -> str | None:
    if not keyring_available():
        return None
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, server.key)
    except Exception:  # noqa: BLE001 - locked or broken keyring: ask instead
        return None


def remember_password(server: ServerChoice, password: str | None) -> bool:
    """Keep the password in the keyring (or forget it when None/empty); False when there is no keyring."""
    if not keyring_available():
        return False
    import keyring

    try:
        if password:
            keyring.set_password(KEYRING_SERVICE, server.key, password)
        else:
            keyring.delete_password(KEYRING_SERVICE, server.key)
    except Exception:  # noqa: BLE001 - keyring.errors.PasswordDeleteError (nothing kept) and friends
        return not password
    return True


TEST_CONNECT_TIMEOUT = 4  # seconds 测试连接 / 保存 wait for an office server on the LAN (per attempt: libpq tries
#                          with SSL, then without) before calling it unreachable


def test_server(server: ServerChoice, password: str | None, connect_timeout: int | None = None) -> str:
    """Connect once: the schema version found on the server, or DatabaseError (refused, unknown server, wrong
    password, no such database, not ours, newer, or no answer within `connect_timeout` seconds, by default
    TEST_CONNECT_TIMEOUT). Nothing is created or changed."""
    from .db import probe_server

    return probe_server(server.address(password), connect_timeout or TEST_CONNECT_TIMEOUT)
