"""Every route name lives in a namespace and means one route; every place that names a
route names one that exists (docs/architecture.md#url-names).

Without namespaces the API's `appointment-cancel` and the staff page's shared one name,
and only the order of the includes decided which one a template got.
"""

import ast
from collections import defaultdict

from django.conf import settings

from tests.architecture.url_names import (
    ROOT,
    UNKNOWN,
    Route,
    Use,
    call_use,
    code_uses,
    is_format_twin,
    namespaces,
    resolves,
    routes,
    setting_uses,
    tag_use,
    template_uses,
)

HOW = "app_name in each URLconf, see docs/architecture.md#url-names"


def advice(use: Use, table: list[Route]) -> str:
    """Say exactly what to write instead."""
    full = {route.full_name for route in table}
    if use.name in full:
        takes = " or ".join(
            sorted(
                {
                    ", ".join(r.params) or "none"
                    for r in table
                    if r.full_name == use.name and "format" not in r.params
                }
            )
        )
        given = "some" if use.args == UNKNOWN else use.args + len(use.kwargs)
        return f"{use.written()} with {given} argument(s); the route takes: {takes}"
    short = use.name.rsplit(":", 1)[-1]
    matches = sorted({route.full_name for route in table if route.name == short})
    if matches:
        choices = " or ".join(repr(name) for name in matches)
        return f"{use.written()}: qualify it with its namespace, write {choices} instead"
    return f"{use.written()}, and no route has that name"


def listed(problems: list[str]) -> str:
    return "\n" + "\n".join(problems)


def unresolved(uses: list[Use]) -> list[str]:
    table = list(routes())
    return [advice(use, table) for use in uses if not resolves(use)]


def unnamespaced(route: Route) -> str:
    if route.module == settings.ROOT_URLCONF:
        fix = "move it into the `site` list of config/urls.py (namespace 'config') or an app's URLconf"
    else:
        fix = (
            f"set app_name in {route.module} (a router or list: include((patterns, '<namespace>')))"
        )
    return (
        f"{route.name!r} ({route.view}) is in no namespace: {fix}, "
        f"then write '<namespace>:{route.name}' wherever it is named"
    )


def test_every_named_route_is_in_a_namespace() -> None:
    bare = sorted({unnamespaced(route) for route in routes() if not route.namespace})
    assert not bare, listed(bare)


def test_no_two_routes_share_a_full_name() -> None:
    by_name: dict[str, list[Route]] = defaultdict(list)
    for route in routes():
        by_name[route.full_name].append(route)
    shared = []
    for name, same in sorted(by_name.items()):
        distinct = [
            b for i, b in enumerate(same) if not any(is_format_twin(a, b) for a in same[:i])
        ]
        if len(distinct) > 1:
            both = " and ".join(f"{r.route!r} ({r.view})" for r in distinct)
            shared.append(f"{name!r} names {both}: give them different namespaces ({HOW})")
    included = list(namespaces())
    twice = sorted(
        {f"namespace {ns!r} is included twice" for ns in included if included.count(ns) > 1}
    )
    assert not shared + twice, listed(shared + twice)


def test_every_url_tag_in_the_templates_names_a_route() -> None:
    uses = list(template_uses())
    assert len(uses) > 100  # the scan found the templates
    assert not (missing := unresolved(uses)), listed(missing)


def test_templates_tell_pages_apart_by_full_name() -> None:
    # url_name drops the namespace: "bookings:patient" and a future "reminders:patient"
    # would both read "patient".
    short = [
        f"{path.relative_to(ROOT)} reads request.resolver_match.url_name: read "
        "request.resolver_match.view_name and compare full names ('bookings:calendar')"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if "resolver_match.url_name" in path.read_text()
    ]
    assert not short, listed(short)


def test_every_route_name_in_code_and_settings_names_a_route() -> None:
    uses = list(code_uses()) + list(setting_uses(settings))
    assert len(uses) > 30  # the scan found the views
    assert not (missing := unresolved(uses)), listed(missing)


def test_the_check_reads_tags_calls_and_twins() -> None:
    # The check itself must be able to fail: it sees each way of naming a route and
    # counts the arguments, and a route's `.json` twin is not a clash but a page is.
    assert tag_use("t", "'bookings:patient' p.pk as link") == Use("t", "bookings:patient", 1)
    assert tag_use("t", '"links:page" token=link.token') == Use("t", "links:page", 0, ("token",))
    assert not resolves(Use("t", "patient", 1))
    assert not resolves(Use("t", "bookings:patient", 0))
    assert "write 'bookings:patient' instead" in advice(Use("t", "patient", 1), list(routes()))
    call = compile_call("redirect('bookings:patient', patient.pk)")
    assert call_use("c", call) == Use("c", "bookings:patient", 1)
    call = compile_call("reverse('reminders:thread', args=[pk])")
    assert call_use("c", call) == Use("c", "reminders:thread", 1)
    assert call_use("c", compile_call("redirect('/login/')")) is None
    api = Route("bookings-api", "lot-list", "api/v1/^lots/$", "bookings.api_lots.Lots", "m")
    twin = Route("bookings-api", "lot-list", r"api/v1/^lots\.(?P<format>[a-z]+)/?$", api.view, "m")
    page = Route("bookings-api", "lot-list", "lots/", "bookings.views_lots.lot_list", "m")
    assert is_format_twin(api, twin)
    assert not is_format_twin(api, page)


def compile_call(source: str) -> ast.Call:
    node = ast.parse(source).body[0]
    assert isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
    return node.value
