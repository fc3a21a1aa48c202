/*
 * The STM32MP157 scheduler example: three threads under a small preemptive scheduler on the
 * Cortex-M4 (scheduler.c), printing on USART3 and into the trace buffer. "ping" and "pong" sleep
 * between their lines; "primes" computes without ever yielding, and the SysTick time slices
 * share the processor between it and the others. The host's shutdown (IPCC channel 2) is acked.
 */
#include <stdint.h>
#include "log.h"
#include "rsc_table.h"
#include "scheduler.h"
#include "stm32mp157.h"

#define IPCC_CH_SHUTDOWN 2

/* The resource table: only the trace buffer (this firmware has no rpmsg). */
struct trace_table {
	struct resource_table_hdr hdr;
	uint32_t offset[1];
	struct fw_rsc_trace trace;
} PACKED;

__attribute__((section(".resource_table"), used, aligned(4))) struct trace_table resource_table = {
	.hdr = { .ver = 1, .num = 1 },
	.offset = { RSC_OFFSET(struct trace_table, trace) },
	.trace = { .type = RSC_TRACE, .da = (uint32_t)trace_buf, .len = TRACE_BUF_LEN, .name = "cm4_log" },
};

static void put_dec(uint32_t v)
{
	char digits[10];
	int n = 0;

	do
		digits[n++] = '0' + v % 10;
	while ((v /= 10));
	while (n--) {
		char s[2] = { digits[n], 0 };

		log_str(s);
	}
}

/* One line "[tick] name: what value", whole: no other thread prints in between. */
static void say(const char *name, const char *what, uint32_t value)
{
	uint32_t primask;

	__asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
	log_str("[");
	put_dec(ticks());
	log_str("] ");
	log_str(name);
	log_str(": ");
	log_str(what);
	put_dec(value);
	log_line("");
	__asm__ volatile("msr primask, %0" ::"r"(primask) : "memory");
}

static void ping(void)
{
	for (uint32_t n = 1;; n++) {
		say("ping", "line ", n);
		sleep_ms(20);
	}
}

static void pong(void)
{
	for (uint32_t n = 1;; n++) {
		say("pong", "line ", n);
		sleep_ms(30);
	}
}

/* Counts primes by trial division: a few million instructions, preempted every millisecond. */
static void primes(void)
{
	uint32_t found = 0;

	say("primes", "counting below ", 40000);
	for (uint32_t n = 2; n < 40000; n++) {
		uint32_t d = 2;

		while (d * d <= n && n % d)
			d++;
		if (d * d > n)
			found++;
	}
	say("primes", "found ", found);
	for (;;)
		sleep_ms(1000);
}

/* The shutdown request: no thread runs again; the ack, then sleep until the host stops the M4. */
void ipcc_rx1_irq_handler(void)
{
	if (!(REG(IPCC_C1TOC2SR) & (1u << IPCC_CH_SHUTDOWN)))
		return;
	scheduler_stop();
	log_line("scheduler: shutdown requested, stopping");
	REG(IPCC_C2CR) = 0;
	REG(IPCC_C2SCR) = IPCC_SCR_CHC(IPCC_CH_SHUTDOWN);
	irq_disable();
	for (;;)
		wait_for_interrupt();
}

static struct thread idle, t_ping, t_pong, t_primes;

int main(void)
{
	REG(RCC_MC_AHB3ENSETR) = RCC_MC_AHB3ENR_IPCCEN;
	REG(RCC_MC_APB1ENSETR) = RCC_MC_APB1ENR_USART3EN;
	log_init();
	log_line("stm32mp157 m4: scheduler example, 3 threads, 1 ms time slices");
	REG(IPCC_C2MR) = 0x003f003fu & ~IPCC_MR_CHOM(IPCC_CH_SHUTDOWN);
	REG(IPCC_C2CR) = IPCC_CR_RXOIE;
	nvic_enable(IPCC_RX1_IRQN);
	thread_create(&t_ping, "ping", ping);
	thread_create(&t_pong, "pong", pong);
	thread_create(&t_primes, "primes", primes);
	scheduler_start(&idle, MCU_CLOCK_HZ);
	for (;;)
		wait_for_interrupt();
}
