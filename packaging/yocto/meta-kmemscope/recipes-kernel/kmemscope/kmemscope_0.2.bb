SUMMARY = "kmemscope: kernel memory by call site and module"
DESCRIPTION = "A loadable kernel module that shows, under \
/sys/kernel/debug/kmemscope/, which call sites in which modules hold how \
much kernel memory, live allocations, leak candidates and an account of \
all of the RAM; and its tools kmemscope-snap and kmemscope-bar."
LICENSE = "GPL-2.0-only"
LIC_FILES_CHKSUM = "file://COPYING;md5=b234ee4d69f5fce4486a80fdaf4a4263"

# The checkout this layer is part of (packaging/yocto/meta-kmemscope/ in
# it); set EXTERNALSRC in local.conf to build another one.
inherit module externalsrc
EXTERNALSRC ?= "${@os.path.abspath(os.path.join('${THISDIR}', '../../../../..'))}"
EXTERNALSRC_BUILD ?= "${EXTERNALSRC}"

# The top Makefile builds module/kmemscope.ko against KERNEL_SRC and
# installs it with modules_install (MODLIB); Module.symvers is at the top.
MODULES_MODULE_SYMVERS_LOCATION = ""
RPROVIDES:${PN} += "kernel-module-kmemscope"

PACKAGES =+ "${PN}-tools"
FILES:${PN}-tools = "${bindir}/kmemscope-snap ${bindir}/kmemscope-bar"
RDEPENDS:${PN}-tools = "busybox"

do_install:append() {
	install -d ${D}${bindir}
	install -m 0755 ${S}/tools/kmemscope-snap ${D}${bindir}/
	install -m 0755 ${S}/tools/kmemscope-bar ${D}${bindir}/
}
