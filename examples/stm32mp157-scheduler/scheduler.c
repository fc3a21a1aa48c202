#include "scheduler.h"
#include "stm32mp157.h"

#define SCB_ICSR 0xe000ed04u
#define SCB_ICSR_PENDSVSET (1u << 28)
#define SCB_SHPR3 0xe000ed20u /* PendSV priority in bits 16-23, SysTick's in 24-31 */
#define XPSR_T (1u << 24)
#define MAX_THREADS 4

static struct thread *threads[MAX_THREADS];
static unsigned count;
/* The running thread; the PendSV handler saves into and loads from it. */
struct thread *current;
static volatile uint32_t tick;

void thread_create(struct thread *t, const char *name, void (*entry)(void))
{
	uint32_t *frame = &t->stack[STACK_WORDS - 16];

	for (unsigned i = 0; i < 16; i++)
		frame[i] = 0;
	frame[8 + 5] = 0; /* lr: a thread never returns */
	frame[8 + 6] = (uint32_t)entry; /* pc */
	frame[8 + 7] = XPSR_T;
	t->sp = frame;
	t->wake = 0;
	t->name = name;
	threads[count++] = t;
}

static void request_switch(void)
{
	REG(SCB_ICSR) = SCB_ICSR_PENDSVSET;
}

void scheduler_start(struct thread *idle, uint32_t cpu_hz)
{
	uint32_t *top = &idle->stack[STACK_WORDS];

	idle->name = "idle";
	idle->wake = 0;
	threads[count++] = idle;
	current = idle;
	REG(SCB_SHPR3) = 0xffu << 16 | 0x80u << 24; /* PendSV lowest, SysTick above it */
	/* The caller goes on as the idle thread, on the process stack. */
	__asm__ volatile("msr psp, %0\n\t"
			 "mrs r0, control\n\t"
			 "orr r0, r0, #2\n\t" /* SPSEL: thread mode uses the PSP */
			 "msr control, r0\n\t"
			 "isb"
			 :
			 : "r"(top)
			 : "r0", "memory");
	REG(SYST_RVR) = cpu_hz / TICK_HZ - 1;
	REG(SYST_CVR) = 0;
	REG(SYST_CSR) = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
}

void scheduler_stop(void)
{
	REG(SYST_CSR) = 0;
}

uint32_t ticks(void)
{
	return tick;
}

void sleep_ms(uint32_t ms)
{
	uint32_t wake = tick + ms * (TICK_HZ / 1000);

	current->wake = wake;
	while ((int32_t)(wake - tick) > 0)
		request_switch();
}

void systick_handler(void)
{
	tick++;
	request_switch(); /* the end of a time slice */
}

/* Round robin from the thread after the current one; the idle thread (the last) when none is ready. */
struct thread *schedule(void)
{
	unsigned i = 0;

	while (threads[i] != current)
		i++;
	for (unsigned n = 1; n <= count; n++) {
		struct thread *t = threads[(i + n) % count];

		if (t != threads[count - 1] && (int32_t)(t->wake - tick) <= 0)
			return current = t;
	}
	return current = threads[count - 1];
}

/* Saves r4-r11 on the running thread's stack (the exception entry pushed the rest), picks the next. */
__attribute__((naked)) void pendsv_handler(void)
{
	__asm__ volatile("mrs r0, psp\n\t"
			 "stmdb r0!, {r4-r11}\n\t"
			 "ldr r1, =current\n\t"
			 "ldr r2, [r1]\n\t"
			 "str r0, [r2]\n\t" /* current->sp */
			 "push {r2, lr}\n\t" /* two words: the stack stays 8-byte aligned for the call */
			 "bl schedule\n\t"
			 "pop {r2, lr}\n\t"
			 "ldr r0, [r0]\n\t" /* the next thread's sp */
			 "ldmia r0!, {r4-r11}\n\t"
			 "msr psp, r0\n\t"
			 "bx lr");
}
