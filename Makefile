# vmconsole-proxy: build, test and install.
#
# Paths are compiled into the programs and substituted into the installed
# configuration files, so a relocated install (PREFIX=/opt/x) works as is.

VERSION        := 0.1.0

PREFIX         ?= /usr/local
SBINDIR        ?= $(PREFIX)/sbin
LIBEXECDIR     ?= $(PREFIX)/libexec
SYSCONFDIR     ?= $(PREFIX)/etc
LOCALSTATEDIR  ?= $(PREFIX)/var
DATADIR        ?= $(PREFIX)/share
MANDIR         ?= $(DATADIR)/man
UNITDIR        ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR    ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR    ?= $(PREFIX)/lib/tmpfiles.d
DESTDIR        ?=
# The unprivileged account the secondary sshd runs as and users log in as.
VMCONSOLE_USER ?= vmconsole
SSHD           ?= /usr/sbin/sshd

PKGLIBEXECDIR  := $(LIBEXECDIR)/vmconsole-proxy
PKGSYSCONFDIR  := $(SYSCONFDIR)/vmconsole-proxy
PKGSTATEDIR    := $(LOCALSTATEDIR)/lib/vmconsole-proxy
PKGCACHEDIR    := $(LOCALSTATEDIR)/cache/vmconsole-proxy

CC             ?= cc
PKG_CONFIG     ?= pkg-config
WARNINGS       := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wpointer-arith \
                  -Wstrict-prototypes -Wmissing-prototypes -Wcast-qual \
                  -Wwrite-strings -Wvla -Wnull-dereference -Wimplicit-fallthrough
CFLAGS         ?= -O2 -g
CFLAGS         += -std=gnu11 $(WARNINGS) -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
LDFLAGS        += -pie -Wl,-z,relro,-z,now

ifeq ($(SANITIZE),1)
CFLAGS         += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS        += -fsanitize=address,undefined
endif

DEFS := -DVMCONSOLE_VERSION='"$(VERSION)"' \
        -DVMCONSOLE_CONF_FILE='"$(PKGSYSCONFDIR)/vmconsole.conf"' \
        -DVMCONSOLE_HELPER_PATH='"$(PKGLIBEXECDIR)/vmconsole-console-helper"' \
        -DVMCONSOLE_CACHE_DIR='"$(PKGCACHEDIR)"' \
        -DVMCONSOLE_RUNTIME_DIR='"$(PKGSTATEDIR)/consoles"' \
        -DVMCONSOLE_USER='"$(VMCONSOLE_USER)"'

CURL_CFLAGS    := $(shell $(PKG_CONFIG) --cflags libcurl jansson)
# libcurl is loaded with dlopen() on the first request (lib/curl_loader.c)
CURL_LIBS      := $(shell $(PKG_CONFIG) --libs jansson) -ldl
VIRT_CFLAGS    := $(shell $(PKG_CONFIG) --cflags libvirt)
VIRT_LIBS      := $(shell $(PKG_CONFIG) --libs libvirt)
CMOCKA_LIBS    := $(shell $(PKG_CONFIG) --libs cmocka)

B              := build$(if $(filter 1,$(SANITIZE)),-asan)

