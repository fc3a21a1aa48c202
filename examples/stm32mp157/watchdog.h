/*
 * The M4's watchdog, WWDG1: started once, refreshed from SysTick. If the firmware stops running
 * (a fault, a lockup, a loop with interrupts masked) it resets the M4, and the host hears of it
 * as a crash of type watchdog (stm32_rproc_wdg).
 */
#ifndef WATCHDOG_H
#define WATCHDOG_H

void watchdog_start(void);

#endif
