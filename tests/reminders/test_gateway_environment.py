"""The Twilio client reads the environment's proxy and certificate settings once.

requests would read them on every request (most of a millisecond a text); read once, the
proxy a clinic's network names is still the one used, and the hosts it exempts are
still exempt.
"""

import pytest

from reminders import gateway


@pytest.fixture(autouse=True)
def _fresh_client():
    gateway._client.cache_clear()
    yield
    gateway._client.cache_clear()


def _http_client(api_base_url: str):
    return gateway._client("AC" + "a" * 32, "token", api_base_url, 5.0).http_client


def test_the_proxy_the_environment_names_is_used_for_twilio(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.clinic.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    http = _http_client("")
    assert http.proxy.get("https") == "http://proxy.clinic.example:3128"
    assert http.session.trust_env is False  # not read again for each text


def test_a_host_the_environment_exempts_goes_direct(monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.clinic.example:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    http = _http_client("http://127.0.0.1:9")
    assert not http.proxy.get("http")


def test_a_certificate_bundle_the_environment_names_is_kept(monkeypatch, tmp_path):
    bundle = tmp_path / "clinic-ca.pem"
    bundle.write_text("")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    assert _http_client("").session.verify == str(bundle)
