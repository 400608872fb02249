"""One set of clock helpers: only tests/clock.py drives time-machine; every other test
moves time through it (``frozen_at``, ``ticking_at``, the ``frozen`` fixture), so the
clinic's zone and the frozen-or-ticking choice are decided in one place."""

from pathlib import Path

from tests.architecture.test_layers import imported_modules

ROOT = Path(__file__).resolve().parents[2]
CLOCK = ROOT / "tests" / "clock.py"


def test_only_the_clock_helpers_use_time_machine() -> None:
    direct = [
        f"{path.relative_to(ROOT)} imports time_machine: use tests/clock.py "
        "(frozen_at for a stopped clock, ticking_at for a running one, the frozen fixture)"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path != CLOCK and "time_machine" in imported_modules(path.read_text())
    ]
    assert not direct, "\n" + "\n".join(direct)


def test_the_check_sees_an_import_inside_a_function() -> None:
    assert "time_machine" in imported_modules("def f():\n    import time_machine\n")
    assert "time_machine" in imported_modules("from time_machine import travel\n")
