/*
 * The M4 starts from its vector table in RETRAM (da 0, VTOR's reset value). The host's loader
 * placed every loadable section where it runs, so the reset handler only zeroes what no segment
 * holds (.bss and the trace buffer) before main.
 */
#include <stdint.h>
#include "log.h"
#include "stm32mp157.h"

extern uint32_t _sbss[], _ebss[];
extern char _estack[];
int main(void);

void reset_handler(void)
{
	for (uint32_t *p = _sbss; p < _ebss; p++)
		*p = 0;
	main();
	for (;;)
		wait_for_interrupt();
}

/* An exception this firmware has no handler for (a fault, most likely): say which, and stop. */
static void fault_handler(void)
{
	uint32_t ipsr;

	__asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
	log_str("m4: unexpected exception ");
	log_hex(ipsr);
	log_line(", stopped");
	irq_disable();
	for (;;)
		wait_for_interrupt();
}

/* The handlers a firmware built from these sources may define; the others stop as faults do. */
#define HANDLER(name) void name(void) __attribute__((weak, alias("fault_handler")))
HANDLER(svc_handler);
HANDLER(pendsv_handler);
HANDLER(systick_handler);
HANDLER(ipcc_rx1_irq_handler);
HANDLER(ipcc_tx1_irq_handler);

#define IRQ(n) (16 + (n))

__attribute__((section(".isr_vector"), used)) void (*const vectors[IRQ(IPCC_TX1_IRQN) + 1])(void) = {
	[0] = (void (*)(void))_estack,
	[1] = reset_handler,
	[2 ... 10] = fault_handler,
	[11] = svc_handler,
	[12 ... 13] = fault_handler,
	[14] = pendsv_handler,
	[15] = systick_handler,
	[IRQ(0)... IRQ(IPCC_RX1_IRQN) - 1] = fault_handler,
	[IRQ(IPCC_RX1_IRQN)] = ipcc_rx1_irq_handler,
	[IRQ(IPCC_TX1_IRQN)] = ipcc_tx1_irq_handler,
};
