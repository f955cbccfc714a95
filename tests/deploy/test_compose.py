"""Static checks of the deployment files: docker-compose.yml, Dockerfile and deploy/.

No Docker engine runs here, so these tests parse the files and check the promises the
deployment makes: health checks, queues, Redis durability, no inline secrets, gateway
routes, start-up order and module paths.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
NGINX_CONF = ROOT / "deploy" / "gateway" / "nginx.conf"
ENV_EXAMPLE = ROOT / "deploy" / "env.example"
POSTGRES_INIT_SQL = ROOT / "deploy" / "postgres" / "init" / "01-databases.sql"
DOCKERIGNORE = ROOT / ".dockerignore"

SERVICES = ("applicants", "budget", "markets", "notifications")
EXPECTED_QUEUES = {*SERVICES, "markets.emergency", "notifications.emergency"}
SECRET_NAMES = (
    "PII_ENCRYPTION_KEY", "PII_HASH_KEY", "SIGNING_KEY", "SESSION_SECRET", "POSTGRES_PASSWORD"
)  # fmt: skip
SECRET_KEY_MARKERS = ("KEY", "SECRET", "PASSWORD", "TOKEN")
API_PORT = 8000
# `${NAME:?message}` or `${NAME?message}`: compose refuses to start when NAME is unset.
REQUIRED_INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*):?\?[^}]*\}")
ANY_INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<modifier>[^}]*)\}")


# ---------------------------------------------------------------- helpers


def load_compose() -> dict:
    with COMPOSE_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def compose() -> dict:
    return load_compose()


@pytest.fixture(scope="module")
def services(compose: dict) -> dict[str, dict]:
    return compose["services"]


def command_tokens(command: str | list[str] | None) -> list[str]:
    """The argv of a compose `command`, looking through `sh -c '...'` wrappers."""
    if command is None:
        return []
    tokens = shlex.split(command) if isinstance(command, str) else [str(t) for t in command]
    if tokens and tokens[0] in ("sh", "bash", "/bin/sh", "/bin/bash"):
        for index, token in enumerate(tokens[1:], start=1):
            if token.startswith("-") and "c" in token[1:] and index + 1 < len(tokens):
                tokens = shlex.split(tokens[index + 1])
                break
    if tokens and tokens[0] == "exec":
        tokens = tokens[1:]
    return tokens


def healthcheck_tokens(service: dict) -> list[str]:
    test = (service.get("healthcheck") or {}).get("test")
    if isinstance(test, str):
        return shlex.split(test)
    if not test:
        return []
    kind, *rest = test
    if kind == "CMD-SHELL":
        return shlex.split(" ".join(rest))
    return list(rest)


def option_values(tokens: list[str], *names: str) -> list[str]:
    """Values of `-Q x`, `--queues x` or `--queues=x` style options."""
    values = []
    for index, token in enumerate(tokens):
        for name in names:
            if token == name and index + 1 < len(tokens):
                values.append(tokens[index + 1])
            elif name.startswith("--") and token.startswith(name + "="):
                values.append(token.split("=", 1)[1])
    return values


def is_celery(tokens: list[str], subcommand: str) -> bool:
    return bool(tokens) and Path(tokens[0]).name == "celery" and subcommand in tokens


def environment(service: dict) -> dict[str, str | None]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        pairs = (item.split("=", 1) if "=" in item else (item, None) for item in env)
        return {key: value for key, value in pairs}
    return {key: (None if value is None else str(value)) for key, value in env.items()}


def depends_on(service: dict) -> dict[str, str]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def one_shot_services(services: dict[str, dict]) -> set[str]:
    """Services something waits on to *finish* (service_completed_successfully)."""
    return {
        target
        for service in services.values()
        for target, condition in depends_on(service).items()
        if condition == "service_completed_successfully"
    }


def volume_mounts(service: dict) -> list[tuple[str, str]]:
    """(source, target) pairs of a service's volumes, short or long syntax."""
    mounts = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            mounts.append((str(volume.get("source", "")), str(volume["target"])))
        else:
            parts = volume.split(":")
            mounts.append((parts[0], parts[1]))
    return mounts


