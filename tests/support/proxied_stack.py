"""The local stack (deploy/stack.py) with services' databases behind a fault proxy: what
the fault suite (grid's database) and the soak (every service's) cut and restore."""

from __future__ import annotations

from deploy.stack import Stack, StackConfig

from .tcp_proxy import TcpProxy


class ProxiedStack(Stack):
    """The local stack with the databases of `services` (all when None) behind `database`.

    The broker is proxied through the config's AMQP URL (`TcpProxy.url_for`)."""

    def __init__(
        self, config: StackConfig, database: TcpProxy, services: tuple[str, ...] | None = None
    ) -> None:
        super().__init__(config)
        self.database = database
        self.proxied = services

    def _environment(self) -> dict[str, str]:
        env = super()._environment()
        for name, value in list(env.items()):
            if not name.endswith("_DATABASE_URL"):
                continue
            service = name.removesuffix("_DATABASE_URL").lower()
            if self.proxied is None or service in self.proxied:
                env[name] = self.database.url_for(value)
        return env
