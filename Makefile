# Sceaux kiosk appliance: one Makefile for everything.
#   make            optimised binaries into build/
#   make check      every test, sanitizer builds in build/asan/ and build/tsan/
#                   (never replacing build/)
#   make demo       hub + syncd + kiosk on the bundled data
#   make bench      figures of docs/architecture.md, each beside its baseline
#   make fuzz       libFuzzer targets (clang), FUZZ_SECONDS each
#   make fmt        apply .clang-format;  make install PREFIX=/usr/local DESTDIR=
#   make cross      ARCH=arm64 build in build/arm64, unit tests under qemu
#   make deb        Debian packages sceaux-hub and sceaux-kiosk in build/deb/
VERSION := 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=
FLAVOR ?= release
FUZZ_SECONDS ?= 20

ifeq ($(FLAVOR),asan)
OUT ?= build/asan
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
else ifeq ($(FLAVOR),tsan)
OUT ?= build/tsan
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=thread
else
OUT ?= build
OPT := -O2 -g
endif

# Every package, font, browser and npm module the project needs, installed
# as root or named in the exact apt-get line to run (tools/deps.sh).
DEPS_OK := $(shell tools/deps.sh >&2 && echo ok)
ifneq ($(DEPS_OK),ok)
$(error missing packages, see the line above)
endif

PKG_SHARED := sqlite3 jansson zlib libsodium
# libvips checks uploaded pictures in sceaux-picture (sync/picture), the
# hub's child, never in the hub; a target without it (make cross: Debian
# has no multiarch libvips-dev) has no sceaux-picture, and its hub refuses
# uploads and serves what it has.
HAVE_VIPS := $(shell $(or $(PKG_CONFIG),pkg-config) --exists vips && echo yes)
# libpq: the PostgreSQL store (sync/hub/store_pg*.c); a target without it
# (make cross: Debian's libpq-dev is not multiarch) builds a hub that
# refuses a postgresql:// --db (store_pg_none.c) and runs on SQLite.
HAVE_PQ := $(shell $(or $(PKG_CONFIG),pkg-config) --exists libpq && echo yes)
PKG_HUB := libmicrohttpd gnutls $(if $(HAVE_PQ),libpq)
PKG_PICTURE := $(if $(HAVE_VIPS),vips)
PKG_NET := libcurl
PKG_KIOSK := sdl2 SDL2_ttf SDL2_image libqrencode
PKG_TEST := cmocka
PKG_SERVICE := libsystemd
PKG_ALL := $(PKG_SHARED) $(PKG_HUB) $(PKG_PICTURE) $(PKG_NET) $(PKG_KIOSK) $(PKG_TEST) $(PKG_SERVICE)

# PKG_CONFIG: another architecture's (make cross) finds its libraries.
PKG_CONFIG ?= pkg-config
pc_cflags = $(shell $(PKG_CONFIG) --cflags $(1))
pc_libs = $(shell $(PKG_CONFIG) --libs $(1))

CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wvla $(OPT) -DSCEAUX_VERSION='"$(VERSION)"'

