# luasocket-rs — the one interface users touch.
#
#   make [LUA=5.4]            build build/$(LUA)/socket/core.so (+ mime/core.so)
#   make all-lua              build for 5.1 5.2 5.3 5.4 luajit
#   make DEBUG=1 LUA=X        build build/X-debug/... with _DEBUG and timing returns
#   make install LUA=X [PREFIX=/usr/local] [DESTDIR=] [LUA_LIBDIR=...]
#                             the Lua modules, and for C hosts the headers,
#                             libluasocket-rs.so/.a and luasocket-rs.pc
#                             [LIBDIR=$(PREFIX)/lib] [INCLUDEDIR=...] [LUA_PC=lua5.4]
#   make rock / rock-install  what luarocks runs (rockspecs/); not by hand
#   make test                 everything, all five versions
#   make fuzz                 the long differential fuzz (1e6 calls on 5.4, 1e5 on the others)
#   make lint                 cargo fmt --check, clippy -D warnings on every ABI
#   make demo                 run examples/ against the built module
#   make bench [LUA=5.4]      the benchmark suite against the C core (<= 20 min)
#   make bench-quick [LUA=]   the same, smaller and fewer repetitions (<= 3 min)
#   make header               regenerate include/*.h (cbindgen)
#   make install-debian LUA=5.X [DESTDIR=]   Debian's lua-socket C file set
#   make install-debian-all [DESTDIR=]       ... for 5.1 5.2 5.3 5.4
#   make deb                  build/deb/lua-socket-rs_<version>_<arch>.deb
#   make clean
LUA ?= 5.4
DEBUG ?=
PREFIX ?= /usr/local
DESTDIR ?=
VERSIONS := 5.1 5.2 5.3 5.4 luajit
# cargo from PATH, else rustup's default place (luarocks and sudo often run
# without ~/.cargo/bin on PATH).
ifndef CARGO
CARGO := $(or $(shell command -v cargo 2>/dev/null),$(wildcard $(HOME)/.cargo/bin/cargo),cargo)
endif

# luarocks (rockspecs/lua-socket-rs-*.rockspec, build type "make") runs
#   make rock         ROCK_LUA_INCDIR=$(LUA_INCDIR)
#   make rock-install ROCK_LUA_INCDIR=$(LUA_INCDIR) ROCK_LIBDIR=$(LIBDIR)
# luarocks 3.8 passes no Lua version, so the ABI comes from the headers it
# targets: luajit.h there means LuaJIT, else lua.h's LUA_VERSION_NUM as the
# preprocessor sees it. The rock is built like upstream's (LUASOCKET_DEBUG):
# the DEBUG variant.
ifneq ($(ROCK_LUA_INCDIR),)
rock_num := $(shell printf '\043include "lua.h"\nluasocket_rs_lua_num=LUA_VERSION_NUM\n' | \
  $(or $(CC),cc) $(ROCK_CFLAGS) -E -P -I'$(ROCK_LUA_INCDIR)' - 2>/dev/null | sed -n 's/^luasocket_rs_lua_num=\([0-9]*\).*/\1/p')
rock_lua_501 := 5.1
rock_lua_502 := 5.2
rock_lua_503 := 5.3
rock_lua_504 := 5.4
override LUA := $(if $(wildcard $(ROCK_LUA_INCDIR)/luajit.h),luajit,$(rock_lua_$(rock_num)))
override DEBUG := 1
ifeq ($(LUA),)
$(error lua-socket-rs: no Lua 5.1-5.4 or LuaJIT headers in $(ROCK_LUA_INCDIR) (LUA_VERSION_NUM '$(rock_num)'))
endif
endif

feature_5.1 := lua51
feature_5.2 := lua52
feature_5.3 := lua53
feature_5.4 := lua54
feature_luajit := luajit
FEATURE = $(feature_$(LUA))
ifeq ($(FEATURE),)
$(error LUA must be one of $(VERSIONS), not '$(LUA)')
endif

