"""The production image's static build and its web command, run as the Dockerfile runs them.

The steps are read from the Dockerfile itself, so a change there is what gets tested:
`collectstatic` with DJANGO_DEBUG=false (the manifest storage, which refuses a file
naming a missing source map), then gunicorn with the image's command serving a page
whose static URLs are the hashed ones, and an access log without query strings.
"""

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
HASHED_CSS = re.compile(r"/static/css/app\.[0-9a-f]{12}\.css")
# A patient search term: it must reach the page but never the access log.
SEARCH_TERM = "Tremblay5550199"


def dockerfile_instructions() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    text = (ROOT / "Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return [" ".join(part.split()) for part in "\n".join(lines).replace("\\\n", " ").split("\n")]


def collectstatic_step() -> tuple[dict[str, str], list[str]]:
    """The environment and command of the RUN that collects static files."""
    run = next(
        i for i in dockerfile_instructions() if i.startswith("RUN ") and "collectstatic" in i
    )
    step = next(part for part in run.removeprefix("RUN ").split("&&") if "collectstatic" in part)
    words = shlex.split(step)
    env = {}
    while "=" in words[0]:
        name, value = words.pop(0).split("=", 1)
        env[name] = value
    assert words[0] == "python"
    return env, [sys.executable, *words[1:]]


def web_command() -> list[str]:
    cmd = next(i for i in dockerfile_instructions() if i.startswith("CMD "))
    words = json.loads(cmd.removeprefix("CMD "))
    assert words[0] == "gunicorn"
    return [str(VENV_BIN / "gunicorn"), *words[1:]]


def clean_environ() -> dict[str, str]:
    """This machine's environment without the app's settings, as a fresh container has."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_", "SMS_"))
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    # The production settings redirect plain http; the TLS proxy in front says https.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, response.read().decode("utf-8", "replace")


def wait_until_answering(url: str, server: subprocess.Popen[str]) -> None:
    """Readiness, not a timing check: poll until gunicorn answers or exits."""
    for _ in range(300):
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited: {server.communicate()[1][-2000:]}")
        try:
            get(url)
            return
        except urllib.error.HTTPError:
            return  # an answer, whatever its status; the test checks the status
        except OSError:
            time.sleep(0.1)
    pytest.fail("gunicorn did not answer")


@pytest.fixture(scope="module")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("staticfiles")
    build_env, command = collectstatic_step()
    env = {**clean_environ(), **build_env, "DJANGO_STATIC_ROOT": str(root)}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return root


def test_the_image_collects_static_files_with_debug_off(static_root: Path):
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    for source in ("css/app.css", "vendor/htmx.min.js", "vendor/chart.umd.min.js"):
        assert (static_root / manifest[source]).is_file()


def test_vendored_scripts_name_no_source_map_they_do_not_ship():
    for script in (ROOT / "static" / "vendor").glob("*.js"):
        for name in re.findall(r"sourceMappingURL=(\S+)", script.read_text()):
            assert (script.parent / name).is_file(), f"{script.name} names {name}"


def test_the_image_command_serves_a_page_with_hashed_static_urls_and_logs_no_query(
    static_root: Path, tmp_path: Path
):
    port = free_port()
    env = {
        **clean_environ(),
        "PYTHONUNBUFFERED": "1",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "s" * 60,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite3'}",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
    }
    # Command-line options win over the config file: a free port, one worker.
    command = [*web_command(), "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{base}/login/", server)
        status, body = get(f"{base}/login/?q={SEARCH_TERM}&search={SEARCH_TERM}")
        assert status == 200
        css = HASHED_CSS.search(body)
        assert css, "the page links unhashed static files"
        assert get(f"{base}{css.group(0)}")[0] == 200
    finally:
        server.terminate()
        out, err = server.communicate(timeout=30)
    access_log = out + err
    assert "GET /login/ " in access_log
    assert SEARCH_TERM not in access_log
