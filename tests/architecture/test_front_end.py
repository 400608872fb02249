"""Scripts live in static files, never inline in templates.

Inline scripts cannot be cached, are invisible to the static build, and would need
'unsafe-inline' in a content security policy; data goes to scripts through
``json_script`` instead.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")


def inline_scripts(html: str) -> list[str]:
    return INLINE_SCRIPT.findall(html)


def test_no_template_has_an_inline_script() -> None:
    found = {
        str(path.relative_to(ROOT)): inline_scripts(path.read_text())
        for path in (ROOT / "templates").rglob("*.html")
    }
    assert {path: tags for path, tags in found.items() if tags} == {}


def test_the_check_tells_inline_from_static() -> None:
    assert inline_scripts("<script>alert(1)</script>") == ["<script>"]
    assert inline_scripts('<script src="/static/js/x.js" defer></script>') == []
    assert inline_scripts('<script id="d" type="application/json">{}</script>') == []
