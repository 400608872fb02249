"""gunicorn's access log: what an operator needs, never a patient's search terms."""

import json
from datetime import timedelta
from pathlib import Path

import yaml
from gunicorn.config import Config
from gunicorn.glogging import Logger

from config import gunicorn_conf

ROOT = Path(__file__).resolve().parents[2]
CONFIG_OPTION = ["--config", "python:config.gunicorn_conf"]


class FakeRequest:
    method = "GET"
    path = "/patients/"
    query = "q=Tremblay&search=5550199"
    uri = "/patients/?q=Tremblay&search=5550199"
    version = (1, 1)
    headers = [("REFERER", "https://clinic.example.com/patients/?q=Tremblay")]


class FakeResponse:
    status = "200 OK"
    sent = 512
    headers = [("Content-Type", "text/html")]


def access_line(fmt: str) -> str:
    config = Config()
    config.set("access_log_format", fmt)
    logger = Logger(config)
    environ = {
        "REMOTE_ADDR": "10.0.0.1",
        "REQUEST_METHOD": "GET",
        "RAW_URI": FakeRequest.uri,
        "PATH_INFO": FakeRequest.path,
        "QUERY_STRING": FakeRequest.query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": FakeRequest.headers[0][1],
    }
    atoms = logger.atoms(FakeResponse(), FakeRequest(), environ, timedelta(milliseconds=12))
    return fmt % atoms


def test_the_access_log_line_has_the_path_but_not_the_query_or_referrer():
    line = access_line(gunicorn_conf.access_log_format)
    assert '"GET /patients/ HTTP/1.1" 200' in line
    assert "Tremblay" not in line and "5550199" not in line


def test_gunicorns_default_format_would_log_the_search_terms():
    # Why the config exists: the default request line (%(r)s) carries the query.
    assert "Tremblay" in access_line(Config().access_log_format)


def test_the_access_log_goes_to_stdout_for_the_container():
    assert gunicorn_conf.accesslog == "-"


def test_the_image_and_compose_start_gunicorn_with_this_config():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = next(line for line in dockerfile.splitlines() if line.startswith("CMD "))
    image = json.loads(cmd.removeprefix("CMD "))
    web = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"]["command"]
    for command in (image, web):
        assert command[0] == "gunicorn"
        assert " ".join(CONFIG_OPTION) in " ".join(command)
        # An option on the command line would override the config's log settings.
        assert not {"--access-logfile", "--access-logformat"} & set(command)
