"""A RabbitMQ node of the test's own (its ports, node name, data and cookie), to restart at will.

The shared broker is never restarted; this node runs from RabbitMQ's own scripts with the
management plugin, and is stopped (and its files removed) at the end.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
from pathlib import Path

BIN = Path("/usr/lib/rabbitmq/bin")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class OwnBroker:
    """`start()`, `restart()`, `stop()`; `amqp_url` and `api_url` on loopback."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.node = f"subs-test-{uuid.uuid4().hex[:6]}@localhost"
        self.port, self.api_port, dist = free_port(), free_port(), free_port()
        (folder / "home").mkdir(parents=True, exist_ok=True)
        (folder / "enabled_plugins").write_text("[rabbitmq_management].\n")
        (folder / "rabbitmq.conf").write_text(
            f"listeners.tcp.default = {self.port}\nmanagement.tcp.port = {self.api_port}\n"
            "management.tcp.ip = 127.0.0.1\nloopback_users = none\n"
        )
        self.env = {
            **os.environ,
            "HOME": str(folder / "home"),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(dist),
            "RABBITMQ_MNESIA_BASE": str(folder / "mnesia"),
            "RABBITMQ_LOG_BASE": str(folder / "log"),
            "RABBITMQ_CONFIG_FILE": str(folder / "rabbitmq.conf"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(folder / "enabled_plugins"),
            "RABBITMQ_PID_FILE": str(folder / "node.pid"),
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def amqp_url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}//"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    def _ctl(self, *args: str, timeout: float = 120) -> None:
        subprocess.run(
            [str(BIN / "rabbitmqctl"), "-n", self.node, *args],
            env=self.env,
            check=True,
            capture_output=True,
            timeout=timeout,
        )

    def start(self) -> OwnBroker:
        log = open(self.folder / "server.out", "ab")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen([str(BIN / "rabbitmq-server")], env=self.env, stdout=log, stderr=log)
        self._ctl("wait", str(self.folder / "node.pid"), "--timeout", "120", timeout=150)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.api_port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("the test's own RabbitMQ node did not open its management port")

    def stop(self) -> None:
        if self.process is not None:
            try:
                self._ctl("stop", timeout=120)
            finally:
                try:
                    self.process.wait(30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()
