include $(sort $(wildcard $(BR2_EXTERNAL_KMEMSCOPE_PATH)/package/*/*.mk))
