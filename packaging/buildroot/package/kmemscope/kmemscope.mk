################################################################################
#
# kmemscope
#
################################################################################

KMEMSCOPE_VERSION = 0.2
# The tree this BR2_EXTERNAL is part of (packaging/buildroot/ in it).
KMEMSCOPE_SITE = $(BR2_EXTERNAL_KMEMSCOPE_PATH)/../..
KMEMSCOPE_SITE_METHOD = local
KMEMSCOPE_LICENSE = GPL-2.0
KMEMSCOPE_LICENSE_FILES = COPYING
KMEMSCOPE_MODULE_SUBDIRS = module

define KMEMSCOPE_LINUX_CONFIG_FIXUPS
	$(call KCONFIG_ENABLE_OPT,CONFIG_MODULES)
	$(call KCONFIG_ENABLE_OPT,CONFIG_MODULE_UNLOAD)
	$(call KCONFIG_ENABLE_OPT,CONFIG_DEBUG_FS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_KALLSYMS)
	$(call KCONFIG_ENABLE_OPT,CONFIG_KPROBES)
	$(call KCONFIG_ENABLE_OPT,CONFIG_FTRACE)
	$(call KCONFIG_ENABLE_OPT,CONFIG_ENABLE_DEFAULT_TRACERS)
endef

define KMEMSCOPE_INSTALL_TARGET_CMDS
	$(INSTALL) -D -m 0755 $(@D)/tools/kmemscope-snap \
		$(TARGET_DIR)/usr/bin/kmemscope-snap
	$(INSTALL) -D -m 0755 $(@D)/tools/kmemscope-bar \
		$(TARGET_DIR)/usr/bin/kmemscope-bar
endef

$(eval $(kernel-module))
$(eval $(generic-package))
