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
void ipcc_rx1_irq_handler(void);
void ipcc_tx1_irq_handler(void);

void reset_handler(void)
{
	for (uint32_t *p = _sbss; p < _ebss; p++)
		*p = 0;
	main();
	for (;;)
		wait_for_interrupt();
}

/* A fault this firmware does not expect: say so once and stop. */
static void fault_handler(void)
{
	log_line("m4: fault, stopped");
	irq_disable();
	for (;;)
		wait_for_interrupt();
}

#define IRQ(n) (16 + (n))

__attribute__((section(".isr_vector"), used)) void (*const vectors[IRQ(IPCC_TX1_IRQN) + 1])(void) = {
	[0] = (void (*)(void))_estack,
	[1] = reset_handler,
	[2 ... 15] = fault_handler,
	[IRQ(0)... IRQ(IPCC_RX1_IRQN) - 1] = fault_handler,
	[IRQ(IPCC_RX1_IRQN)] = ipcc_rx1_irq_handler,
	[IRQ(IPCC_TX1_IRQN)] = ipcc_tx1_irq_handler,
};
