"""The production shape: compose file, settings that fail loudly, documented config."""

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SETTING_READ = re.compile(r"""env\.(?:str|int|bool|list|float|db|cache)\(\s*"([A-Z_]+)\"""")
ENV_LINE = re.compile(r"^(?:# )?([A-Z_]+)=", re.MULTILINE)


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_database_broker_web_workers_and_one_beat():
    services = compose()["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat"}
    assert services["beat"]["deploy"]["replicas"] == 1
    assert "beat" in services["beat"]["command"]
    assert "DatabaseScheduler" in " ".join(services["beat"]["command"])
    worker = " ".join(services["worker"]["command"])
    assert "worker" in worker and "sms" in worker
    # A worker must scale: nothing ties it to one container.
    assert "container_name" not in services["worker"] and "ports" not in services["worker"]


def test_compose_waits_for_healthy_services_and_migrates_once_before_serving():
    services = compose()["services"]
    for name in ("db", "redis", "web"):
        assert services[name]["healthcheck"]["test"]
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        depends = services[name]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"
        assert depends["redis"]["condition"] == "service_healthy"
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "gunicorn" in services["web"]["command"]


def test_every_app_service_is_configured_from_one_env_file():
    services = compose()["services"]
    for name in ("migrate", "web", "worker", "beat"):
        assert services[name]["env_file"] == ".env"
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgres://")
        assert services[name]["environment"]["REDIS_URL"].startswith("redis://")
    assert compose()["volumes"].keys() == {"pgdata", "redisdata"}


def read_settings_in_code() -> set[str]:
    names = set()
    for folder in ("config", "scheduler", "bookings", "reminders"):
        for path in (ROOT / folder).rglob("*.py"):
            names |= set(SETTING_READ.findall(path.read_text()))
    return names


def test_env_example_lists_every_setting_the_code_reads():
    documented = set(ENV_LINE.findall((ROOT / ".env.example").read_text()))
    read = read_settings_in_code()
    assert read, "the scan found no settings at all"
    compose_reads = set(re.findall(r"\$\{([A-Z_]+)", (ROOT / "docker-compose.yml").read_text()))
    assert read - documented == set()
    assert documented - read - compose_reads == set(), "documented settings nobody reads"


def test_readme_configuration_table_names_only_documented_settings():
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"^\| `([A-Z_]+)`", table, re.MULTILINE))
    named |= set(re.findall(r"`([A-Z_]{4,})`", table))
    documented = set(ENV_LINE.findall((ROOT / ".env.example").read_text()))
    assert named and named <= documented


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SMS_", "TWILIO_", "PUBLIC_BASE_URL"))
    }
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x" * 60 + "-production-like-secret-for-the-check",
        DJANGO_ALLOWED_HOSTS="clinic.example.com",
        DATABASE_URL=os.environ.get("DATABASE_URL") or "postgres://clinic@127.0.0.1:5432/clinic",
        REDIS_URL="redis://127.0.0.1:6379/0",
        CACHE_URL="redis://127.0.0.1:6379/1",
        PUBLIC_BASE_URL="https://clinic.example.com",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stderr


def test_check_deploy_warns_when_each_process_would_count_the_throttles_alone():
    env = production_env()
    del env["CACHE_URL"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "reminders.W001" in result.stderr and "CACHE_URL" in result.stderr


def test_production_start_without_a_secret_key_fails_naming_it():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "DATABASE_URL" not in result.stderr.split("missing:", 1)[-1]


def test_production_start_without_broker_or_database_fails_naming_both():
    env = production_env()
    del env["REDIS_URL"], env["DATABASE_URL"]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr and "DATABASE_URL" in result.stderr


def test_twilio_backend_without_its_credentials_fails_naming_them():
    result = manage("check", env=production_env(SMS_BACKEND="twilio"))
    assert result.returncode != 0
    assert "TWILIO_ACCOUNT_SID" in result.stderr and "TWILIO_AUTH_TOKEN" in result.stderr


def test_env_example_copied_as_it_is_gives_a_working_development_setup():
    values = dict(
        re.findall(r"^([A-Z_]+)=(.*)$", (ROOT / ".env.example").read_text(), re.MULTILINE)
    )
    env = {k: v for k, v in os.environ.items() if k not in values and k != "DATABASE_URL"}
    result = manage("check", env={**env, **values})
    assert result.returncode == 0, result.stderr


def test_twilio_backend_in_development_also_fails_naming_what_is_missing():
    env = production_env(DJANGO_DEBUG="true", SMS_BACKEND="twilio", TWILIO_ACCOUNT_SID="AC1")
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "TWILIO_AUTH_TOKEN" in result.stderr and "TWILIO_ACCOUNT_SID" not in result.stderr
