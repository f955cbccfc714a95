"""Settings from environment variables; embedded secrets generated under var/."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.fernet import Fernet

SERVICES = ("applicants", "budget", "markets", "notifications")
SECRET_NAMES = ("PII_ENCRYPTION_KEY", "PII_HASH_KEY", "SIGNING_KEY", "SESSION_SECRET")
DEFAULT_EMBEDDED_REDIS = "redis://127.0.0.1:6389/0"


class ConfigError(RuntimeError):
    """A required setting is missing or wrong; start-up must stop."""


def _generate(name: str) -> str:
    if name == "PII_ENCRYPTION_KEY":
        return Fernet.generate_key().decode()
    return secrets.token_urlsafe(32)


def var_dir() -> Path:
    return Path(os.environ.get("VAR_DIR", "var")).resolve()


def embedded_secrets(directory: Path) -> dict[str, str]:
    """Read, or create once with mode 0600, the secrets of an embedded run."""
    path = directory / "secrets.json"
    directory.mkdir(parents=True, exist_ok=True)
    stored: dict[str, str] = {}
    if path.exists():
        stored = json.loads(path.read_text())
    missing = [name for name in SECRET_NAMES if name not in stored]
    if missing:
        stored.update({name: _generate(name) for name in missing})
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(stored, handle)
    os.chmod(path, 0o600)
    return stored


@dataclass(frozen=True)
class Settings:
    service: str
    env: str
    database_url: str
    redis_url: str
    secrets: dict[str, str] = field(repr=False)
    visibility_timeout: int = 3600
    max_retries: int = 8
    outbox_grace_seconds: float = 5.0
    broker_key_prefix: str = ""
    public_rate_limit: str = "60/minute"
    login_rate_limit: str = "10/minute"
    retention_days: int = 30
    # Files people upload (photos), kept outside the database: <SERVICE>_UPLOAD_DIR,
    # by default $VAR_DIR/uploads/<service> (a volume in deployment).
    upload_dir: str = ""

    @property
    def production(self) -> bool:
        return self.env == "production"

    def secret(self, name: str) -> str:
        return self.secrets[name]


def broker_transport_options(visibility_timeout: int, key_prefix: str) -> dict:
    """Redis transport options shared by workers, producers and the scheduler."""
    options = {
        "visibility_timeout": visibility_timeout,
        "socket_connect_timeout": 3,
        "socket_timeout": 10,
        "unacked_restore_interval": max(1, min(10, visibility_timeout // 3)),
        "unacked_restore_throttle": 1,
    }
    if key_prefix:
        options["global_keyprefix"] = key_prefix
    return options


def load_settings(service: str, environ: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if environ is None else environ)
    app_env = env.get("APP_ENV", "development")
    if app_env not in ("development", "production", "test"):
        raise ConfigError(f"APP_ENV must be development, production or test, not {app_env!r}")
    db_key = f"{service.upper()}_DATABASE_URL"
    directory = Path(env.get("VAR_DIR", "var")).resolve()
    if app_env == "production":
        missing = [k for k in (db_key, "REDIS_URL", *SECRET_NAMES) if not env.get(k)]
        if missing:
            raise ConfigError(
                "production mode needs these environment variables: " + ", ".join(missing)
            )
        found = {name: env[name] for name in SECRET_NAMES}
    else:
        found = embedded_secrets(directory)
        found.update({name: env[name] for name in SECRET_NAMES if env.get(name)})
    database_url = env.get(db_key) or f"sqlite:///{directory / (service + '.db')}"
    return Settings(
        service=service,
        env=app_env,
        database_url=database_url,
        redis_url=env.get("REDIS_URL", DEFAULT_EMBEDDED_REDIS),
        secrets=found,
        visibility_timeout=int(env.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
        max_retries=int(env.get("MESSAGE_MAX_RETRIES", "8")),
        outbox_grace_seconds=float(env.get("OUTBOX_GRACE_SECONDS", "5")),
        broker_key_prefix=env.get("BROKER_KEY_PREFIX", ""),
        public_rate_limit=env.get("PUBLIC_RATE_LIMIT", "60/minute").strip(),
        login_rate_limit=env.get("LOGIN_RATE_LIMIT", "10/minute").strip(),
        retention_days=int(env.get("RETENTION_DAYS", "30")),
        upload_dir=env.get(f"{service.upper()}_UPLOAD_DIR") or str(directory / "uploads" / service),
    )
