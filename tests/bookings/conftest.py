import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Hashing a password properly takes ~0.1 s; these tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
