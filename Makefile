# Baladiya: the two commands are `make run` and `make test`. Everything else is for developers.
SHELL := /bin/bash
BUILD ?= build/release
JOBS ?= $(shell nproc)
PORT ?= 8080
CMAKE_FLAGS ?=

.PHONY: run test build bootstrap bootstrap-dev configure test-asan bench torture fuzz format lint clean demo \
  deb deb-test

bootstrap:
	@scripts/bootstrap.sh

# The developers' tools as well (deps/debian-dev.txt): clang for libFuzzer, clang-format,
# clang-tidy, wrk.
bootstrap-dev:
	@scripts/bootstrap.sh dev

configure: bootstrap
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# Builds, creates var/baladiya.db with the demo data (idempotent), and serves on 127.0.0.1:$(PORT).
# With no SMTP server or SMS gateway configured, email and SMS are written to var/outbox/.
# Card payments go to a sandbox payment provider on 127.0.0.1:$(SANDBOX_PORT) (never real money),
# stopped with the server. Identity checks go to a sandbox civil registry on
# 127.0.0.1:$(REGISTRY_PORT) that knows the demo residents.
SANDBOX_PORT ?= 8091
REGISTRY_PORT ?= 8092
run: build
	@mkdir -p var
	@$(BUILD)/baladiya seed --demo --database var/baladiya.db
	@$(BUILD)/baladiya card-sandbox --sandbox-port $(SANDBOX_PORT) \
	  --merchant-key demo-card-key --signing-secret demo-card-secret & sandbox=$$!; \
	  $(BUILD)/baladiya registry-sandbox --sandbox-port $(REGISTRY_PORT) & registry=$$!; \
	  trap 'kill $$sandbox $$registry 2>/dev/null' EXIT; \
	  BALADIYA_CIVIL_REGISTRY_URL=http://127.0.0.1:$(REGISTRY_PORT) \
	  BALADIYA_CARD_PROVIDER_URL=http://127.0.0.1:$(SANDBOX_PORT) \
	  BALADIYA_CARD_PROVIDER_KEY=demo-card-key BALADIYA_CARD_PROVIDER_SECRET=demo-card-secret \
	  $(BUILD)/baladiya serve --database var/baladiya.db --port $(PORT) --mail-drop var/outbox \
	  --public-url http://localhost:$(PORT)

# The whole suite: unit, store (SQLite and a throwaway PostgreSQL), HTTP and browser tests.
test: bootstrap
	@scripts/test.sh

# The unit and store tests under AddressSanitizer and UndefinedBehaviorSanitizer.
test-asan: bootstrap
	@BUILD=build/asan CMAKE_FLAGS="-DCMAKE_BUILD_TYPE=Debug -DBALADIYA_SANITIZE=ON" \
	  SKIP_BROWSER=1 scripts/test.sh

bench: bootstrap-dev
	@$(MAKE) --no-print-directory build CMAKE_FLAGS="$(CMAKE_FLAGS) -DBALADIYA_BENCH=ON"
	@scripts/bench.sh
	@scripts/bench-login.sh
	@BALADIYA_SOURCE_DIR=$(CURDIR) $(BUILD)/src/cases/cases_bench
	@scripts/bench-cases.sh
	@scripts/bench-open311.sh
	@scripts/bench-payments.sh
	@BALADIYA_SOURCE_DIR=$(CURDIR) $(BUILD)/src/documents/documents_bench | tee -a build/bench-results.md
	@$(BUILD)/src/participation/participation_bench build/participation-bench.db | tee -a build/bench-results.md
	@scripts/bench-participation.sh
	@scripts/bench-documents.sh
	@scripts/bench-kpi.sh
	@scripts/bench-interop.sh

# The server killed with SIGKILL at random moments under load, 1,000 times (ROUNDS=...): no
# acknowledged write may be lost; then a back-up taken under load is restored and checked.
ROUNDS ?= 1000
torture: build
	@scripts/torture.sh $(ROUNDS)

fuzz: bootstrap-dev
	@scripts/fuzz.sh

# The Debian package from the release build: build/release/deb/baladiya_VERSION_ARCH.deb (the
# program, its systemd unit, /etc/baladiya/baladiya.conf, the nginx example; see
# docs/OPERATIONS.md). Builds only the program, not the tests.
deb: configure
	@cmake --build $(BUILD) --target baladiya -j $(JOBS)
	@cd $(BUILD) && cpack -G DEB >/dev/null && ls -l deb/*.deb

# The package checked (contents, control fields, systemd-analyze verify), then installed into a
# clean Debian 12 root (debootstrap, cached in build/deb-root) where the server is started as the
# baladiya user from the package's own configuration. Needs root. Not part of make test.
deb-test: bootstrap-dev
	@scripts/deb-test.sh

format: bootstrap-dev
	@git ls-files '*.cpp' '*.h' | xargs clang-format -i

lint: bootstrap-dev configure
	@git ls-files 'src/*.cpp' | xargs -P $(JOBS) -n 4 clang-tidy -p $(BUILD) --quiet \
	  --extra-arg=-Wno-unknown-warning-option

clean:
	@rm -rf build
