/*
 * The M4's side of the IPCC mailbox, as the host's stm32_rproc driver numbers its channels
 * (mbox-names vq0, vq1, shutdown, detach on IPCC channels 0-3).
 */
#ifndef IPCC_H
#define IPCC_H

#include <stdint.h>

#define IPCC_CH_VQ0 0 /* vring0 kicks: the host gave rx buffers back / the M4 used some */
#define IPCC_CH_VQ1 1 /* vring1 kicks: the host queued messages / the M4 gave buffers back */
#define IPCC_CH_SHUTDOWN 2
#define IPCC_CH_DETACH 3
#define IPCC_EVENT(ch) (1u << (ch))

void ipcc_init(void);
/* Sleeps until the host signals on a channel; returns the channels that signalled (IPCC_EVENT bits). */
uint32_t ipcc_wait(void);
/* Tells the host "taken" on a channel ipcc_wait reported (shutdown, detach): the host's flag clears. */
void ipcc_ack(unsigned ch);
/* Signals the host on channel ch, once the host has taken the previous signal there. */
void ipcc_notify(unsigned ch);

#endif
