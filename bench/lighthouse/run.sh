#!/usr/bin/env bash
# Lighthouse 12.2.3 (accessibility, best practices, SEO) on the landing, dashboard, products,
# imports and insights pages of a portal served as in production (DEBUG=0, gunicorn, WhiteNoise
# with collected static files) on loopback. See ../README.md, "Lighthouse".
# Usage: bench/lighthouse/run.sh [language=zh-hans] [form factor: mobile|desktop]
# Recreates the database bozor_lighthouse (BENCH_DB) with seed_demo (BENCH_KEEP_DB=1 reuses it),
# signs demo1@bozor.localhost in by creating its session (the Cookie header goes to Lighthouse
# with --extra-headers), installs Lighthouse with npm into LIGHTHOUSE_DIR when it is not there,
# audits each page with Debian's Chromium and prints the scores and every failing audit.
set -euo pipefail
cd "$(dirname "$0")/../.."

LANGUAGE="${1:-zh-hans}"
FORM_FACTOR="${2:-mobile}"
PORT="${BENCH_PORT:-8766}"
DB="${BENCH_DB:-bozor_lighthouse}"
OUT="${BENCH_OUT:-var/bench-lighthouse}"
LH_VERSION=12.2.3
LH_DIR="${LIGHTHOUSE_DIR:-var/lighthouse}"
BIN=.venv/bin
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"

export DEBUG=0
export SECRET_KEY="bench-only-secret-key-not-for-production-0123456789-abcdefghij"
export ALLOWED_HOSTS=127.0.0.1
# Plain HTTP on loopback: no redirect to HTTPS, cookies not limited to HTTPS.
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 LANGUAGE_COOKIE_SECURE=0
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${DB}"
export CELERY_BROKER_URL="${BENCH_BROKER:-redis://127.0.0.1:6379/6}"
export BOZOR_VAR_DIR="$PWD/$OUT"
export LOG_LEVEL=WARNING
mkdir -p "$OUT/reports"

if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ]; then
  mkdir -p "$LH_DIR"
  npm install --prefix "$LH_DIR" --no-save --no-audit --no-fund -E "lighthouse@${LH_VERSION}" >/dev/null
fi
"$LH_DIR/node_modules/.bin/lighthouse" --version | grep -qx "$LH_VERSION" \
  || { echo "Lighthouse in $LH_DIR is not $LH_VERSION" >&2; exit 1; }

if [ "${BENCH_KEEP_DB:-0}" != 1 ]; then
  dropdb -h 127.0.0.1 -U postgres --if-exists "$DB"
  createdb -h 127.0.0.1 -U postgres "$DB"
  $BIN/python manage.py migrate --noinput -v 0
  $BIN/python manage.py seed_demo > "$OUT/seed.log"
fi
$BIN/python manage.py collectstatic --noinput -v 0
# What a login stores, for the first approved demo seller's owner.
SESSION=$($BIN/python manage.py shell -v 0 -c "
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from sellers.models import User
user = User.objects.get(email='demo1@bozor.localhost')
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend'
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
")

$BIN/gunicorn portal.wsgi:application --bind "127.0.0.1:${PORT}" --workers 2 \
  --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" --pid "$OUT/gunicorn.pid" &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true; wait $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/" 2>/dev/null && break
  sleep 0.2
done
curl -fsS -o /dev/null "http://127.0.0.1:${PORT}/" || { echo "gunicorn did not start" >&2; exit 1; }

PRESET=()
[ "$FORM_FACTOR" = desktop ] && PRESET=(--preset=desktop)
for page in landing:/ dashboard:/dashboard/ products:/catalog/products/ imports:/catalog/imports/ insights:/insights/; do
  name="${page%%:*}"
  path="${page#*:}"
  cookie="django_language=${LANGUAGE}"
  # The landing page is audited as a visitor sees it, the others signed in.
  [ "$name" != landing ] && cookie="${cookie}; sessionid=${SESSION}"
  "$LH_DIR/node_modules/.bin/lighthouse" "http://127.0.0.1:${PORT}${path}" \
    --only-categories=accessibility,best-practices,seo "${PRESET[@]}" \
    --chrome-flags="--headless=new --no-sandbox" \
    --extra-headers="{\"Cookie\": \"${cookie}\"}" \
    --output=json --output-path="$OUT/reports/${name}-${LANGUAGE}-${FORM_FACTOR}.json" --quiet
done
$BIN/python bench/lighthouse/summary.py "$OUT/reports" "$LANGUAGE" "$FORM_FACTOR"
