/*
 * A minimal OpenAMP-style remote firmware: it announces its rpmsg services in read-only data,
 * logs to the trace buffer the resource table declares, waits for the host to bring the rpmsg
 * virtio device up (DRIVER_OK in the vdev status the host writes into the loaded table) and then
 * sleeps between interrupts. Bare metal, no C library: built with -nostdlib -ffreestanding.
 */
#include <stdint.h>
#include "rsc_table.h"
#include "board.h"

/* The services this firmware offers over rpmsg; the host side binds drivers by these names. */
const char *const rpmsg_services[] = { RPMSG_SERVICES };

char trace_buf[TRACE_BUF_LEN] __attribute__((section(".trace_buf"), aligned(4)));
static uint32_t trace_pos;

static void trace_puts(const char *s)
{
	while (*s) {
		trace_buf[trace_pos] = *s++;
		if (++trace_pos == TRACE_BUF_LEN - 1) /* keep the last byte NUL, as OpenAMP does */
			trace_pos = 0;
	}
}

static void wait_for_interrupt(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

int main(void)
{
	unsigned i;

	trace_puts(BOARD_NAME " remote firmware: booting\n");
	for (i = 0; i < sizeof(rpmsg_services) / sizeof(rpmsg_services[0]); i++) {
		trace_puts("rpmsg service: ");
		trace_puts(rpmsg_services[i]);
		trace_puts("\n");
	}
	while (!(*rsc_vdev_status & VIRTIO_CONFIG_S_DRIVER_OK))
		wait_for_interrupt();
	trace_puts("virtio rpmsg device ready\n");
	for (;;)
		wait_for_interrupt();
}

extern char _estack[];

#if defined(__ARM_ARCH_7EM__) || defined(__ARM_ARCH_7M__)
/* Cortex-M: the vector table holds the initial stack pointer and the reset handler. */
void reset_handler(void)
{
	main();
}

static void default_handler(void)
{
	for (;;)
		wait_for_interrupt();
}

__attribute__((section(".isr_vector"), used)) void (*const vectors[16])(void) = {
	(void (*)(void))_estack, reset_handler, default_handler, default_handler,
	default_handler, default_handler, default_handler, 0,
	0, 0, 0, default_handler,
	default_handler, 0, default_handler, default_handler,
};
#elif defined(__arm__)
/* Cortex-R: the exception vectors are branches at address 0 (ATCM). */
__asm__(".section .isr_vector, \"ax\"\n"
	".arm\n"
	".global vectors\n"
	"vectors:\n"
	"	ldr pc, =reset_handler\n"
	"	b .\n	b .\n	b .\n	b .\n	b .\n	b .\n	b .\n"
	".ltorg\n"
	".text\n"
	".global reset_handler\n"
	"reset_handler:\n"
	"	ldr sp, =_estack\n"
	"	bl main\n"
	"	b .\n");
#elif defined(__aarch64__)
__asm__(".section .isr_vector, \"ax\"\n"
	".global reset_handler\n"
	"reset_handler:\n"
	"	ldr x0, =_estack\n"
	"	mov sp, x0\n"
	"	bl main\n"
	"	b .\n"
	".ltorg\n");
#endif
