# luasocket-rs — the one interface users touch.
#
#   make [LUA=5.4]            build build/$(LUA)/socket/core.so (+ mime/core.so)
#   make all-lua              build for 5.1 5.2 5.3 5.4 luajit
#   make DEBUG=1 LUA=X        build build/X-debug/... with _DEBUG and timing returns
#   make install LUA=X [PREFIX=/usr/local] [DESTDIR=] [LUA_LIBDIR=...]
#   make test                 everything, all five versions
#   make lint                 cargo fmt --check, clippy -D warnings on every ABI
#   make demo                 run examples/ against the built module
#   make header               regenerate include/luasocket.h
#   make clean
LUA ?= 5.4
DEBUG ?=
PREFIX ?= /usr/local
DESTDIR ?=
CARGO ?= cargo
VERSIONS := 5.1 5.2 5.3 5.4 luajit

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

.PHONY: all build all-lua install test lint demo header clean deps lua-tests cargo-test c-host conformance FORCE

all: build

build: $(OUT)/socket/core.so

# cargo decides whether anything changed; the copy keeps the paths a contract.
$(OUT)/socket/core.so: FORCE
	$(CARGO) build --quiet --release --features $(FEATURES) --target-dir $(TARGET_DIR)
	@mkdir -p $(OUT)/socket $(OUT)/mime
	@for m in $(MODULES); do cp -f $(SO) $(OUT)/$$m.tmp && mv -f $(OUT)/$$m.tmp $(OUT)/$$m; done
	@echo "built $(OUT)/socket/core.so"

all-lua:
	@for v in $(VERSIONS); do $(MAKE) --no-print-directory LUA=$$v DEBUG=$(DEBUG) build || exit 1; done

install: build
	@for m in $(MODULES); do \
	  install -d $(DESTDIR)$(LUA_LIBDIR)/$$(dirname $$m) && \
	  install -m 0755 $(OUT)/$$m $(DESTDIR)$(LUA_LIBDIR)/$$m || exit 1; \
	  echo "installed $(DESTDIR)$(LUA_LIBDIR)/$$m"; done

header:
	$(CARGO) build --quiet --features lua54 --target-dir target/header
	cp -f $$(ls -t target/header/debug/build/luasocket-rs-*/out/luasocket.h | head -1) include/luasocket.h
	@echo "include/luasocket.h regenerated"

deps:
	@sh scripts/deps.sh

# Everything: cargo tests on every ABI, every lua-tests/*.lua on every
# version (differential against the reference C core), the upstream suite,
# the C-host test. The runner's last line is "N passed, M failed".
test: deps
	@sh scripts/test-all.sh

lua-tests:
	@sh lua-tests/run.sh $(VERSIONS)

lint:
	@sh scripts/lint.sh $(VERSIONS)

demo: deps build
	@sh examples/run.sh $(LUA)

clean:
	rm -rf build target
