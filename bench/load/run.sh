#!/usr/bin/env bash
# Load test against gunicorn with production settings on loopback (see README.md).
# Usage: bench/load/run.sh [users=50] [seconds=60]
# Recreates the database bozor_load (BENCH_DB), seeds it with seed_demo, serves it with 2 gunicorn
# workers on 127.0.0.1:8765, runs locust headless and prints its summary.
set -euo pipefail
cd "$(dirname "$0")/../.."

USERS="${1:-50}"
SECONDS_RUN="${2:-60}"
PORT="${BENCH_PORT:-8765}"
DB="${BENCH_DB:-bozor_load}"
OUT="${BENCH_OUT:-var/bench-load}"
BIN=.venv/bin

export DEBUG=0
export SECRET_KEY="bench-only-secret-key-not-for-production-0123456789-abcdefghij"
export ALLOWED_HOSTS=127.0.0.1
# Plain HTTP on loopback: no redirect to HTTPS, cookies not limited to HTTPS.
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${DB}"
export CELERY_BROKER_URL="${BENCH_BROKER:-redis://127.0.0.1:6379/6}"
export BOZOR_VAR_DIR="$PWD/$OUT"
export LOG_LEVEL=WARNING
mkdir -p "$OUT"

if [ "${BENCH_KEEP_DB:-0}" != 1 ]; then
  dropdb -h 127.0.0.1 -U postgres --if-exists "$DB"
  createdb -h 127.0.0.1 -U postgres "$DB"
  $BIN/python manage.py migrate --noinput -v 0
  $BIN/python manage.py seed_demo > "$OUT/seed.log"
fi
$BIN/python manage.py collectstatic --noinput -v 0
# USERS brand managers of the first approved demo seller, each already signed in: the sessions
# are made here (what a login stores), so the run measures the pages, not password hashing.
$BIN/python manage.py shell -v 0 -c "
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from sellers.models import Membership, Seller, SellerStatus, User
seller = Seller.objects.filter(status=SellerStatus.APPROVED).order_by('pk').first()
keys = []
for n in range(1, ${USERS} + 1):
    user, _ = User.objects.get_or_create(email=f'bench{n:03d}@example.com')
    user.set_unusable_password(); user.save()
    Membership.objects.get_or_create(user=user, defaults={'seller': seller, 'role': 'member'})
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    keys.append(session.session_key)
open('${OUT}/sessions.txt', 'w').write(chr(10).join(keys) + chr(10))
print('seller', seller.legal_name, 'users', len(keys))
"

$BIN/gunicorn portal.wsgi:application --bind "127.0.0.1:${PORT}" --workers 2 \
  --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" --pid "$OUT/gunicorn.pid" &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true; wait $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/" && break
  sleep 0.2
done

BENCH_SESSIONS="$OUT/sessions.txt" $BIN/locust -f bench/load/locustfile.py --headless --host "http://127.0.0.1:${PORT}" \
  --users "$USERS" --spawn-rate 10 --run-time "${SECONDS_RUN}s" --stop-timeout 5 \
  --csv "$OUT/locust" --only-summary 2>&1 | tee "$OUT/locust.log"