# Each folder is compiled with the include paths it may use and no other,
# so that a forbidden #include fails to build: shared/ sees no SDL, curl or
# microhttpd; only the programs' own folders see their libraries (tools/lint.sh
# also refuses such includes, for headers in /usr/include that no -I hides).
# A folder missing here has no flags, so its first #include fails: add it.
# sync/notify (sd_notify) serves the three daemons: -Isync and libsystemd.
INC_SHARED := -Ishared $(call pc_cflags,$(PKG_SHARED))
INC_CLIENT := -Isync/client $(call pc_cflags,$(PKG_NET))
INC_NOTIFY := -Isync $(call pc_cflags,$(PKG_SERVICE))
FOLDER_CFLAGS_shared := $(INC_SHARED)
FOLDER_CFLAGS_sync := $(INC_SHARED) $(INC_NOTIFY)
FOLDER_CFLAGS_sync_client := $(INC_SHARED) $(INC_CLIENT)
FOLDER_CFLAGS_sync_hub := $(INC_SHARED) $(INC_NOTIFY) $(call pc_cflags,$(PKG_HUB))
FOLDER_CFLAGS_sync_picture := $(INC_SHARED) $(call pc_cflags,$(PKG_PICTURE))
FOLDER_CFLAGS_sync_syncd := $(INC_SHARED) $(INC_CLIENT) $(INC_NOTIFY)
FOLDER_CFLAGS_sync_admin := $(INC_SHARED) $(INC_CLIENT)
FOLDER_CFLAGS_kiosk := $(INC_SHARED) $(INC_NOTIFY) $(call pc_cflags,$(PKG_KIOSK))
FOLDER_CFLAGS_tests_unit := $(INC_SHARED) $(INC_CLIENT) $(INC_NOTIFY) $(call pc_cflags,$(PKG_ALL))
FOLDER_CFLAGS_tools := $(FOLDER_CFLAGS_tests_unit)
folder_cflags = $(FOLDER_CFLAGS_$(subst /,_,$(patsubst %/,%,$(dir $(1)))))
LDFLAGS_SAN := $(filter -fsanitize%,$(OPT))
LIBS_SHARED := $(call pc_libs,$(PKG_SHARED)) -lm -lpthread

