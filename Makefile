# 東京都ひきこもりサポートネット 連携ポータル
# `make run`: set up everything and serve the portal with demo data (web + Celery worker + beat).
# `make test`: the whole test suite.    `make bench`: benchmarks -> bench/results.json

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
STAMP  := $(VENV)/.installed
# Links in emails, ICS files and QR codes point at the address that serves the portal.
RUN_SITE_URL = $(or $(SITE_URL),http://127.0.0.1:$(PORT))

.PHONY: install run serve test bench lint format messages deploy-check backup restore-drill clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[test]"
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference_data
	SITE_URL=$(RUN_SITE_URL) $(BIN)/python manage.py seed_demo --i-know-this-is-not-production
	SITE_URL=$(RUN_SITE_URL) PORT=$(PORT) bash scripts/run.sh

# The production shape (gunicorn, Celery worker and beat, production settings): every setting comes
# from the environment, see README "Production".
serve: install
	PORT=$(PORT) bash scripts/serve.sh

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	$(BIN)/python manage.py makemessages -l ja -l en --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages --ignore=.venv

deploy-check: install
	DJANGO_SETTINGS_MODULE=portal.settings.production \
	SECRET_KEY=$${SECRET_KEY:-deploy-check-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=')} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-portal.example.jp} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	DATABASE_URL=$${DATABASE_URL:-postgres://portal:portal@127.0.0.1:5432/portal} \
	EMAIL_URL=$${EMAIL_URL:-smtp+tls://portal:secret@smtp.example.jp:587} \
	SITE_URL=$${SITE_URL:-https://portal.example.jp} \
	MFA_ENCRYPTION_KEYS=$${MFA_ENCRYPTION_KEYS:-$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')} \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# Production, one machine, as root: database (pgBackRest) and uploaded files (restic), README "Backups".
# KIND=full|diff|incr|media|verify|info (default diff).
backup:
	bash scripts/backup.sh $(KIND)

# As root on a machine with PostgreSQL, pgbackrest, restic and Redis: back up, lose, restore, prove.
restore-drill:
	bash scripts/restore_drill.sh

clean:
	rm -rf var