def env_example_values() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        values[key.strip()] = value.strip().strip("'\"")
    return values


def nginx_text() -> str:
    lines = [line.split("#", 1)[0] for line in NGINX_CONF.read_text(encoding="utf-8").splitlines()]
    return "\n".join(lines)


def nginx_locations(text: str) -> dict[str, str]:
    """Prefix locations (`location /x/ { ... }`) and their bodies; bodies have no nested blocks."""
    return {
        match["path"]: match["body"]
        for match in re.finditer(r"location\s+(?P<path>/[^\s{]*)\s*\{(?P<body>[^{}]*)\}", text)
    }


def nginx_outside_locations(text: str) -> str:
    return re.sub(r"location\s+[^{]*\{[^{}]*\}", "", text)


def redis_directives(text: str) -> dict[str, str]:
    directives = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition(" ")
        directives[key.lower()] = value.strip().strip("'\"")
    return directives


# ---------------------------------------------------------------- the file itself


def test_compose_file_loads_and_defines_the_expected_services(services):
    expected = {
        "redis",
        "postgres",
        "init",
        "beat",
        "flower",
        "gateway",
        *(f"{name}-api" for name in SERVICES),
        *(f"{name}-worker" for name in SERVICES),
        "markets-emergency-worker",
        "notifications-emergency-worker",
        "mosquitto",
        "markets-ingest",
        "signin",
    }
    assert set(services) == expected


# ---------------------------------------------------------------- health checks


def test_every_long_running_service_has_a_healthcheck(services):
    # The one-shot `init` is exempt: it exits when its migrations are done, so there is
    # nothing to probe; dependants wait for it with service_completed_successfully instead.
    one_shot = one_shot_services(services)
    assert one_shot == {"init"}
    missing = []
    for name, service in services.items():
        if name in one_shot:
            continue
        check = service.get("healthcheck") or {}
        test = check.get("test")
        if check.get("disable") or not test or test in (["NONE"], "NONE"):
            missing.append(name)
    assert missing == []


def test_one_shot_services_are_never_restarted(services):
    for name in one_shot_services(services):
        assert str(services[name].get("restart", "no")) == "no", name


def test_long_running_services_restart(services):
    one_shot = one_shot_services(services)
    for name, service in services.items():
        if name not in one_shot:
            assert service.get("restart") in ("unless-stopped", "always"), name


def test_each_api_healthcheck_probes_its_own_healthz(services):
    for name in SERVICES:
        probe = " ".join(healthcheck_tokens(services[f"{name}-api"]))
        assert f"127.0.0.1:{API_PORT}/{name}/healthz" in probe, name


def test_worker_healthcheck_pings_the_node_its_command_names(services):
    checked = 0
    for name, service in services.items():
        tokens = command_tokens(service.get("command"))
        if not is_celery(tokens, "worker"):
            continue
        (node,) = option_values(tokens, "-n", "--hostname")
        (app,) = option_values(tokens, "-A", "--app")
        probe = healthcheck_tokens(service)
        assert is_celery(probe, "inspect") and "ping" in probe, name
        assert option_values(probe, "-A", "--app") == [app], name
        # `%h` in the node name is the container's hostname; `$$` is compose's `$`.
        assert option_values(probe, "-d", "--destination") == [node.replace("%h", "$$HOSTNAME")], (
            name
        )
        checked += 1
    assert checked == 6


# ---------------------------------------------------------------- queues