SHARED_SRC := $(wildcard shared/*.c)
CLIENT_SRC := $(wildcard sync/client/*.c)
PG_SRC := $(filter-out sync/hub/store_pg_none.c,$(wildcard sync/hub/store_pg*.c))
HUB_SRC := $(filter-out $(if $(HAVE_PQ),sync/hub/store_pg_none.c,$(PG_SRC)),$(wildcard sync/hub/*.c))
PICTURE_SRC := $(if $(HAVE_VIPS),$(wildcard sync/picture/*.c))
SYNCD_SRC := $(wildcard sync/syncd/*.c)
ADMIN_SRC := $(wildcard sync/admin/*.c)
KIOSK_SRC := $(wildcard kiosk/*.c)
TOOL_SRC := $(filter-out $(if $(HAVE_VIPS),,tools/posters.c),$(wildcard tools/*.c))
UNIT_SRC := $(wildcard tests/unit/test_*.c)

obj = $(patsubst %.c,$(OUT)/obj/%.o,$(1))
nomain = $(filter-out %/main.c,$(1))
# sd_notify for the daemons run by systemd (sync/notify.h).
NOTIFY_OBJ := $(call obj,sync/notify.c)

LIB_SHARED := $(OUT)/lib/libshared.a
LIB_CLIENT := $(OUT)/lib/libclient.a
LIB_HUB := $(OUT)/lib/libhub.a
LIB_PICTURE := $(OUT)/lib/libpicture.a
LIB_SYNCD := $(OUT)/lib/libsyncd.a
LIB_ADMIN := $(OUT)/lib/libadmin.a
LIB_KIOSK := $(OUT)/lib/libkiosk.a

PROGS := $(if $(HUB_SRC),$(OUT)/sceaux-hub) $(if $(PICTURE_SRC),$(OUT)/sceaux-picture) \
	$(if $(SYNCD_SRC),$(OUT)/sceaux-syncd) \
	$(if $(ADMIN_SRC),$(OUT)/sceaux-admin) $(if $(KIOSK_SRC),$(OUT)/sceaux-kiosk) \
	$(patsubst tools/%.c,$(OUT)/sceaux-%,$(TOOL_SRC))
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUT)/tests/%,$(UNIT_SRC))
# What the hub's and syncd's integration tests run, built by make check with
# FLAVOR=tsan (ThreadSanitizer: the hub's threads, syncd's push thread).
SYNC_PROGS := $(OUT)/sceaux-hub $(if $(PICTURE_SRC),$(OUT)/sceaux-picture) $(OUT)/sceaux-syncd \
	$(OUT)/sceaux-admin \
	$(OUT)/sceaux-dumpdb $(OUT)/sceaux-gendata

.SECONDARY:
.PHONY: all progs sync-progs tests check demo bench fuzz fmt fmt-check lint install deb deb-check \
	clean cross
all: progs
progs: $(PROGS)
sync-progs: $(SYNC_PROGS)
tests: $(UNIT_BINS)

$(OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(CFLAGS) $(call folder_cflags,$<) -MMD -MP -c $< -o $@

$(OUT)/lib/lib%.a:
	@mkdir -p $(dir $@)
	@rm -f $@ && ar rcs $@ $^

$(LIB_SHARED): $(call obj,$(SHARED_SRC))
$(LIB_CLIENT): $(call obj,$(CLIENT_SRC))
$(LIB_HUB): $(call obj,$(call nomain,$(HUB_SRC)))
$(LIB_PICTURE): $(call obj,$(call nomain,$(PICTURE_SRC)))
$(LIB_SYNCD): $(call obj,$(call nomain,$(SYNCD_SRC)))
$(LIB_ADMIN): $(call obj,$(call nomain,$(ADMIN_SRC)))
$(LIB_KIOSK): $(call obj,$(call nomain,$(KIOSK_SRC)))

$(OUT)/sceaux-hub: $(call obj,sync/hub/main.c) $(NOTIFY_OBJ) $(LIB_HUB) $(LIB_SHARED)
	@echo "  LD $@"
	@$(CC) $(LDFLAGS_SAN) -o $@ $^ $(call pc_libs,$(PKG_HUB) $(PKG_SERVICE)) $(LIBS_SHARED)
$(OUT)/sceaux-picture: $(call obj,sync/picture/main.c) $(LIB_PICTURE) $(LIB_SHARED)
	@echo "  LD $@"
	@$(CC) $(LDFLAGS_SAN) -o $@ $^ $(call pc_libs,$(PKG_PICTURE)) $(LIBS_SHARED)
$(OUT)/sceaux-syncd: $(call obj,sync/syncd/main.c) $(NOTIFY_OBJ) $(LIB_SYNCD) $(LIB_CLIENT) \
	$(LIB_SHARED)
	@echo "  LD $@"
	@$(CC) $(LDFLAGS_SAN) -o $@ $^ $(call pc_libs,$(PKG_NET) $(PKG_SERVICE)) $(LIBS_SHARED)
$(OUT)/sceaux-admin: $(call obj,sync/admin/main.c) $(LIB_ADMIN) $(LIB_CLIENT) $(LIB_SHARED)
	@echo "  LD $@"
	@$(CC) $(LDFLAGS_SAN) -o $@ $^ $(call pc_libs,$(PKG_NET)) $(LIBS_SHARED)
$(OUT)/sceaux-kiosk: $(call obj,kiosk/main.c) $(NOTIFY_OBJ) $(LIB_KIOSK) $(LIB_SHARED)
	@echo "  LD $@"
	@$(CC) $(LDFLAGS_SAN) -o $@ $^ $(call pc_libs,$(PKG_KIOSK) $(PKG_SERVICE)) $(LIBS_SHARED)

# Unit tests link every module library; archives only bring what a test uses.
TEST_LIBS := $(if $(HUB_SRC),$(LIB_HUB)) $(if $(SYNCD_SRC),$(LIB_SYNCD)) \
	$(if $(ADMIN_SRC),$(LIB_ADMIN)) $(if $(KIOSK_SRC),$(LIB_KIOSK)) $(LIB_CLIENT) $(LIB_SHARED)
$(OUT)/tests/%: $(OUT)/obj/tests/unit/%.o $(TEST_LIBS)
	@mkdir -p $(dir $@)
	@echo "  LD $@"
	@$(CC) $(LDFLAGS_SAN) -o $@ $^ $(call pc_libs,$(PKG_ALL)) -lm -lpthread

# Tools (tests' and benchmarks' helpers) may use any module, like tests.
$(OUT)/sceaux-%: $(OUT)/obj/tools/%.o $(TEST_LIBS)
	@echo "  LD $@"
	@$(CC) $(LDFLAGS_SAN) -o $@ $^ $(call pc_libs,$(PKG_ALL)) -lm -lpthread

check: fmt-check lint
	$(MAKE) FLAVOR=asan progs tests
	$(MAKE) FLAVOR=tsan sync-progs
	$(MAKE) progs
	tools/run-tests build/asan build/tsan

demo: progs
	tools/demo.sh build

bench: progs
	tools/bench.sh build

# make cross ARCH=arm64: build/arm64/, unit tests under qemu-user.
ARCH ?= arm64
cross:
	tools/cross.sh $(ARCH)

FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
fuzz:
	tools/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_SRC)

C_FILES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
fmt:
	clang-format -i $(C_FILES)
fmt-check:
	@clang-format --dry-run -Werror $(C_FILES)
lint:
	@tools/lint.sh $(C_FILES)

# The programs, the console and data, man pages, systemd units (their
# paths filled in), the sceaux user (sysusers.d) and /etc/sceaux/*.conf,
# which are never overwritten: an operator's edits survive a reinstall.
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
MANDIR ?= $(PREFIX)/share/man
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/sceaux $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(SYSCONFDIR)/sceaux
	install -m 755 $(addprefix $(OUT)/,sceaux-hub sceaux-syncd sceaux-admin sceaux-kiosk) \
		$(DESTDIR)$(PREFIX)/bin/
	$(if $(PICTURE_SRC),install -m 755 $(OUT)/sceaux-picture $(DESTDIR)$(PREFIX)/bin/)
	cp -r assets/. $(DESTDIR)$(PREFIX)/share/sceaux/
	install -m 644 packaging/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	for u in packaging/systemd/*; do \
		sed -e 's|@BINDIR@|$(PREFIX)/bin|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' $$u \
			>$(DESTDIR)$(UNITDIR)/$${u##*/} && chmod 644 $(DESTDIR)$(UNITDIR)/$${u##*/} || exit 1; \
	done
	install -m 644 packaging/sysusers/sceaux.conf $(DESTDIR)$(SYSUSERSDIR)/sceaux.conf
	for c in packaging/etc/*.conf; do \
		t=$(DESTDIR)$(SYSCONFDIR)/sceaux/$${c##*/}; \
		[ -e $$t ] || install -m 644 $$c $$t || exit 1; \
	done

# Debian packages sceaux-hub and sceaux-kiosk (debhelper, packaging/debian)
# in build/deb/, built from a copy of the tracked files.
DEB_VERSION ?= $(VERSION)
deb:
	rm -rf build/deb && mkdir -p build/deb/src
	git ls-files -z | xargs -0 cp --parents -t build/deb/src
	cp -r packaging/debian build/deb/src/debian
	printf 'sceaux (%s) bookworm; urgency=medium\n\n  * Built from %s.\n\n -- %s  %s\n' \
		'$(DEB_VERSION)' "$$(git describe --always --dirty)" \
		'Sceaux kiosk appliance <sceaux@example.org>' "$$(date -R)" >build/deb/src/debian/changelog
	cd build/deb/src && DEB_BUILD_OPTIONS="parallel=2 nocheck" dpkg-buildpackage -b -us -uc
	@ls build/deb/*.deb
# The packages installed, upgraded, removed and purged in a fresh Debian
# root (root only; SCEAUX_DEB_ROOT=DIR copies a clean one, else debootstrap).
deb-check: deb
	bash tests/package/deb.sh

clean:
	rm -rf build

-include $(shell find $(OUT)/obj -name '*.d' 2>/dev/null)
