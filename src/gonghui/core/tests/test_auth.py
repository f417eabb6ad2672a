import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from gonghui.core.models import AuditLog, User
from gonghui.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2(settings) -> None:
    assert settings.PASSWORD_HASHERS[1] == "django.contrib.auth.hashers.Argon2PasswordHasher"  # [0]: test-only MD5
    settings.PASSWORD_HASHERS = settings.PASSWORD_HASHERS[1:]
    assert make_password("x-secret-9").startswith("argon2$")


def test_login_and_pages_need_login(world) -> None:
    client = Client()
    assert client.get("/orgs/").status_code == 302
    response = client.post("/login/", {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/orgs/").status_code == 200
    assert AuditLog.objects.filter(username="officer_a", action="login").exists()


def test_lockout_after_five_failures(world) -> None:
    client = Client()
    for _ in range(5):
        response = client.post("/login/", {"username": "officer_a", "password": "wrong"})
        assert "用户名或密码不正确" in response.content.decode()
    user = User.objects.get(username="officer_a")
    assert user.is_locked
    response = client.post("/login/", {"username": "officer_a", "password": PASSWORD})
    assert "账户已锁定" in response.content.decode()
    assert client.get("/orgs/").status_code == 302
    assert AuditLog.objects.filter(username="officer_a", action="login_failed").count() == 5


def test_success_resets_failure_count(world) -> None:
    client = Client()
    for _ in range(3):
        client.post("/login/", {"username": "officer_a", "password": "wrong"})
    client.post("/login/", {"username": "officer_a", "password": PASSWORD})
    assert User.objects.get(username="officer_a").failed_logins == 0


def test_user_without_role_sees_nothing(world) -> None:
    client = Client()
    client.force_login(world.nobody)
    assert "还没有分配工会权限" in client.get("/").content.decode()
    assert client.get(f"/orgs/{world.root.code}/").status_code == 404


def test_session_cookie_is_httponly_and_expires(settings) -> None:
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600


def test_pages_send_a_strict_content_security_policy(world) -> None:
    client = Client()
    client.force_login(world.officer_a)
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