def test_every_worker_names_its_queue_and_all_queues_are_consumed(services):
    queues: dict[str, str] = {}
    for name, service in services.items():
        tokens = command_tokens(service.get("command"))
        if not is_celery(tokens, "worker"):
            continue
        named = option_values(tokens, "-Q", "--queues")
        assert len(named) == 1, f"{name} must name exactly one -Q option"
        for queue in named[0].split(","):
            assert queue not in queues, f"{queue} consumed by {queues.get(queue)} and {name}"
            queues[queue] = name
    assert set(queues) == EXPECTED_QUEUES


def test_emergency_queues_have_their_own_workers(services):
    for name in ("markets", "notifications"):
        tokens = command_tokens(services[f"{name}-emergency-worker"]["command"])
        assert option_values(tokens, "-Q", "--queues") == [f"{name}.emergency"]
        assert option_values(tokens, "-n", "--hostname") == [f"{name}-emergency@%h"]


def test_exactly_one_beat_for_all_services(services):
    beats = [
        name
        for name, service in services.items()
        if is_celery(command_tokens(service.get("command")), "beat")
    ]
    assert beats == ["beat"]
    tokens = command_tokens(services["beat"]["command"])
    assert option_values(tokens, "-A", "--app") == ["deploy.beat"]
    (schedule,) = option_values(tokens, "-s", "--schedule")
    # The schedule file sits on a volume the non-root user can write to.
    assert any(schedule.startswith(target + "/") for _, target in volume_mounts(services["beat"]))


def test_flower_gets_the_broker_and_is_not_published_beyond_loopback(services):
    flower = services["flower"]
    tokens = command_tokens(flower["command"])
    assert is_celery(tokens, "flower")
    assert option_values(tokens, "--broker") == ["$$REDIS_URL"]
    assert "REDIS_URL" in environment(flower)
    for port in flower.get("ports") or []:
        assert str(port).startswith("127.0.0.1:"), port


# ---------------------------------------------------------------- redis


def test_redis_runs_with_appendonly_and_noeviction_from_its_mounted_config(services):
    redis = services["redis"]
    assert str(redis["image"]).startswith("redis:7")
    tokens = command_tokens(redis["command"])
    assert tokens[0] == "redis-server"
    (config_path,) = [token for token in tokens[1:] if token.endswith(".conf")]
    sources = [source for source, target in volume_mounts(redis) if target == config_path]
    assert len(sources) == 1, f"{config_path} is not mounted"
    host_file = (ROOT / sources[0]).resolve()
    assert host_file == (ROOT / "deploy" / "redis" / "redis.conf").resolve()
    settings = redis_directives(host_file.read_text(encoding="utf-8"))
    # Command-line options override the file: the effective value is what counts.
    for index, token in enumerate(tokens):
        if token.startswith("--") and index + 1 < len(tokens):
            settings[token[2:].lower()] = tokens[index + 1]
    assert settings.get("appendonly") == "yes"
    assert settings.get("appendfsync") == "everysec"
    assert settings.get("maxmemory-policy") == "noeviction"
    assert "requirepass" not in redis_directives(host_file.read_text(encoding="utf-8"))
    assert any(target == "/data" for _, target in volume_mounts(redis)), "AOF needs a volume"


# ---------------------------------------------------------------- secrets


def test_secret_like_environment_values_are_required_interpolations(services):
    offenders = []
    for name, service in services.items():
        for key, value in environment(service).items():
            if not any(marker in key.upper() for marker in SECRET_KEY_MARKERS):
                continue
            if value is None:  # passed through from the host environment
                continue
            if not REQUIRED_INTERPOLATION.fullmatch(value):
                offenders.append(f"{name}.{key}")
    assert offenders == []


def test_credentials_inside_urls_are_interpolated(services):
    offenders = []
    for name, service in services.items():
        for key, value in environment(service).items():
            match = re.match(r"^[a-z0-9+.-]+://[^/@:]*:(?P<password>[^@]*)@", value or "")
            if match and not REQUIRED_INTERPOLATION.fullmatch(match["password"]):
                offenders.append(f"{name}.{key}")
    assert offenders == []


