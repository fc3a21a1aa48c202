/*
 * A small preemptive scheduler for the Cortex-M4: threads on the process stack (PSP), a time
 * slice per SysTick tick, the context switch in PendSV (the lowest priority, so it never
 * interrupts another handler), round robin among the threads that are ready.
 */
#ifndef SCHEDULER_H
#define SCHEDULER_H

#include <stdint.h>

#define TICK_HZ 1000 /* SysTick rate: one time slice per millisecond */
#define STACK_WORDS 256

struct thread {
	uint32_t *sp; /* saved process stack pointer: r4-r11 below the exception frame */
	uint32_t wake; /* the tick it sleeps until */
	const char *name;
	uint32_t stack[STACK_WORDS] __attribute__((aligned(8)));
};

/* Prepares `t` to run `entry` from its first time slice. */
void thread_create(struct thread *t, const char *name, void (*entry)(void));
/* Turns the caller into the idle thread on its own stack and starts the time slices; returns in it. */
void scheduler_start(struct thread *idle, uint32_t cpu_hz);
/* Gives up the processor until `ms` milliseconds have passed. */
void sleep_ms(uint32_t ms);
uint32_t ticks(void);
/* Stops the time slices: the running thread keeps the processor. */
void scheduler_stop(void);

#endif
