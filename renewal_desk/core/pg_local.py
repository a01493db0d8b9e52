"""A throw-away PostgreSQL cluster on this machine: the benchmark's server when none is named, and the tests'.

initdb into a fresh temporary folder, pg_ctl start listening only on a unix socket in that folder (no TCP
port, nothing the rest of the machine sees). For the tests fsync is off (the data dies with the session);
the benchmark starts it `durable` (fsync and synchronous commit on, Debian's shared_buffers of 128 MB), so its
commits cost what a real server's cost. PostgreSQL refuses to
run as root, so as root (CI) the server runs as the unprivileged user `nobody` via runuser. The app connects
as the role `renewal` (no superuser, cannot create databases: the rights the office server's service account
has); databases are created and dropped by the cluster's superuser `postgres`.

Needs Debian's PostgreSQL 15 binaries (installers/bootstrap.sh installs them; RENEWAL_DESK_PG_BIN points
elsewhere); `available()` says whether they are there.
"""

from __future__ import annotations

import itertools
import os
import pwd
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

PG_BIN = Path(os.environ.get("RENEWAL_DESK_PG_BIN", "/usr/lib/postgresql/15/bin"))
APP_ROLE = "renewal"
SUPERUSER = "postgres"


class ClusterUnavailable(RuntimeError):
    pass


def available() -> str | None:
    """None when a throw-away cluster can be started here, else why not (in words)."""
    if not (PG_BIN / "initdb").exists():
        return f"PostgreSQL 15 is not installed ({PG_BIN}): run installers/bootstrap.sh"
    return None


class Cluster:
    def __init__(self, folder: Path, port: int, run_as: str | None):
        self.folder, self.port, self.run_as = folder, port, run_as
        self.data = folder / "data"
        self._names = itertools.count(1)

    # --- life -----------------------------------------------------------------------------
    @classmethod
    def start(cls, durable: bool = False) -> Cluster:
        missing = available()
        if missing:
            raise ClusterUnavailable(missing)
        run_as = "nobody" if os.geteuid() == 0 else None
        folder = Path(tempfile.mkdtemp(prefix="rd-pg-"))
        if run_as:
            entry = pwd.getpwnam(run_as)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        cluster = cls(folder, random.randint(20000, 60000), run_as)
        try:
            cluster._run("initdb", "-D", str(cluster.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                         "--locale=C.UTF-8", "--no-sync")
            options = f"-k {folder} -p {cluster.port} -c listen_addresses='' -c max_connections=200 "
            options += ("-c shared_buffers=128MB" if durable else
                        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=64MB")
            cluster._run("pg_ctl", "-D", str(cluster.data), "-o", options, "-l", str(folder / "server.log"), "-w",
                         "-t", "60", "start")
            cluster.admin(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        command = [str(PG_BIN / program), *args]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)
        if done.returncode:
            log = self.folder / "server.log"
            raise ClusterUnavailable(f"{program} failed: {done.stderr or done.stdout}"
                                     f"{log.read_text() if log.exists() else ''}")

    # --- databases ------------------------------------------------------------------------
    def url(self, database: str, user: str = APP_ROLE) -> str:
        return f"postgresql://{user}@/{database}?host={self.folder}&port={self.port}"

    def admin(self, *statements: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(host=str(self.folder), port=self.port, user=SUPERUSER, dbname=database,
                             autocommit=True) as conn:
            for sql in statements:
                conn.execute(sql)

    def create_database(self, name: str | None = None, template: str | None = None) -> str:
        name = name or f"t{os.getpid()}_{next(self._names)}"
        self.admin(f'CREATE DATABASE "{name}" OWNER {APP_ROLE}'
                   + (f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""))
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


__all__ = ["APP_ROLE", "PG_BIN", "SUPERUSER", "Cluster", "ClusterUnavailable", "available"]