ifneq ($(DEBUG),)
VARIANT := $(LUA)-debug
FEATURES := $(FEATURE),debug
else
VARIANT := $(LUA)
FEATURES := $(FEATURE)
endif

# LuaJIT modules use the 5.1 module directory.
luadir_luajit := 5.1
LUA_ABI_DIR = $(or $(luadir_$(LUA)),$(LUA))
LUA_LIBDIR ?= $(PREFIX)/lib/lua/$(LUA_ABI_DIR)

OUT := build/$(VARIANT)
TARGET_DIR := target/$(VARIANT)
SO := $(TARGET_DIR)/release/libluasocket.so
MODULES := socket/core.so mime/core.so socket/unix.so socket/serial.so

.PHONY: all build all-lua install install-modules install-c test fuzz lint demo header clean deps lua-tests cargo-test c-host conformance rock rock-install check-cargo bench bench-quick FORCE

all: build

build: $(OUT)/socket/core.so

# cargo decides whether anything changed; the copy keeps the paths a contract.
$(OUT)/socket/core.so: check-cargo FORCE
	$(CARGO) build --quiet --release --features $(FEATURES) --target-dir $(TARGET_DIR)
	@mkdir -p $(OUT)/socket $(OUT)/mime
	@for m in $(MODULES); do cp -f $(SO) $(OUT)/$$m.tmp && mv -f $(OUT)/$$m.tmp $(OUT)/$$m; done
	@echo "built $(OUT)/socket/core.so"

all-lua:
	@for v in $(VERSIONS); do $(MAKE) --no-print-directory LUA=$$v DEBUG=$(DEBUG) build || exit 1; done

# For C hosts (examples/c-host/): the generated headers, the library (the
# same shared object as the modules, and the static archive cargo builds
# beside it) and a pkg-config file naming this Lua's own .pc in Requires, so
# `pkg-config --cflags --libs luasocket-rs` is the one line a host needs.
# One Lua ABI per LIBDIR: the last `make install` there wins.
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include/luasocket-rs
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
luapc_luajit := luajit
LUA_PC ?= $(or $(luapc_$(LUA)),lua$(LUA))
HEADERS := luasocket.h mime.h unix.h lua-socket-serial.h
CRATE_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
# what the Rust standard library in the static archive needs
# (`cargo rustc -- --print native-static-libs`)
NATIVE_STATIC_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc

# paths under PREFIX are written relative to ${prefix}
pc_rel = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))
define PC_FILE
prefix=$(PREFIX)
libdir=$(call pc_rel,$(LIBDIR))
includedir=$(call pc_rel,$(INCLUDEDIR))

Name: luasocket-rs
Description: LuaSocket's C core in Rust (socket.core, mime.core, socket.unix, socket.serial) for Lua $(LUA)
Version: $(CRATE_VERSION)
Requires: $(LUA_PC)
Cflags: -I$${includedir}
Libs: -L$${libdir} -lluasocket-rs
Libs.private: $(NATIVE_STATIC_LIBS)
endef
export PC_FILE

install: install-modules install-c

install-modules: build
	@for m in $(MODULES); do \
	  install -d $(DESTDIR)$(LUA_LIBDIR)/$$(dirname $$m) && \
	  install -m 0755 $(OUT)/$$m $(DESTDIR)$(LUA_LIBDIR)/$$m || exit 1; \
	  echo "installed $(DESTDIR)$(LUA_LIBDIR)/$$m"; done

install-c: build
	@install -d $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR)
	@for h in $(HEADERS); do install -m 0644 include/$$h $(DESTDIR)$(INCLUDEDIR)/$$h || exit 1; done
	@echo "installed $(DESTDIR)$(INCLUDEDIR)/{$$(echo $(HEADERS) | tr ' ' ,)}"
	@install -m 0755 $(SO) $(DESTDIR)$(LIBDIR)/libluasocket-rs.so
	@install -m 0644 $(TARGET_DIR)/release/libluasocket.a $(DESTDIR)$(LIBDIR)/libluasocket-rs.a
	@echo "installed $(DESTDIR)$(LIBDIR)/libluasocket-rs.so and .a (Lua $(LUA))"
	@printf '%s\n' "$$PC_FILE" >$(DESTDIR)$(PKGCONFIGDIR)/luasocket-rs.pc
	@echo "installed $(DESTDIR)$(PKGCONFIGDIR)/luasocket-rs.pc (Requires: $(LUA_PC))"

