"""/healthz tells a load balancer whether this instance can work, and why not."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT = "127.0.0.1:9"  # discard port: nothing listens there


@pytest.mark.django_db
def test_healthz_is_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == {}
    assert body["sms_backlog"] == 0
    assert body["beat"]["status"] == "no tick yet"


@pytest.mark.django_db
def test_healthz_needs_no_login_and_shows_no_patient_data(client, django_user_model):
    response = client.get("/healthz")
    assert set(response.json()) == {"status", "failing", "beat", "sms_backlog"}


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_broker_when_it_cannot_be_reached(client):
    saved = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.update(broker_url=f"redis://{CLOSED_PORT}/0")
    app.conf.broker_transport_options = {}
    try:
        response = client.get("/healthz")
    finally:
        app.conf.update(broker_url=saved[0], broker_transport_options=saved[1])
    assert response.status_code == 503
    assert list(response.json()["failing"]) == ["broker"]


def test_healthz_answers_503_naming_the_database_when_it_cannot_be_reached():
    script = (
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, r.content.decode())"
    )
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@{CLOSED_PORT}/clinic"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    status, _, body = result.stdout.strip().splitlines()[-1].partition(" ")
    assert status == "503", result.stdout + result.stderr
    assert "database" in json.loads(body)["failing"]


@pytest.mark.django_db
def test_request_log_leaves_out_the_query_string(client, caplog):
    with caplog.at_level("INFO", logger="clinic.request"):
        client.get("/healthz?search=+14165550123")
    lines = [r.getMessage() for r in caplog.records if r.name == "clinic.request"]
    assert lines and lines[0].startswith("GET /healthz 200")
    assert "4165550123" not in " ".join(lines)
