/*
 * The STM32MP157 registers this firmware uses, at the addresses the Cortex-M4 sees them
 * (RM0436: RCC, USART, IPCC register maps; ARMv7-M ARM: the NVIC and SysTick).
 */
#ifndef STM32MP157_H
#define STM32MP157_H

#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))

/* RCC: the MCU's clock enables are set/clear pairs (RCC_MC_*ENSETR / ENCLRR). */
#define RCC_BASE 0x50000000u
#define RCC_MC_APB1ENSETR (RCC_BASE + 0xa80)
#define RCC_MC_AHB3ENSETR (RCC_BASE + 0xaa0)
#define RCC_MC_APB1ENR_USART3EN (1u << 15)
#define RCC_MC_APB1ENR_WWDG1EN (1u << 28)
#define RCC_MC_AHB3ENR_IPCCEN (1u << 12)

/* USART3: the M4's console. */
#define USART3_BASE 0x4000f000u
#define USART_CR1 (USART3_BASE + 0x00)
#define USART_ISR (USART3_BASE + 0x1c)
#define USART_TDR (USART3_BASE + 0x28)
#define USART_CR1_UE (1u << 0)
#define USART_CR1_TE (1u << 3)
#define USART_ISR_TXE (1u << 7)

/* WWDG1: the MCU's window watchdog, counting at PCLK1 / 4096 / 2^WDGTB. */
#define WWDG1_BASE 0x4000a000u
#define WWDG_CR (WWDG1_BASE + 0x0)
#define WWDG_CFR (WWDG1_BASE + 0x4)
#define WWDG_CR_WDGA (1u << 7)
#define WWDG_CR_T 0x7fu
#define WWDG_CFR_W 0x7fu
#define WWDG_CFR_WDGTB(x) ((uint32_t)(x) << 11)

/* IPCC, processor 2's bank (the M4): its control, mask and set/clear registers, and both flag words. */
#define IPCC_BASE 0x4c001000u
#define IPCC_C1TOC2SR (IPCC_BASE + 0x0c) /* the host's channel flags: messages for the M4 */
#define IPCC_C2CR (IPCC_BASE + 0x10)
#define IPCC_C2MR (IPCC_BASE + 0x14)
#define IPCC_C2SCR (IPCC_BASE + 0x18)
#define IPCC_C2TOC1SR (IPCC_BASE + 0x1c) /* the M4's own channel flags: messages for the host */
#define IPCC_CR_RXOIE (1u << 0)
#define IPCC_CR_TXFIE (1u << 16)
#define IPCC_MR_CHOM(ch) (1u << (ch)) /* occupied (RX) interrupt mask of channel ch */
#define IPCC_MR_CHFM(ch) (1u << (16 + (ch))) /* free (TX) interrupt mask of channel ch */
#define IPCC_SCR_CHC(ch) (1u << (ch)) /* clear the host's flag: its message is taken */
#define IPCC_SCR_CHS(ch) (1u << (16 + (ch))) /* set the M4's flag: a message for the host */
#define IPCC_RX1_IRQN 103
#define IPCC_TX1_IRQN 104

/* SysTick and the NVIC (System Control Space). */
#define SYST_CSR 0xe000e010u
#define SYST_RVR 0xe000e014u
#define SYST_CVR 0xe000e018u
#define SYST_CSR_ENABLE (1u << 0)
#define SYST_CSR_TICKINT (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2) /* the processor clock */
#define NVIC_ISER(n) (0xe000e100u + 4 * (n))
#define NVIC_ISPR(n) (0xe000e200u + 4 * (n))

/* The M4's clock (MCUSS) as the boot chain leaves it. */
#define MCU_CLOCK_HZ 209000000u

static inline void nvic_enable(unsigned irq)
{
	REG(NVIC_ISER(irq / 32)) = 1u << (irq % 32);
}

static inline void nvic_set_pending(unsigned irq)
{
	REG(NVIC_ISPR(irq / 32)) = 1u << (irq % 32);
}

static inline void irq_disable(void)
{
	__asm__ volatile("cpsid i" ::: "memory");
}

static inline void wait_for_interrupt(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

#endif
