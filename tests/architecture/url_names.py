"""What the URL check reads: every named route with its namespace, and every place that
names a route — `{% url %}` tags in templates, reverse()/redirect() strings in code,
the settings that take a route's name (docs/architecture.md#url-names)."""

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils.text import smart_split

ROOT = Path(__file__).resolve().parents[2]
CODE = ["bookings", "reminders", "scheduler", "config", "benchmarks", "tests"]
URL_TAG = re.compile(r"{%\s*url\s+(.*?)\s*%}", re.S)
# The navigation marks the page it is on by comparing the route's full name.
HERE_TEST = re.compile(r"here\s*==\s*[\"']([^\"']+)[\"']")
NAMING_CALLS = {"reverse", "reverse_lazy", "redirect", "resolve_url"}
NOT_ARGS = {"permanent", "current_app", "urlconf", "query"}
NAME_SETTINGS = ["LOGIN_URL", "LOGIN_REDIRECT_URL", "LOGOUT_REDIRECT_URL"]
UNKNOWN = -1  # a use whose argument count is not written out (args=some_list)


@dataclass(frozen=True)
class Route:
    namespace: str
    name: str
    route: str
    view: str
    module: str
    params: tuple[str, ...] = ()

    @property
    def full_name(self) -> str:
        return f"{self.namespace}:{self.name}" if self.namespace else self.name


@dataclass(frozen=True)
class Use:
    """One place that names a route: where, the name, and how many arguments it passes."""

    where: str
    name: str
    args: int
    kwargs: tuple[str, ...] = ()

    def written(self) -> str:
        return f"{self.where} names {self.name!r}"


def routes(
    resolver: URLResolver | None = None, namespace: str = "", prefix: str = ""
) -> Iterator[Route]:
    resolver = resolver or get_resolver()
    module = resolver.urlconf_name
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace or ""]))
            yield from routes(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            where = (
                module
                if isinstance(module, str)
                else getattr(module, "__name__", "the include of a router or list")
            )
            params = tuple(entry.pattern.regex.groupindex)
            route = prefix + str(entry.pattern)
            yield Route(namespace, entry.name, route, entry.lookup_str, where, params)


def namespaces(resolver: URLResolver | None = None, above: str = "") -> Iterator[str]:
    """Every include point's full namespace, once per include (a repeat is a clash)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            full = ":".join(filter(None, [above, entry.namespace or ""]))
            if entry.namespace:
                yield full
            yield from namespaces(entry, full)


def is_format_twin(a: Route, b: Route) -> bool:
    """DRF's routers add `<route>.json` beside each route under the same name and view."""
    return a.view == b.view and "format" in a.route + b.route


def template_uses() -> Iterator[Use]:
    for path in sorted((ROOT / "templates").rglob("*")):
        if not path.is_file():
            continue
        source = path.read_text()
        for match in URL_TAG.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            where = f"{path.relative_to(ROOT)}:{line}"
            yield tag_use(where, match.group(1))
        for match in HERE_TEST.finditer(source):
            line = source.count("\n", 0, match.start()) + 1
            yield Use(f"{path.relative_to(ROOT)}:{line}", match.group(1), UNKNOWN)


def tag_use(where: str, inside: str) -> Use:
    """`'bookings:patient' patient.pk as link` → the name and its arguments."""
    bits = list(smart_split(inside))
    if len(bits) >= 3 and bits[-2] == "as":
        bits = bits[:-2]
    name, rest = bits[0], bits[1:]
    if name[0] not in "'\"":
        return Use(where, f"(not a literal name: {name})", 0)
    kwargs = tuple(bit.split("=", 1)[0] for bit in rest if re.match(r"^\w+=", bit))
    return Use(where, name[1:-1], len(rest) - len(kwargs), kwargs)


def code_uses() -> Iterator[Use]:
    for folder in CODE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call):
                    use = call_use(f"{path.relative_to(ROOT)}:{node.lineno}", node)
                    if use:
                        yield use


def call_use(where: str, call: ast.Call) -> Use | None:
    for keyword in call.keywords:
        if keyword.arg == "url_name" and isinstance(keyword.value, ast.Constant):
            return Use(where, str(keyword.value.value), 0)
    func = call.func
    called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    if called not in NAMING_CALLS or not call.args:
        return None
    first = call.args[0]
    if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
        return None
    if "/" in first.value or first.value.startswith("http"):
        return None  # redirect() to an address, not a name
    if called.startswith("reverse"):
        return Use(where, first.value, *_reverse_arguments(call))
    if any(isinstance(arg, ast.Starred) for arg in call.args) or any(
        k.arg is None for k in call.keywords
    ):
        return Use(where, first.value, UNKNOWN)
    names = tuple(str(k.arg) for k in call.keywords if k.arg not in NOT_ARGS)
    return Use(where, first.value, len(call.args) - 1, names)


def _reverse_arguments(call: ast.Call) -> tuple[int, tuple[str, ...]]:
    given = {k.arg: k.value for k in call.keywords}
    args, kwargs = given.get("args"), given.get("kwargs")
    args = call.args[2] if len(call.args) > 2 else args
    kwargs = call.args[3] if len(call.args) > 3 else kwargs
    if isinstance(kwargs, ast.Dict):
        keys = [k.value for k in kwargs.keys if isinstance(k, ast.Constant)]
        return 0, tuple(str(key) for key in keys)
    if kwargs is not None:
        return UNKNOWN, ()
    if args is None:
        return 0, ()
    if isinstance(args, ast.List | ast.Tuple) and not any(
        isinstance(e, ast.Starred) for e in args.elts
    ):
        return len(args.elts), ()
    return UNKNOWN, ()


def setting_uses(settings: object) -> Iterator[Use]:
    for setting in NAME_SETTINGS:
        value = str(getattr(settings, setting))
        if "/" not in value:
            yield Use(f"config/settings.py {setting}", value, 0)


def resolves(use: Use) -> bool:
    """Reverse the name with dummy arguments of the right count ("1" fits every converter
    used here: int, str, slug and DRF's lookup regex)."""
    counts = range(4) if use.args == UNKNOWN else [use.args]
    for count in counts:
        try:
            reverse(use.name, args=["1"] * count or None, kwargs=dict.fromkeys(use.kwargs, "1"))
            return True
        except (NoReverseMatch, ValueError):  # ValueError: args and kwargs mixed
            continue
    return False
