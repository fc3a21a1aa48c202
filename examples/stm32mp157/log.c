#include "log.h"
#include "rsc_table.h"
#include "stm32mp157.h"

char trace_buf[TRACE_BUF_LEN] __attribute__((section(".trace_buf"), aligned(4)));
static uint32_t trace_pos;

void log_init(void)
{
	REG(USART_CR1) = USART_CR1_UE | USART_CR1_TE;
}

static void put_char(char c)
{
	while (!(REG(USART_ISR) & USART_ISR_TXE))
		;
	REG(USART_TDR) = (uint8_t)c;
	trace_buf[trace_pos] = c;
	if (++trace_pos == TRACE_BUF_LEN - 1) /* wrap, keeping the last byte NUL for the reader */
		trace_pos = 0;
}

void log_str(const char *s)
{
	while (*s)
		put_char(*s++);
}

void log_hex(uint32_t v)
{
	int shift = 28;

	log_str("0x");
	while (shift > 0 && !(v >> shift))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		put_char("0123456789abcdef"[(v >> shift) & 0xf]);
}

void log_line(const char *s)
{
	log_str(s);
	put_char('\n');
}
