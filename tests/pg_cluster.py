"""A throw-away PostgreSQL 15 cluster for the tests (and the two-process test's children).

initdb into a fresh temporary folder, pg_ctl start listening only on a unix socket in that folder
(no TCP port, nothing the rest of the machine sees), fsync off (the data dies with the session).
PostgreSQL refuses to run as root, so as root (CI) the server runs as the unprivileged user `nobody`
via runuser. The app connects as the role `renewal` (no superuser: the rights the office server's
service account has); databases are created and dropped by the cluster's superuser `postgres`.
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


class Cluster:
    def __init__(self, folder: Path, port: int, run_as: str | None):
        self.folder, self.port, self.run_as = folder, port, run_as
        self.data = folder / "data"
        self._names = itertools.count(1)

    # --- life -----------------------------------------------------------------------------
    @classmethod
    def start(cls) -> Cluster:
        if not (PG_BIN / "initdb").exists():
            import pytest

            pytest.skip(f"PostgreSQL 15 is not installed ({PG_BIN}): run installers/bootstrap.sh")
        run_as = "nobody" if os.geteuid() == 0 else None
        folder = Path(tempfile.mkdtemp(prefix="rd-pg-"))
        if run_as:
            entry = pwd.getpwnam(run_as)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        cluster = cls(folder, random.randint(20000, 60000), run_as)
        cluster._run("initdb", "-D", str(cluster.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
                     "--locale=C.UTF-8", "--no-sync")
        options = (f"-k {folder} -p {cluster.port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB")
        cluster._run("pg_ctl", "-D", str(cluster.data), "-o", options, "-l", str(folder / "server.log"), "-w",
                     "-t", "60", "start")
        cluster.admin(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
        return cluster

    def stop(self) -> None:
        try:
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
