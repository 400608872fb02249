"""Dependencies point one way: reminders → bookings → scheduler (docs/architecture.md).

Checked on the code (every import, including those inside functions) and on the
templates (what a template loads, includes or extends), so a shortcut across the
layers fails CI instead of slowly tangling the apps.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["scheduler", "bookings", "reminders"]
# What each app may not use: everything that sits above it.
FORBIDDEN = {"scheduler": {"bookings", "reminders"}, "bookings": {"reminders"}, "reminders": set()}
TEMPLATE_LIBRARIES = {"reminders_patient": "reminders"}
TEMPLATE_USE = re.compile(r"{%\s*(?:include|extends)\s+[\"']([a-z_]+)/")
TEMPLATE_LOAD = re.compile(r"{%\s*load\s+([\w\s]+?)\s*%}")


def imported_modules(source: str) -> set[str]:
    """The top-level packages a module imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def imported_apps(source: str) -> set[str]:
    return imported_modules(source) & set(APPS)


def template_apps(source: str) -> set[str]:
    found = set(TEMPLATE_USE.findall(source)) & set(APPS)
    for libraries in TEMPLATE_LOAD.findall(source):
        found |= {
            TEMPLATE_LIBRARIES[name] for name in libraries.split() if name in TEMPLATE_LIBRARIES
        }
    return found


def _violations(app: str) -> list[str]:
    bad = []
    for path in sorted((ROOT / app).rglob("*.py")):
        for used in imported_apps(path.read_text()) & FORBIDDEN[app]:
            bad.append(f"{path.relative_to(ROOT)} imports {used}")
    for path in sorted((ROOT / "templates" / app).rglob("*.html")):
        for used in template_apps(path.read_text()) & FORBIDDEN[app]:
            bad.append(f"{path.relative_to(ROOT)} uses {used}' templates")
    return bad


@pytest.mark.parametrize("app", APPS)
def test_an_app_uses_nothing_above_it(app: str) -> None:
    assert _violations(app) == []


def test_the_check_sees_imports_and_template_uses() -> None:
    # The check itself must be able to fail: a function-level import counts, and so does
    # a template that includes or loads another app's parts.
    code = "def f():\n    from reminders.models import Recall\n    import scheduler.clock\n"
    assert imported_apps(code) == {"reminders", "scheduler"}
    assert template_apps('{% include "reminders/_x.html" %}') == {"reminders"}
    assert template_apps("{% load static reminders_patient %}") == {"reminders"}
    assert template_apps('{% extends "base.html" %}') == set()
