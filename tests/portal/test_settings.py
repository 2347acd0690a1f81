"""Production settings: check --deploy is clean, cookies are secure, secrets are required."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-production-test-key-" + "y" * 30,
    "ALLOWED_HOSTS": "bozor.example",
}


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **env}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True
    )


def test_row_30_it_passes_check_deploy_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_row_30_it_makes_cookies_secure_and_sends_hsts_in_production():
    code = (
        "import json, os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings';"
        "from django.conf import settings as s;"
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY',"
        "'SESSION_COOKIE_SAMESITE','SECURE_HSTS_SECONDS','X_FRAME_OPTIONS','SECURE_SSL_REDIRECT',"
        "'CELERY_TASK_ALWAYS_EAGER']}))"
    )
    result = run_python(code, **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_SSL_REDIRECT"] is True


def test_row_30_it_refuses_to_start_in_production_without_a_secret_key():
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings';"
        "from django.conf import settings; settings.SECRET_KEY"
    )
    result = run_python(code, DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="bozor.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_it_fails_loudly_on_a_malformed_boolean(value):
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings';"
        "from django.conf import settings; settings.DEBUG"
    )
    result = run_python(code, DEBUG=value)
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


CACHE_BACKEND = (
    "import json, os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings';"
    "from django.conf import settings as s;"
    "print(json.dumps([s.CACHES['default']['BACKEND'], s.CACHES['default'].get('LOCATION')]))"
)


@pytest.mark.parametrize(
    ("env", "backend", "location"),
    [
        ({}, "django.core.cache.backends.locmem.LocMemCache", None),
        (
            {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/3"},
            "django.core.cache.backends.redis.RedisCache",
            "redis://127.0.0.1:6379/3",
        ),
        (
            {"CELERY_BROKER_URL": "redis://broker:6379/3", "CACHE_URL": "redis://cache:6379/1"},
            "django.core.cache.backends.redis.RedisCache",
            "redis://cache:6379/1",
        ),
    ],
)
def test_row_34_counters_live_in_the_brokers_redis_unless_cache_url_names_another(
    env, backend, location
):
    full = {"CELERY_BROKER_URL": "", "CACHE_URL": "", **env}
    result = run_python(CACHE_BACKEND, **full)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [backend, location]


def test_row_32_mail_goes_to_a_folder_with_the_file_backend(tmp_path):
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings';"
        "import django; django.setup();"
        "from django.core.mail import send_mail;"
        "send_mail('Subject', 'Body of the test mail', None, ['li@example.cn'])"
    )
    result = run_python(
        code,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    written = "".join(path.read_text() for path in tmp_path.iterdir())
    assert "Body of the test mail" in written
    assert "li@example.cn" in written