# What luarocks runs (see ROCK_LUA_INCDIR above): build the DEBUG variant for
# the detected Lua, then copy the four modules into the rock's lib dir.
rock: build

rock-install:
	@test -n "$(ROCK_LIBDIR)" || { echo "rock-install: ROCK_LIBDIR is not set (luarocks sets it)" >&2; exit 1; }
	@test -f $(OUT)/socket/core.so || { echo "rock-install: run 'make rock' first" >&2; exit 1; }
	@for m in $(MODULES); do \
	  install -d "$(ROCK_LIBDIR)/$$(dirname $$m)" && install -m 0755 $(OUT)/$$m "$(ROCK_LIBDIR)/$$m" || exit 1; done
	@echo "lua-socket-rs: built for Lua $(LUA) with the debug feature, as upstream's rock"

# One clear message instead of make's "cargo: No such file or directory".
check-cargo:
	@command -v $(CARGO) >/dev/null 2>&1 || { \
	  echo "luasocket-rs: building needs Rust's cargo (Rust 1.77 or newer), found neither on PATH nor in ~/.cargo/bin." >&2; \
	  echo "luasocket-rs: install Rust from https://rustup.rs (or your distribution's cargo if it is 1.77+), then run this again." >&2; \
	  exit 1; }

header:
	$(CARGO) build --quiet --features lua54 --target-dir target/header
	@out=$$(dirname $$(ls -t target/header/debug/build/luasocket-rs-*/out/luasocket.h | head -1)) && \
	  for h in $(HEADERS); do cp -f $$out/$$h include/$$h || exit 1; done
	@echo "include/{$$(echo $(HEADERS) | tr ' ' ,)} regenerated"

deps:
	@sh scripts/deps.sh

# Everything: cargo tests on every ABI, every lua-tests/*.lua on every
# version (differential against the reference C core), the upstream suite,
# the C-host test. The runner's last line is "N passed, M failed".
test: deps
	@sh scripts/test-all.sh

lua-tests:
	@sh lua-tests/run.sh $(VERSIONS)

# Seeded differential fuzzing, reference C core vs ours, every function of
# every module with hostile arguments (lua-tests/fuzz/fuzz.lua); make test
# runs a short slice of it. About 5 minutes on 2 cores.
fuzz: deps all-lua
	@sh scripts/fuzz.sh
lint:
	@sh scripts/lint.sh $(VERSIONS)

demo: deps build
	@sh examples/run.sh $(LUA)

# Benchmarks are not tests: they print ratios and write bench/results/
# (see bench/README.md); nothing asserts a timing.
bench: deps
	@sh bench/run.sh full $(LUA)

bench-quick: deps
	@sh bench/run.sh quick $(LUA)

# Debian's file set (liblua5.X-socket.so.2 & co., one SONAME per module) and
# a .deb that diverts lua-socket's C libraries: scripts/debian/, README
# "Replacing Debian's C core". LuaJIT uses the 5.1 files.
DEBIAN_VERSIONS := 5.1 5.2 5.3 5.4
.PHONY: install-debian install-debian-all deb

install-debian: build
	@sh scripts/debian/install.sh $(LUA) $(TARGET_DIR) "$(DESTDIR)"

install-debian-all:
	@for v in $(DEBIAN_VERSIONS); do $(MAKE) --no-print-directory LUA=$$v install-debian || exit 1; done

deb:
	@sh scripts/debian/mkdeb.sh

clean:
	rm -rf build target
