/*
 * Both IPCC interrupts have the same priority, so neither handler interrupts the other and they
 * share the mask register and the deferred signals without locking. The thread never touches
 * them after ipcc_init().
 */
#include "ipcc.h"
#include "stm32mp157.h"

#define KICKS (IPCC_EVENT(IPCC_CH_VQ0) | IPCC_EVENT(IPCC_CH_VQ1))
#define REQUESTS (IPCC_EVENT(IPCC_CH_SHUTDOWN) | IPCC_EVENT(IPCC_CH_DETACH))
#define ALL_FREE_MASKED 0x003f0000u

/* Signals waiting for their channel to be free (IPCC_EVENT bits). */
static uint32_t deferred;

void ipcc_init(void)
{
	REG(IPCC_C2MR) = ALL_FREE_MASKED | (0x3fu & ~(KICKS | REQUESTS));
	REG(IPCC_C2CR) = IPCC_CR_RXOIE | IPCC_CR_TXFIE;
	nvic_enable(IPCC_RX1_IRQN);
	nvic_enable(IPCC_TX1_IRQN);
}

void ipcc_poll_soon(void)
{
	nvic_set_pending(IPCC_RX1_IRQN);
}

void ipcc_rx1_irq_handler(void)
{
	uint32_t occupied = REG(IPCC_C1TOC2SR) & ~REG(IPCC_C2MR) & (KICKS | REQUESTS);

	REG(IPCC_C2SCR) = occupied & KICKS;
	if (occupied & REQUESTS)
		REG(IPCC_C2MR) |= occupied & REQUESTS;
	ipcc_received(occupied);
}

void ipcc_ack(unsigned ch)
{
	REG(IPCC_C2SCR) = IPCC_SCR_CHC(ch);
	REG(IPCC_C2MR) &= ~IPCC_MR_CHOM(ch);
}

void ipcc_notify(unsigned ch)
{
	if (!(REG(IPCC_C2TOC1SR) & (1u << ch))) {
		REG(IPCC_C2SCR) = IPCC_SCR_CHS(ch);
		if (deferred & IPCC_EVENT(ch)) { /* this signal stands for the deferred one too */
			deferred &= ~IPCC_EVENT(ch);
			REG(IPCC_C2MR) |= IPCC_MR_CHFM(ch);
		}
		return;
	}
	deferred |= IPCC_EVENT(ch);
	REG(IPCC_C2MR) &= ~IPCC_MR_CHFM(ch); /* the free interrupt sends it */
}

void ipcc_tx1_irq_handler(void)
{
	uint32_t free = ~REG(IPCC_C2TOC1SR) & deferred;

	REG(IPCC_C2SCR) = free << 16; /* CHnS for each */
	REG(IPCC_C2MR) |= free << 16;
	deferred &= ~free;
}

void ipcc_stop(void)
{
	REG(IPCC_C2CR) = 0;
}
