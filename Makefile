# SPDX-License-Identifier: GPL-2.0
#
# kmemscope.  On a board, or against any kernel tree:
#   make [KDIR=/path/to/build] [ARCH=...] [CROSS_COMPILE=...]
# The project's own targets (see README.md):
#   make demo      boot the emulated arm64 board and show what kmemscope sees
#                  (TARGET=x86_64-5.10, arm64-7.2, ...: another kernel)
#   make check     every build, lint and test, on every target
#   make deps      install packages and fetch the Debian kernels (cached)
#   make deb       the Debian packages kmemscope-dkms and kmemscope-tools, in out/deb/
#   make test TARGET=x86_64-6.1    integration tests on one target
#   make kunit     KUnit suites in the KUnit kernel
#   make bench TARGET=x86_64-6.1   kmemscope's overhead (figures, not a test;
#                  TARGET=bench: beside the kernel's own profiler and kmemleak)
#   make bench-smp [TARGET=arm64-6.12]   what CPUs allocating at once cost each
#                  other with kmemscope (wall time; figures, not a test)
#   make soak [TARGET=arm64-6.12] [SOAK_MIN=30]   kmemscope loaded under load
#                  for a long time (figures and a verdict; not in make check)

# Yocto's module.bbclass passes the kernel's build tree as KERNEL_SRC.
KERNEL_SRC ?=
KDIR ?= $(if $(KERNEL_SRC),$(KERNEL_SRC),/lib/modules/$(shell uname -r)/build)
TARGET ?=

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# Into /lib/modules/<kernel>/updates (INSTALL_MOD_PATH=, or MODLIB= as
# module.bbclass sets it).
modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -rf out

deps:
	scripts/deps.sh

deb:
	scripts/deb.sh

demo:
	scripts/demo.sh $(TARGET)

check:
	scripts/check.sh $(TARGET)

test:
	scripts/test.sh $(or $(TARGET),x86_64-6.1)

kunit:
	scripts/test.sh kunit

checkpatch:
	scripts/checkpatch.sh

bench:
	scripts/bench.sh $(TARGET)

bench-smp:
	scripts/bench-smp.sh $(TARGET)

soak:
	scripts/soak.sh $(or $(TARGET),arm64-6.12) $(or $(SOAK_MIN),30)

.PHONY: all modules modules_install clean deps deb demo check test kunit checkpatch bench bench-smp soak
