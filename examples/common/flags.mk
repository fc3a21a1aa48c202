# Compiler and linker flags every firmware build shares (examples and test fixtures): bare metal,
# no C library, warnings as errors, and nothing that depends on where or when it is built.
FW_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdlib -fno-common \
	-fno-tree-loop-distribute-patterns -ffile-prefix-map=$(CURDIR)=.
FW_LDFLAGS := -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wl,-z,noexecstack
