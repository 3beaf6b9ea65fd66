# The two commands: `make run` (the whole platform, embedded) and `make test` (the suite).
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8080
DATA_DIR ?= var
BIN = $(VENV)/bin

.PHONY: run test faults load soak stack lint asyncapi clean host-setup wheelhouse base-image infra-images image up down token bootstrap test-containers

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/community up --port $(PORT) --data-dir $(DATA_DIR)

stack: $(VENV)/.installed
	$(BIN)/community stack

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest

# Faults injected into the local stack under load (a few minutes; see tests/faults).
faults: $(VENV)/.installed-dev
	$(BIN)/python -m pytest tests/faults -m faults -s

# The peak-hour load of 7, 100 and 700 communities on the local stack (bench/loadmodel.md);
# report and plot in var/load. LOAD_ARGS="--communities 7 --minutes 1" for a short run.
LOAD_ARGS ?= --communities 7 --communities 100 --communities 700 --minutes 3
load: $(VENV)/.installed-dev
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/load/run.py $(LOAD_ARGS)

# The soak: the Nanshan load for 30 minutes with five faults at known times, then the
# consistency, delivery, memory and error-window checks (bench/load/soak.py); report in var/soak.
SOAK_ARGS ?= --communities 100 --minutes 30
soak: $(VENV)/.installed-dev
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/load/soak.py $(SOAK_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check services gateway deploy bench tests docs/examples
	$(BIN)/ruff format --check services gateway deploy bench tests docs/examples

asyncapi: $(VENV)/.installed
	$(BIN)/community asyncapi

clean:
	rm -rf $(VENV) var .pytest_cache

# -- containers (docs/operations.md): podman, images made from Debian packages ---------------
PLATFORM_IMAGE ?= localhost/community-platform:local
PYTHON_IMAGE ?= localhost/community-python-base:bookworm
INFRA_IMAGES = postgres rabbitmq redis

host-setup:
	sh deploy/containers/setup-host.sh

wheelhouse:
	PYTHON=$(PYTHON) sh deploy/containers/wheelhouse.sh

base-image:
	sh deploy/containers/base-image.sh python

infra-images:
	sh deploy/containers/base-image.sh infra
	for name in $(INFRA_IMAGES); do \
	  podman build --quiet --network none -f deploy/images/$$name.Containerfile \
	    -t localhost/community-$$name:bookworm deploy/images >/dev/null || exit 1; \
	  echo "localhost/community-$$name:bookworm: built"; \
	done

# From the wheelhouse only, with no network at all (as on a network that cannot reach PyPI).
image: wheelhouse base-image
	podman build --quiet --network none --ignorefile deploy/Dockerfile.dockerignore \
	  --build-arg PYTHON_IMAGE=$(PYTHON_IMAGE) -f deploy/Dockerfile -t $(PLATFORM_IMAGE) . >/dev/null
	@echo "$(PLATFORM_IMAGE): built"

up:
	@podman image exists $(PLATFORM_IMAGE) || $(MAKE) image
	@podman image exists localhost/community-postgres:bookworm || $(MAKE) infra-images
	sh deploy/containers/up.sh

down:
	sh deploy/containers/down.sh

token:
	@sh deploy/containers/token.sh

bootstrap:
	sh deploy/containers/bootstrap.sh

test-containers: $(VENV)/.installed-dev host-setup
	COMMUNITY_CONTAINER_TESTS=1 $(BIN)/python -m pytest tests/containers -p no:cacheprovider
