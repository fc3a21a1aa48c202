/*
 * Kicks (vq0, vq1) are taken in the interrupt handler at once: the flag only says "look at the
 * ring", and the main loop looks. Shutdown and detach stay set and masked until the main loop has
 * acted on them, since clearing them is the answer the host waits for.
 */
#include "ipcc.h"
#include "stm32mp157.h"

#define KICKS (IPCC_EVENT(IPCC_CH_VQ0) | IPCC_EVENT(IPCC_CH_VQ1))
#define REQUESTS (IPCC_EVENT(IPCC_CH_SHUTDOWN) | IPCC_EVENT(IPCC_CH_DETACH))
#define ALL_FREE_MASKED 0x003f0000u

static volatile uint32_t events;

void ipcc_init(void)
{
	REG(IPCC_C2MR) = ALL_FREE_MASKED | (0x3fu & ~(KICKS | REQUESTS));
	REG(IPCC_C2CR) = IPCC_CR_RXOIE | IPCC_CR_TXFIE;
	nvic_enable(IPCC_RX1_IRQN);
	nvic_enable(IPCC_TX1_IRQN);
}

void ipcc_rx1_irq_handler(void)
{
	uint32_t occupied = REG(IPCC_C1TOC2SR) & ~REG(IPCC_C2MR) & (KICKS | REQUESTS);

	REG(IPCC_C2SCR) = occupied & KICKS;
	REG(IPCC_C2MR) |= occupied & REQUESTS;
	events |= occupied;
}

/* A channel the M4 waits on became free: its free interrupt goes back to masked. */
void ipcc_tx1_irq_handler(void)
{
	REG(IPCC_C2MR) |= ALL_FREE_MASKED;
}

uint32_t ipcc_wait(void)
{
	uint32_t e;

	irq_disable();
	while (!(e = events)) {
		wait_for_interrupt(); /* wakes for a pending interrupt even with PRIMASK set */
		irq_enable();
		irq_disable();
	}
	events = 0;
	irq_enable();
	return e;
}

void ipcc_ack(unsigned ch)
{
	irq_disable(); /* the handler changes C2MR too */
	REG(IPCC_C2SCR) = IPCC_SCR_CHC(ch);
	REG(IPCC_C2MR) &= ~IPCC_MR_CHOM(ch);
	irq_enable();
}

void ipcc_notify(unsigned ch)
{
	while (REG(IPCC_C2TOC1SR) & (1u << ch)) {
		irq_disable();
		if (REG(IPCC_C2TOC1SR) & (1u << ch)) {
			REG(IPCC_C2MR) &= ~IPCC_MR_CHFM(ch);
			wait_for_interrupt();
		}
		irq_enable();
	}
	REG(IPCC_C2SCR) = IPCC_SCR_CHS(ch);
}