def test_every_secret_is_passed_to_the_containers_that_need_it(services):
    for name in SERVICES:
        for kind in ("api", "worker"):
            env = environment(services[f"{name}-{kind}"])
            for secret in ("PII_ENCRYPTION_KEY", "PII_HASH_KEY", "SIGNING_KEY", "SESSION_SECRET"):
                match = REQUIRED_INTERPOLATION.fullmatch(env.get(secret) or "")
                assert match and match["name"] == secret, f"{name}-{kind}.{secret}"
    postgres_password = environment(services["postgres"])["POSTGRES_PASSWORD"]
    assert REQUIRED_INTERPOLATION.fullmatch(postgres_password)["name"] == "POSTGRES_PASSWORD"


def test_compose_contains_none_of_the_example_values():
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    values = env_example_values()
    assert set(SECRET_NAMES) <= set(values)
    leaked = [key for key, value in values.items() if value and value in text]
    assert leaked == []


def test_env_example_holds_placeholders_not_secrets():
    for key, value in env_example_values().items():
        assert value.startswith("CHANGE_ME"), f"{key} must be a placeholder"


def test_every_interpolated_variable_is_documented_and_required():
    lines = COMPOSE_FILE.read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    text = text.replace("$$", "")
    documented = set(env_example_values())
    found = list(ANY_INTERPOLATION.finditer(text))
    assert found, "expected ${VAR:?...} interpolations for the secrets"
    for match in found:
        assert match["name"] in documented, match.group(0)
        assert REQUIRED_INTERPOLATION.fullmatch(match.group(0)), f"no default: {match.group(0)}"
    # A lone `$NAME` would be interpolated by compose on the host, not in the container.
    bare = re.findall(r"\$(?!\{)[A-Za-z_]\w*", text)
    assert bare == []


def test_no_env_file_other_than_dotenv(services):
    for name, service in services.items():
        env_file = service.get("env_file")
        files = [env_file] if isinstance(env_file, str | dict) else env_file or []
        for entry in files:
            path = entry["path"] if isinstance(entry, dict) else entry
            assert path == ".env", f"{name} reads {path}"


def test_dockerignore_keeps_dotenv_out_of_the_image():
    patterns = {line.strip() for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()}
    assert ".env" in patterns
    assert "**/.env" in patterns


# ---------------------------------------------------------------- databases


def test_each_service_container_sees_only_its_own_database(services):
    urls = {f"{name.upper()}_DATABASE_URL": name for name in SERVICES}
    for name in SERVICES:
        containers = [f"{name}-api", f"{name}-worker"]
        if f"{name}-emergency-worker" in services:
            containers.append(f"{name}-emergency-worker")
        for container in containers:
            env = environment(services[container])
            given = {key for key in env if key in urls}
            assert given == {f"{name.upper()}_DATABASE_URL"}, container
            url = env[f"{name.upper()}_DATABASE_URL"]
            assert url.startswith("postgresql+psycopg://"), container
            assert url.endswith(f"@postgres:5432/{name}"), container
    init_env = environment(services["init"])
    assert set(urls) <= set(init_env)


def test_postgres_init_script_creates_one_database_per_service_and_the_accounts(services):
    sql = POSTGRES_INIT_SQL.read_text(encoding="utf-8")
    created = re.findall(r"CREATE\s+DATABASE\s+(\w+)", sql, flags=re.IGNORECASE)
    assert sorted(created) == sorted([*SERVICES, "accounts"])  # accounts: the sign-in's
    mounts = volume_mounts(services["postgres"])
    assert ("./deploy/postgres/init", "/docker-entrypoint-initdb.d") in mounts
    assert str(services["postgres"]["image"]).startswith("postgres:15")
    assert "pg_isready" in healthcheck_tokens(services["postgres"])


# ---------------------------------------------------------------- gateway


