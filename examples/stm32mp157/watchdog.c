#include "watchdog.h"
#include "stm32mp157.h"

/*
 * WDGTB 6: a count every 4096 * 64 PCLK1 cycles, 2.5 ms with PCLK1 at 104.4 MHz (the MCU clock
 * divided by 2, as TF-A sets APB1 on the DK boards), so about 160 ms from a refresh (0x7f) to the
 * reset (0x3f). SysTick refreshes it every 50 ms; its 24-bit reload holds up to 80 ms at 209 MHz.
 */
#define REFRESH_HZ 20

void watchdog_start(void)
{
	REG(RCC_MC_APB1ENSETR) = RCC_MC_APB1ENR_WWDG1EN;
	REG(WWDG_CFR) = WWDG_CFR_WDGTB(6) | WWDG_CFR_W; /* a refresh is allowed at any count */
	REG(WWDG_CR) = WWDG_CR_WDGA | WWDG_CR_T;
	REG(SYST_RVR) = MCU_CLOCK_HZ / REFRESH_HZ - 1;
	REG(SYST_CVR) = 0;
	REG(SYST_CSR) = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
}

void systick_handler(void)
{
	REG(WWDG_CR) = WWDG_CR_T; /* the refresh: the count back to 0x7f */
}
