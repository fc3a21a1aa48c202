# Builds one firmware from the shared sources with the including directory's board.h and linker
# script. OUT picks the output directory only: the bytes do not depend on it.
# The including Makefile sets CROSS, CPU, LDSCRIPT and FW (EXTRA_CFLAGS, EXTRA_LDFLAGS optional).
OUT ?= .
COMMON ?= ../common
include $(COMMON)/flags.mk
SRCS := $(COMMON)/firmware.c $(COMMON)/resource_table.c

$(OUT)/$(FW): $(SRCS) $(COMMON)/rsc_table.h board.h $(LDSCRIPT)
	$(CROSS)gcc $(CPU) $(FW_CFLAGS) $(EXTRA_CFLAGS) -I. -I$(COMMON) -T $(LDSCRIPT) $(FW_LDFLAGS) $(EXTRA_LDFLAGS) -o $@ $(SRCS)