def test_every_api_is_routed_by_the_gateway_with_its_prefix_kept(services):
    text = nginx_text()
    locations = nginx_locations(text)
    variables = dict(re.findall(r"set\s+(\$\w+)\s+([^;\s]+)\s*;", text))
    for name in SERVICES:
        body = locations.get(f"/{name}/")
        assert body is not None, f"no location /{name}/"
        (target,) = re.findall(r"proxy_pass\s+([^;\s]+)\s*;", body)
        assert target.startswith("http://"), target
        upstream = target.removeprefix("http://")
        upstream = variables.get(upstream, upstream)
        # No URI part after host:port, so nginx passes the path unchanged (prefix kept).
        assert upstream == f"{name}-api:{API_PORT}", f"/{name}/ -> {target}"
        bind = option_values(command_tokens(services[f"{name}-api"]["command"]), "-b", "--bind")
        assert bind == [f"0.0.0.0:{API_PORT}"]


def test_gateway_passes_forwarded_headers():
    text = nginx_text()
    required = {"Host", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"}
    outside = nginx_outside_locations(text)
    set_outside = set(re.findall(r"proxy_set_header\s+([\w-]+)", outside))
    assert required <= set_outside
    # A location with any proxy_set_header of its own inherits none of the outer ones.
    for path, body in nginx_locations(text).items():
        own = set(re.findall(r"proxy_set_header\s+([\w-]+)", body))
        assert not own or required <= own, path
    assert re.search(r"X-Forwarded-For\s+\$proxy_add_x_forwarded_for\s*;", text)
    assert re.search(r"X-Forwarded-Proto\s+\$scheme\s*;", text)


def test_gateway_mounts_the_config_and_publishes_port_8000(services):
    gateway = services["gateway"]
    assert str(gateway["image"]).startswith("nginx:1.27")
    assert ("./deploy/gateway/nginx.conf", "/etc/nginx/nginx.conf") in volume_mounts(gateway)
    published = [str(port) for port in gateway.get("ports") or []]
    assert any(port.split(":")[-2] == "8000" for port in published if ":" in port), published
    listens = re.findall(r"listen\s+(\d+)", nginx_text())
    container_ports = {port.split(":")[-1] for port in published}
    assert container_ports <= set(listens)


# ---------------------------------------------------------------- start-up order


def test_depends_on_targets_exist_and_have_no_cycles(services):
    graph = {name: set(depends_on(service)) for name, service in services.items()}
    for name, targets in graph.items():
        assert targets <= set(graph), f"{name} depends on unknown {targets - set(graph)}"

    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> None:
        if state.get(node) == "done":
            return
        assert state.get(node) != "active", "cycle: " + " -> ".join([*path, node])
        state[node] = "active"
        for target in sorted(graph[node]):
            visit(target, [*path, node])
        state[node] = "done"

    for node in sorted(graph):
        visit(node, [])


def test_apis_and_workers_wait_for_init_to_complete(services):
    waiting = [name for name in services if name.endswith("-api") or name.endswith("-worker")]
    assert len(waiting) == 10
    for name in waiting:
        deps = depends_on(services[name])
        assert deps.get("init") == "service_completed_successfully", name
        assert deps.get("postgres") == "service_healthy", name
        assert deps.get("redis") == "service_healthy", name
    init_deps = depends_on(services["init"])
    assert init_deps.get("postgres") == "service_healthy"
    gateway_deps = depends_on(services["gateway"])
    for name in SERVICES:
        assert gateway_deps.get(f"{name}-api") == "service_healthy"


def test_init_migrates_every_service(services):
    init = services["init"]
    script = " ".join(command_tokens(init["command"]))
    for name in SERVICES:
        assert f"python -m deploy.manage migrate {name}" in script, name
    assert "healthcheck" not in init


# ---------------------------------------------------------------- module paths


def test_module_paths_name_the_four_services(services):
    """Every `-A services.<name>.worker` and `services.<name>:create_app()` names a service.

    Only the names are checked: the modules are not imported here.
    """
    workers: set[str] = set()
    apps: set[str] = set()
    for service in services.values():
        texts = [" ".join(command_tokens(service.get("command")))]
        texts.append(" ".join(healthcheck_tokens(service)))
        for text in texts:
            workers.update(re.findall(r"-A\s+services\.(\w+)\.worker\b", text))
            apps.update(re.findall(r"\bservices\.(\w+):create_app\(\)", text))
            for module in re.findall(r"\bservices\.(\w+)[.:]", text):
                assert module in (*SERVICES, "common"), module  # common: the sign-in app
    assert workers == set(SERVICES)
    assert apps == set(SERVICES)


def test_each_api_serves_its_own_app(services):
    for name in SERVICES:
        tokens = command_tokens(services[f"{name}-api"]["command"])
        assert tokens[0] == "gunicorn"
        assert tokens[-1] == f"services.{name}:create_app()"


# ---------------------------------------------------------------- image


def test_dockerfile_uses_python_311_and_a_non_root_user():
    lines = [line.strip() for line in DOCKERFILE.read_text(encoding="utf-8").splitlines()]
    bases = [line.split()[1] for line in lines if line.upper().startswith("FROM ")]
    assert bases, "no FROM line"
    for base in bases:
        assert base.startswith("python:3.11"), base
    users = [line.split()[1] for line in lines if line.upper().startswith("USER ")]
    assert users and users[-1] not in ("root", "0"), users
    assert any(re.match(r"RUN pip install \.(\s|$)", line) for line in lines)
    assert any(line.startswith("COPY services/") for line in lines)
    assert any(line.startswith("COPY deploy/") for line in lines)


def test_app_containers_build_the_project_image(services):
    images = {
        name: service.get("image")
        for name, service in services.items()
        if name not in ("redis", "postgres", "gateway", "mosquitto")
    }
    assert set(images.values()) == {"ydp-jobs:latest"}, images


def test_the_alarm_path_has_a_broker_and_an_ingest_that_waits_for_it(services):
    ingest = services["markets-ingest"]
    assert ingest["command"] == ["python", "-m", "services.markets.ingest"]
    assert ingest["depends_on"]["mosquitto"]["condition"] == "service_healthy"
    url = environment(ingest)["MQTT_URL"]
    assert url.startswith("mqtt://ingest:") and url.endswith("@mosquitto:1883")
    acl = (ROOT / "deploy" / "mosquitto" / "acl").read_text()
    anonymous = acl.split("user ")[0]
    assert "topic write v1/devices/+/telemetry" in anonymous and " read " not in anonymous


def test_sign_in_is_routed_by_the_gateway_and_reads_only_the_accounts_database(services):
    text = nginx_text()
    assert re.search(r"location\s+~\s+\^/\(login\|logout\)\?\$\s*\{[^}]*signin:8000", text)
    assert re.search(r"location\s+/static/common/\s*\{[^}]*signin:8000", text)
    env = environment(services["signin"])
    assert env["ACCOUNTS_DATABASE_URL"].endswith("@postgres:5432/accounts")
    assert not [k for k in env if k.endswith("_DATABASE_URL") and k != "ACCOUNTS_DATABASE_URL"]
    tokens = command_tokens(services["signin"]["command"])
    assert tokens[0] == "gunicorn" and tokens[-1] == "services.common.signin:create_signin_app()"
    assert "signin" in services["gateway"]["depends_on"]


def test_init_declares_every_queue_after_the_migrations(services):
    """Queues and bindings exist before any API publishes (nothing lost before a worker
    starts; publishers keep the routing table for a second)."""
    script = " ".join(services["init"]["command"])
    assert script.index("deploy.manage migrate notifications") < script.index(
        "deploy.manage declare-queues"
    )
