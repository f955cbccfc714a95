import stat

import pytest

from services.common.config import SECRET_NAMES, ConfigError, load_settings


def test_production_refuses_to_start_without_settings(tmp_path):
    with pytest.raises(ConfigError) as info:
        load_settings("budget", {"APP_ENV": "production", "VAR_DIR": str(tmp_path)})
    message = str(info.value)
    for name in ("BUDGET_DATABASE_URL", "REDIS_URL", *SECRET_NAMES):
        assert name in message
    assert not (tmp_path / "secrets.json").exists()


def test_production_reads_everything_from_the_environment(tmp_path):
    env = {
        "APP_ENV": "production",
        "VAR_DIR": str(tmp_path),
        "BUDGET_DATABASE_URL": "postgresql+psycopg://u@h/budget",
        "REDIS_URL": "redis://r:6379/0",
        **{name: f"value-{name}" for name in SECRET_NAMES},
    }
    settings = load_settings("budget", env)
    assert settings.database_url.endswith("/budget")
    assert settings.secret("SIGNING_KEY") == "value-SIGNING_KEY"
    assert "value-" not in repr(settings)


def test_embedded_secrets_generated_once_with_mode_0600(tmp_path):
    first = load_settings("markets", {"VAR_DIR": str(tmp_path)})
    second = load_settings("applicants", {"VAR_DIR": str(tmp_path)})
    path = tmp_path / "secrets.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.secrets == second.secrets
    assert len(first.secret("PII_HASH_KEY")) >= 40
    assert first.database_url == f"sqlite:///{tmp_path / 'markets.db'}"


def test_unknown_app_env_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="APP_ENV"):
        load_settings("budget", {"APP_ENV": "prod", "VAR_DIR": str(tmp_path)})
