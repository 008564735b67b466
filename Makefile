# motcua - top-level commands. CMake does the building underneath.
#   make        build ./build/motcua
#   make demo   install what is missing, build, create demo data, serve on :8080
#   make check  install what is missing, build with -Werror + sanitizers (gcc)
#               and -Werror (clang), run unit, API, browser and lint tests; the store
#               unit tests and the whole API suite run on SQLite and again on
#               PostgreSQL 15 (a temporary cluster, scripts/pg-test.sh)
#               and deploy/ha/failover-test on the sanitizer build (~2 min)
#   make check-ha  install etcd/Patroni/PostgreSQL/HAProxy, build, run
#               deploy/ha/failover-test (three sites on loopback, kill -9 of
#               the leader's PostgreSQL under load; docs/OPERATIONS.md)
JOBS ?= 2
DEMO_DATA ?= demo-data
LISTEN ?= 127.0.0.1:8080
# playwright-core drives Debian's chromium; never download a browser
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

.PHONY: all build deps demo check check-build check-clang check-format unit api api-sqlite api-pg bench clean format check-ha ha browser

all: build

build:
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build -j $(JOBS)

deps:
	@scripts/deps.sh build

demo: deps build
	rm -rf $(DEMO_DATA)
	./build/motcua init --data $(DEMO_DATA) --demo
	@echo
	@echo "Portal and API on http://$(LISTEN)  (Ctrl-C stops)"
	./build/motcua serve --data $(DEMO_DATA) --listen $(LISTEN)

check-build:
	@scripts/deps.sh check
	cmake -S . -B build-check -DCMAKE_BUILD_TYPE=Debug -DMOTCUA_SANITIZE=ON -DMOTCUA_WERROR=ON >/dev/null
	cmake --build build-check -j $(JOBS)

check-clang:
	CC=clang cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=Debug -DMOTCUA_WERROR=ON >/dev/null
	cmake --build build-clang -j $(JOBS) --target motcua

check-format:
	@scripts/deps.sh check
	clang-format --dry-run --Werror $$(find src bench -name '*.[ch]' | sort)

unit: check-build
	cd build-check && ASAN_OPTIONS=detect_leaks=1 ../scripts/pg-test.sh run ctest --output-on-failure -j $(JOBS)

api: api-sqlite api-pg

api-sqlite: check-build
	npm ci --no-audit --no-fund --loglevel=error
	MOTCUA_BIN=$(CURDIR)/build-check/motcua tests/api/run.sh

# The same suite on PostgreSQL: each test file's server gets its own database.
api-pg: check-build
	npm ci --no-audit --no-fund --loglevel=error
	MOTCUA_BIN=$(CURDIR)/build-check/motcua scripts/pg-test.sh run tests/api/run.sh

# The portal in Debian's chromium (playwright-core, axe-core); screenshots
# of every step in build-check/browser-screenshots.
browser: check-build
	npm ci --no-audit --no-fund --loglevel=error
	MOTCUA_BIN=$(CURDIR)/build-check/motcua BROWSER_OUT=$(CURDIR)/build-check/browser-screenshots tests/browser/run.sh

check: check-format check-build check-clang unit api browser ha
	@echo "make check: all tests passed"

check-ha:
	@scripts/deps.sh ha
	@$(MAKE) --no-print-directory build
	MOTCUA_BIN=$(CURDIR)/build/motcua deploy/ha/failover-test

# The failover test inside `make check`, on the ASan/UBSan build (it takes
# about two minutes on two cores: docs/OPERATIONS.md).
ha: check-build
	@scripts/deps.sh ha
	MOTCUA_BIN=$(CURDIR)/build-check/motcua deploy/ha/failover-test

bench: build
	bench/run

format:
	clang-format -i $$(find src bench -name '*.[ch]' | sort)

clean:
	rm -rf build build-check build-clang $(DEMO_DATA)
