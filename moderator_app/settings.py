"""The one settings object: where the database, media, models, rules and logs are, and who is acting.

Built once at an entry point (``moderator-app``'s ``main``, a benchmark's child process) from the
environment and the command line, then passed down: no other module reads ``os.environ``
(tests/test_settings.py checks it), so what a component uses is what it was handed.

| variable | field | default |
|---|---|---|
| MODERATOR_DATA_DIR | data_dir | the platform's user data folder |
| MODERATOR_DB_URL (``--db`` wins) | database_url | moderator.db in data_dir |
| MODERATOR_MEDIA_DIR | media_dir | beside a SQLite file, else media-HOST_PORT_DB in data_dir |
| MODERATOR_MODELS_DIR | models_dir | the models inside the package |
| MODERATOR_TEXT_RULES | rules_path | text_rules.json inside the package |
| MODERATOR_LOG_DIR | log_dir | logs/ in data_dir |
| MODERATOR_CONFIG_DIR | config_dir | the platform's user config folder (workstation id, audit keys) |
| MODERATOR_AUDIT_KEY | audit_key | audit-signing-key.pem in config_dir |
| MODERATOR_USER, MODERATOR_REVIEWER (``--user`` wins) | user | the login name |
| MODERATOR_PASSWORD, MODERATOR_ADMIN_PASSWORD, MODERATOR_NEW_PASSWORD | secrets | a prompt |
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from moderator_app import paths

ENV_DATA_DIR = "MODERATOR_DATA_DIR"
ENV_DB_URL = "MODERATOR_DB_URL"
ENV_MEDIA_DIR = "MODERATOR_MEDIA_DIR"
ENV_MODELS_DIR = "MODERATOR_MODELS_DIR"
ENV_TEXT_RULES = "MODERATOR_TEXT_RULES"
ENV_LOG_DIR = "MODERATOR_LOG_DIR"
ENV_CONFIG_DIR = "MODERATOR_CONFIG_DIR"
ENV_AUDIT_KEY = "MODERATOR_AUDIT_KEY"
ENV_USERS = ("MODERATOR_USER", "MODERATOR_REVIEWER")
ENV_SECRETS = ("MODERATOR_PASSWORD", "MODERATOR_ADMIN_PASSWORD", "MODERATOR_NEW_PASSWORD")


def _shipped_rules() -> Path:
    return paths.resources_dir() / "text_rules.json"


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path = field(default_factory=paths.user_data_dir)
    database_url: str | None = None
    media_dir: Path | None = None
    models_dir: Path = field(default_factory=paths.models_dir)
    rules_path: Path = field(default_factory=_shipped_rules)
    log_dir: Path | None = None
    config_dir: Path = field(default_factory=paths.user_config_dir)
    audit_key: Path | None = None
    user: str | None = None
    secrets: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_environ(
        cls, environ: Mapping[str, str], *, db: str | None = None, user: str | None = None
    ) -> Settings:
        """The settings of one run: command-line values win over the environment, then the defaults."""

        def given(name: str) -> str | None:
            value = environ.get(name, "").strip()
            return value or None

        def folder(name: str) -> Path | None:
            value = given(name)
            return Path(value).expanduser() if value else None

        return cls(
            data_dir=folder(ENV_DATA_DIR) or paths.user_data_dir(),
            database_url=db or given(ENV_DB_URL),
            media_dir=folder(ENV_MEDIA_DIR),
            models_dir=folder(ENV_MODELS_DIR) or paths.models_dir(),
            rules_path=folder(ENV_TEXT_RULES) or _shipped_rules(),
            log_dir=folder(ENV_LOG_DIR),
            config_dir=folder(ENV_CONFIG_DIR) or paths.user_config_dir(),
            audit_key=folder(ENV_AUDIT_KEY),
            user=user or next((v for v in map(given, ENV_USERS) if v), None),
            secrets={name: environ[name] for name in ENV_SECRETS if environ.get(name)},
        )

    @property
    def database(self) -> str:
        """The database URL or SQLite file to open."""
        return self.database_url or str(paths.default_database_path(self.data_dir))

    @property
    def log_folder(self) -> Path:
        return self.log_dir or self.data_dir / "logs"

    def secret(self, name: str) -> str | None:
        return self.secrets.get(name)
