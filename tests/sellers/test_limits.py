"""Limits on account mails: per sender and per recipient, with a cooldown, in the shared cache."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from sellers import limits

ROOT = Path(__file__).resolve().parents[2]


def test_row_34_a_sender_gets_the_limit_then_a_429_with_the_time_to_wait(settings):
    settings.MAIL_LIMIT_SIGNUP_PER_HOUR = 3
    for _attempt in range(3):
        limits.sender_check(kind=limits.SIGNUP, sender="198.51.100.7")
    with pytest.raises(limits.MailLimitReached) as refused:
        limits.sender_check(kind=limits.SIGNUP, sender="198.51.100.7")
    assert refused.value.status_code == 429
    assert 0 < refused.value.wait <= 3600
    limits.sender_check(kind=limits.SIGNUP, sender="192.0.2.44")  # another address: its own
    limits.sender_check(kind=limits.PASSWORD_RESET, sender="198.51.100.7")  # another kind


def test_row_34_the_same_mail_waits_for_the_cooldown_and_recipients_have_a_budget(settings):
    settings.MAIL_LIMIT_PER_RECIPIENT_PER_HOUR = 3
    assert limits.recipient_wait(kind=limits.INVITATION, recipient="wang@example.cn") == 0
    wait = limits.recipient_wait(kind=limits.INVITATION, recipient="wang@example.cn")
    assert 0 < wait <= settings.MAIL_COOLDOWN_SECONDS
    # The same address spelled otherwise is the same recipient.
    assert limits.recipient_wait(kind=limits.INVITATION, recipient=" WANG@example.CN") > 0
    assert limits.recipient_wait(kind=limits.VERIFICATION, recipient="wang@example.cn") == 0
    assert limits.recipient_wait(kind=limits.PASSWORD_RESET, recipient="wang@example.cn") == 0
    # Three mails of any kind in the hour: the fourth kind waits too.
    assert limits.recipient_wait(kind=limits.SIGNUP, recipient="wang@example.cn") > 0


def test_row_34_every_limit_is_a_setting_read_from_the_environment():
    code = (
        "import json, os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings';"
        "from django.conf import settings as s;"
        f"print(json.dumps([getattr(s, n) for n in {limits.SETTING_NAMES!r}]))"
    )
    env = {**os.environ, **{name: str(n + 7) for n, name in enumerate(limits.SETTING_NAMES)}}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(
        [n + 7 for n in range(len(limits.SETTING_NAMES))]
    )


COUNT_IN_A_PROCESS = """
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
import django
django.setup()
from sellers import limits
refused = 0
for _ in range(3):
    try:
        limits.sender_check(kind=limits.SIGNUP, sender="203.0.113.9")
    except limits.MailLimitReached:
        refused += 1
print(refused)
"""


@pytest.mark.skipif(
    not django_settings.CELERY_BROKER_URL.startswith("redis"),
    reason="needs Redis (set CELERY_BROKER_URL)",
)
def test_row_34_two_processes_share_one_limit_through_the_brokers_redis():
    from django.core.cache import cache

    cache.clear()
    env = {
        **os.environ,
        "CELERY_BROKER_URL": django_settings.CELERY_BROKER_URL,
        "MAIL_LIMIT_SIGNUP_PER_HOUR": "4",
    }
    env.pop("CACHE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    runs = [
        subprocess.run(
            [sys.executable, "-c", COUNT_IN_A_PROCESS],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        for _process in range(2)
    ]
    assert all(run.returncode == 0 for run in runs), [run.stderr for run in runs]
    refused = [int(run.stdout.strip().splitlines()[-1]) for run in runs]
    assert refused == [0, 2]  # six attempts, four allowed in all: not four in each process
    cache.clear()