LIB_SRCS       := $(sort $(wildcard lib/*.c))
AUTHKEYS_SRCS  := $(sort $(wildcard authkeys/*.c))
HELPER_SRCS    := $(sort $(wildcard console-helper/*.c))
LOGIN_SHELL_SRCS := $(sort $(wildcard login-shell/*.c))
UNIT_SRCS      := $(sort $(wildcard tests/unit/test_*.c))
# Fixtures and helpers shared by the unit tests.
UNIT_SUPPORT   := $(sort $(wildcard tests/unit/support/*.c))

LIB_OBJS       := $(LIB_SRCS:%.c=$(B)/%.o)
AUTHKEYS_OBJS  := $(AUTHKEYS_SRCS:%.c=$(B)/%.o)
HELPER_OBJS    := $(HELPER_SRCS:%.c=$(B)/%.o)
LOGIN_SHELL_OBJS := $(LOGIN_SHELL_SRCS:%.c=$(B)/%.o)
# Program modules without their main(), linked into the unit tests.
AUTHKEYS_MODS  := $(filter-out $(B)/authkeys/main.o,$(AUTHKEYS_OBJS))
HELPER_MODS    := $(filter-out $(B)/console-helper/main.o,$(HELPER_OBJS))
UNIT_BINS      := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
UNIT_SUPPORT_OBJS := $(UNIT_SUPPORT:%.c=$(B)/%.o)

PROGRAMS       := $(B)/vmconsole-authkeys $(B)/vmconsole-console-helper \
                  $(B)/vmconsole-login-shell
SUBST_FILES    := $(B)/vmconsole.conf $(B)/sshd_config \
                  $(B)/vmconsole-proxy-sshd.service \
                  $(B)/vmconsole-proxy-deploy \
                  $(B)/vmconsole-proxy-sshd-keygen \
                  $(B)/sysusers.conf $(B)/tmpfiles.conf
MAN_PAGES      := $(sort $(wildcard docs/man/*.[58].in))

.PHONY: all check unit-check e2e-check asan install uninstall clean demo demo-stop deps \
	bench demo-fleet demo-fleet-stop
all: $(PROGRAMS) $(SUBST_FILES) $(MAN_PAGES:docs/man/%.in=$(B)/man/%)

$(B)/%.o: %.c $(B)/BUILD-STATE
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEFS) $(CURL_CFLAGS) $(VIRT_CFLAGS) -Ilib -MMD -MP -c -o $@ $<

# From the archive each program takes only the lib/ modules it calls;
# libcurl and libvirt are loaded when first called (lib/curl_loader.c,
# console-helper/libvirt_loader.c), so neither is linked.
$(B)/libvmconsole.a: $(LIB_OBJS)
	rm -f $@; $(AR) rcs $@ $^

$(B)/vmconsole-authkeys: $(AUTHKEYS_OBJS) $(B)/libvmconsole.a
	$(CC) $(CFLAGS) $(LDFLAGS) -Wl,--as-needed -o $@ $^ $(CURL_LIBS)

$(B)/vmconsole-console-helper: $(HELPER_OBJS) $(B)/libvmconsole.a
	$(CC) $(CFLAGS) $(LDFLAGS) -Wl,--as-needed -o $@ $^ $(CURL_LIBS)

# Only what the login shell needs: it must not pull libcurl or libvirt in.
$(B)/vmconsole-login-shell: $(LOGIN_SHELL_OBJS) $(B)/lib/forced_command.o \
		$(B)/lib/validate.o $(B)/lib/log.o $(B)/lib/termsafe.o \
		$(B)/lib/fd_write.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

$(B)/tests/%: $(B)/tests/unit/%.o $(UNIT_SUPPORT_OBJS) $(LIB_OBJS) \
		$(AUTHKEYS_MODS) $(HELPER_MODS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(CURL_LIBS) $(VIRT_LIBS)

$(B)/tests/unit/%.o: tests/unit/%.c $(B)/BUILD-STATE
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(DEFS) $(CURL_CFLAGS) $(VIRT_CFLAGS) -Ilib -Iauthkeys \
		-Iconsole-helper -Itests/unit/support -MMD -MP -c -o $@ $<

SUBST = sed -e 's|@VERSION@|$(VERSION)|g' \
            -e 's|@SBINDIR@|$(SBINDIR)|g' \
            -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g' \
            -e 's|@PKGLIBEXECDIR@|$(PKGLIBEXECDIR)|g' \
            -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
            -e 's|@PKGSYSCONFDIR@|$(PKGSYSCONFDIR)|g' \
            -e 's|@LOCALSTATEDIR@|$(LOCALSTATEDIR)|g' \
            -e 's|@PKGSTATEDIR@|$(PKGSTATEDIR)|g' \
            -e 's|@PKGCACHEDIR@|$(PKGCACHEDIR)|g' \
            -e 's|@VMCONSOLE_USER@|$(VMCONSOLE_USER)|g' \
            -e 's|@SSHD@|$(SSHD)|g'

$(B)/vmconsole.conf: conf/vmconsole.conf.in Makefile $(B)/BUILD-STATE
	@mkdir -p $(dir $@); $(SUBST) $< > $@
$(B)/sshd_config: sshd_config.d/sshd_config.in Makefile $(B)/BUILD-STATE
	@mkdir -p $(dir $@); $(SUBST) $< > $@
$(B)/vmconsole-proxy-sshd.service: packaging/systemd/vmconsole-proxy-sshd.service.in Makefile $(B)/BUILD-STATE
	@mkdir -p $(dir $@); $(SUBST) $< > $@
$(B)/sysusers.conf: packaging/systemd/sysusers.conf.in Makefile $(B)/BUILD-STATE
	@mkdir -p $(dir $@); $(SUBST) $< > $@
$(B)/tmpfiles.conf: packaging/systemd/tmpfiles.conf.in Makefile $(B)/BUILD-STATE
	@mkdir -p $(dir $@); $(SUBST) $< > $@
$(B)/vmconsole-proxy-deploy: packaging/vmconsole-proxy-deploy.in Makefile $(B)/BUILD-STATE
	@mkdir -p $(dir $@); $(SUBST) $< > $@; chmod 0755 $@
$(B)/vmconsole-proxy-sshd-keygen: packaging/vmconsole-proxy-sshd-keygen.in Makefile $(B)/BUILD-STATE
	@mkdir -p $(dir $@); $(SUBST) $< > $@; chmod 0755 $@
$(B)/man/%: docs/man/%.in Makefile $(B)/BUILD-STATE
	@mkdir -p $(dir $@); $(SUBST) $< > $@

# The values compiled into the programs (DEFS) and substituted into the
# installed files (SUBST), one line each, rewritten only when they change:
# every object and substituted file depends on it, so "make" then
# "make install PREFIX=/opt/x" rebuilds what embeds the old paths.
define write_build_state
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(subst ','\'',$(DEFS))' \
		'$(subst ','\'',$(SUBST))' > $@.new
	@if cmp -s $@.new $@; then rm -f $@.new; else \
		$(if $(wildcard $@),echo "build paths changed: rebuilding";) \
		mv -f $@.new $@; fi
endef

$(B)/BUILD-STATE: FORCE
	$(write_build_state)

FORCE:

install: all
	install -d -m 0755 $(DESTDIR)$(PKGLIBEXECDIR) $(DESTDIR)$(SBINDIR) \
		$(DESTDIR)$(PKGSYSCONFDIR)/vmconsole.conf.d \
		$(DESTDIR)$(PKGSYSCONFDIR)/sshd_config.d \
		$(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(PROGRAMS) $(DESTDIR)$(PKGLIBEXECDIR)/
	install -m 0755 $(B)/vmconsole-proxy-sshd-keygen $(DESTDIR)$(PKGLIBEXECDIR)/
	install -m 0755 $(B)/vmconsole-proxy-deploy $(DESTDIR)$(SBINDIR)/
	install -m 0644 $(B)/vmconsole.conf $(B)/sshd_config $(DESTDIR)$(PKGSYSCONFDIR)/
	install -m 0644 $(B)/vmconsole-proxy-sshd.service $(DESTDIR)$(UNITDIR)/
	install -m 0644 $(B)/sysusers.conf $(DESTDIR)$(SYSUSERSDIR)/vmconsole-proxy.conf
	install -m 0644 $(B)/tmpfiles.conf $(DESTDIR)$(TMPFILESDIR)/vmconsole-proxy.conf
	for m in $(MAN_PAGES:docs/man/%.in=%); do \
		s=$${m##*.}; install -m 0644 $(B)/man/$$m $(DESTDIR)$(MANDIR)/man$$s/$$m || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(PKGLIBEXECDIR)/vmconsole-authkeys \
	      $(DESTDIR)$(PKGLIBEXECDIR)/vmconsole-console-helper \
	      $(DESTDIR)$(PKGLIBEXECDIR)/vmconsole-login-shell \
	      $(DESTDIR)$(PKGLIBEXECDIR)/vmconsole-proxy-sshd-keygen \
	      $(DESTDIR)$(SBINDIR)/vmconsole-proxy-deploy \
	      $(DESTDIR)$(UNITDIR)/vmconsole-proxy-sshd.service \
	      $(DESTDIR)$(SYSUSERSDIR)/vmconsole-proxy.conf \
	      $(DESTDIR)$(TMPFILESDIR)/vmconsole-proxy.conf
	for m in $(MAN_PAGES:docs/man/%.in=%); do \
		rm -f $(DESTDIR)$(MANDIR)/man$${m##*.}/$$m; done
	-rmdir $(DESTDIR)$(PKGLIBEXECDIR)

# Installs missing build and test dependencies (Debian), then runs every test.
check: deps
	./tests/run-all

deps:
	./tests/install-deps

# Speed and memory goals, on the end-to-end bed (bench/README.md).
bench: deps all
	./bench/run; run=$$?; ./bench/shared; shared=$$?; \
	./bench/scale && [ $$run -eq 0 ] && [ $$shared -eq 0 ]

unit-check: $(UNIT_BINS)
	./tests/run-unit $(UNIT_BINS)

e2e-check: all
	./tests/run-e2e

asan:
	$(MAKE) SANITIZE=1 unit-check

demo: deps
	./demo/demo-up

demo-stop:
	./demo/demo-down

# Two TLS hypervisors, two proxies and HAProxy on this machine (tests/fleet/).
demo-fleet: deps
	./tests/fleet/fleet up

demo-fleet-stop:
	./tests/fleet/fleet down

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find build build-asan -name '*.d' 2>/dev/null)

# Coverage-guided fuzzing of the parsers that read untrusted input, with
# clang's libFuzzer, AddressSanitizer and UBSan (tests/fuzz/README.md).
# The sources are compiled again with clang into build-fuzz/, apart from
# the gcc build. "make fuzz" builds the targets and, with FUZZ_TIME=SECONDS,
# runs each that long; "make fuzz-smoke" runs a short, fixed-seed pass.
FUZZ_CC        ?= clang
FUZZ_TIME      ?=
FUZZ_RUNS      ?= 500000
FB             := build-fuzz
FUZZ_CFLAGS    := -std=gnu11 -g -O1 $(WARNINGS) -fno-omit-frame-pointer \
                  -fsanitize=fuzzer-no-link,address,undefined \
                  -fno-sanitize-recover=all
FUZZ_SRCS      := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS   := $(filter-out $(FB)/fuzz_support, \
                  $(FUZZ_SRCS:tests/fuzz/%.c=$(FB)/%))
# the program modules without main(), as for the unit tests
FUZZ_MAINS     := $(FB)/authkeys/main.o $(FB)/console-helper/main.o \
                  $(FB)/login-shell/main.o
FUZZ_MODS      := $(filter-out $(FUZZ_MAINS), \
                  $(LIB_SRCS:%.c=$(FB)/%.o) $(AUTHKEYS_SRCS:%.c=$(FB)/%.o) \
                  $(HELPER_SRCS:%.c=$(FB)/%.o)) $(FB)/tests/fuzz/fuzz_support.o

.PHONY: fuzz fuzz-smoke
# kept between runs, although only pattern rules name them
.SECONDARY: $(FUZZ_MODS) $(FUZZ_SRCS:%.c=$(FB)/%.o)
fuzz: $(FUZZ_TARGETS)
	$(if $(FUZZ_TIME),./tests/fuzz/run --time $(FUZZ_TIME) $(FUZZ_TARGETS))

fuzz-smoke: $(FUZZ_TARGETS)
	./tests/fuzz/run --runs $(FUZZ_RUNS) $(FUZZ_TARGETS)

# Log lines go nowhere in the fuzzers (see fuzz_syslog in fuzz_support.c).
$(FB)/lib/log.o: FUZZ_LOG_DEFS := -Dsyslog=fuzz_syslog

$(FB)/BUILD-STATE: FORCE
	$(write_build_state)

$(FB)/%.o: %.c $(FB)/BUILD-STATE
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEFS) $(FUZZ_LOG_DEFS) $(CURL_CFLAGS) \
		$(VIRT_CFLAGS) -Ilib -Iauthkeys -Iconsole-helper -Itests/fuzz \
		-MMD -MP -c -o $@ $<

$(FB)/fuzz_%: $(FB)/tests/fuzz/fuzz_%.o $(FUZZ_MODS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ \
		$(CURL_LIBS) $(VIRT_LIBS)

-include $(shell find $(FB) -name '*.d' 2>/dev/null)
