# ogi: make builds ./ogi; make test runs the whole suite (under ASan+UBSan
# unless SANITIZE=0); make bench prints figures; make deps installs what a
# fresh Debian machine lacks.

CC ?= cc
PREFIX ?= /usr/local
DESTDIR ?=
PKGS := libcurl libcrypto gumbo libpcre2-8 sqlite3 poppler-glib cairo zlib libxml-2.0 libzip xlsxwriter \
	tesseract lept libpng libjpeg
DEB_PKGS := build-essential pkg-config libcurl4-openssl-dev libssl-dev libgumbo-dev libpcre2-dev \
	libsqlite3-dev sqlite3 libxml2-dev libzip-dev python3 python3-docx zlib1g-dev chromium \
	fonts-wqy-microhei libpoppler-glib-dev poppler-utils libxlsxwriter-dev python3-pandas \
	python3-openpyxl openssl libtesseract-dev libleptonica-dev tesseract-ocr-chi-sim \
	tesseract-ocr-eng libpng-dev libjpeg-dev
# make fuzz needs clang's libFuzzer, make lint cppcheck; CI runs both (make test).
# make bench compares the crawl with Scrapy's, each served by nginx too, and OCR
# with the tesseract command.
FUZZ_DEB_PKGS := clang libclang-rt-14-dev
LINT_DEB_PKGS := cppcheck
BENCH_DEB_PKGS := nginx-light python3-scrapy tesseract-ocr
ifeq ($(CI),true)
DEB_PKGS += $(FUZZ_DEB_PKGS) $(LINT_DEB_PKGS)
endif

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2
ifeq ($(CI),true)
WERROR ?= 1
endif
ifeq ($(WERROR),1)
WARN += -Werror
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

ifeq ($(SANITIZE),1)
B := build-asan
OPT := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else ifeq ($(SANITIZE),thread)
B := build-tsan
OPT := -O1 -g -fsanitize=thread
else
B := build
OPT := -O2 -g
endif

CFLAGS ?=
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -pthread $(WARN) $(OPT) -I. \
	$(PKG_CFLAGS) -MMD -MP $(CFLAGS)
ALL_LDFLAGS = $(OPT) $(LDFLAGS)
LIBS = $(PKG_LIBS) -lm -pthread

LIB_SRC := $(wildcard util/*.c form/*.c html/*.c parser/*.c store/*.c crawler/*.c pipeline/*.c reports/*.c)
CLI_SRC := $(wildcard cli/*.c)
TEST_SRC := $(wildcard tests/unit/test-*.c)
BENCH_SRC := $(wildcard bench/*.c)

LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(B)/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(B)/bench/%)
LIBOGI := $(B)/libogi.a

.PHONY: all deps test test-build check-asan bench fuzz install clean lint demo

all: $(B)/ogi
ifneq ($(SANITIZE),1)
all: ogi
ogi: $(B)/ogi
	cp $< $@
endif

# Installs the Debian packages the build and the tests need, only if one is missing.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(B)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIBOGI): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/ogi: $(CLI_OBJ) $(LIBOGI)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LIBOGI) $(LIBS)

$(B)/tests/%: tests/unit/%.c tests/unit/t.h $(LIBOGI) | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBOGI) $(LIBS)

$(B)/bench/%: bench/%.c $(LIBOGI) | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBOGI) $(LIBS)

# Each fuzz target is also a unit test (fuzz/replay.c): it replays the inputs
# kept in fuzz/regressions/<name>/ and the fixtures on every run.
FUZZ_SRC := $(wildcard fuzz/fuzz-*.c)
TEST_BIN += $(FUZZ_SRC:fuzz/fuzz-%.c=$(B)/tests/test-fuzz-%)
$(B)/tests/test-fuzz-%: fuzz/fuzz-%.c fuzz/replay.c fuzz/fuzz.h $(LIBOGI) | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ fuzz/replay.c $< $(LIBOGI) $(LIBS)

# The whole suite: unit tests and end-to-end tests of the real binary; under
# CI also make lint first, -Werror, and the fuzz targets briefly
# (tests/e2e/test-fuzz.sh).
# Its builds use every processor unless make was given -j itself (.ci/run's
# plain `make test` built on one).
test: TEST_J = $(if $(filter -j%,$(MAKEFLAGS)),,-j$(shell nproc 2>/dev/null || echo 1))
test:
ifeq ($(CI),true)
	@$(MAKE) --no-print-directory lint
endif
	@$(MAKE) --no-print-directory $(TEST_J) SANITIZE=$(if $(SANITIZE),$(SANITIZE),1) test-build
	@$(MAKE) --no-print-directory $(TEST_J) SANITIZE=thread $(TSAN_TESTS:%=build-tsan/tests/%)
	@OGI=$(CURDIR)/$(if $(filter 0,$(SANITIZE)),build,build-asan)/ogi \
	  UNIT_DIR=$(CURDIR)/$(if $(filter 0,$(SANITIZE)),build,build-asan)/tests \
	  TSAN_DIR=$(CURDIR)/build-tsan/tests sh tests/run.sh

test-build: $(B)/ogi $(TEST_BIN)

# The tests of code that runs on several threads, again under ThreadSanitizer.
TSAN_TESTS := test-workq test-parse test-crawl test-pipeline

check-asan:
	@$(MAKE) --no-print-directory test SANITIZE=1

bench: DEB_PKGS += $(BENCH_DEB_PKGS)
bench: deps
	@$(MAKE) --no-print-directory SANITIZE=0 all $(BENCH_BIN)
	@sh bench/run.sh

# Builds the fuzz targets with clang into build-fuzz/, runs each FUZZ_SECONDS (fuzz/Makefile).
fuzz: DEB_PKGS += $(FUZZ_DEB_PKGS)
fuzz: deps
	@$(MAKE) --no-print-directory -f fuzz/Makefile

lint: DEB_PKGS += $(LINT_DEB_PKGS)
lint: deps
	@sh tests/lint.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 ogi $(DESTDIR)$(PREFIX)/bin/ogi

clean:
	rm -rf build build-asan build-tsan build-fuzz ogi

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

# The main job: the shipped fixtures, then a sample city served on 127.0.0.1
# crawled into ./ogi.db (tests/demo.sh), then the consistency findings.
demo: all
	@sh tests/demo.sh
