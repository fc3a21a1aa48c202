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

/* Unmasks the host's channels and the IPCC interrupts; ipcc_received() runs for each signal. */
void ipcc_init(void);
/* Runs the RX handler once with no channel set, for work the firmware found before any signal. */
void ipcc_poll_soon(void);
/*
 * The host signalled on `channels` (IPCC_EVENT bits), in the RX interrupt handler. Kicks are taken
 * already; shutdown and detach stay set until ipcc_ack(), since clearing them is the answer.
 */
void ipcc_received(uint32_t channels);
void ipcc_ack(unsigned ch);
/* Signals the host on channel ch; if its previous signal there is not taken yet, once it is. */
void ipcc_notify(unsigned ch);
/* No IPCC interrupt any more: the firmware has stopped. */
void ipcc_stop(void);

#endif
