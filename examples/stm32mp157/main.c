/*
 * The STM32MP157 example remote: an OpenAMP-style rpmsg-tty echo on the Cortex-M4, bare metal.
 * It waits for the host's virtio driver (DRIVER_OK in the vdev status of the loaded resource
 * table), sets up the vrings where the host put them, announces "rpmsg-tty" and echoes every
 * message back to its sender. Everything after the start happens in the IPCC interrupt handler,
 * so the thread only sleeps; the host's shutdown and detach are answered there too. SysTick
 * refreshes the watchdog, so a firmware that stops running is reset and reported to the host.
 */
#include "board.h"
#include "ipcc.h"
#include "log.h"
#include "rpmsg.h"
#include "rsc_table.h"
#include "stm32mp157.h"
#include "watchdog.h"

static enum { WAITING, SERVING, ANNOUNCED } state;

static int driver_ok(void)
{
	return *rsc_vdev_status & VIRTIO_CONFIG_S_DRIVER_OK;
}

/* The host's shutdown or detach request, answered by clearing its flag once acted upon. */
static void host_request(uint32_t channels)
{
	if (channels & IPCC_EVENT(IPCC_CH_SHUTDOWN)) {
		log_line("m4: shutdown requested, stopping");
		ipcc_stop(); /* nothing comes in any more: the M4 sleeps until the host stops it */
		ipcc_ack(IPCC_CH_SHUTDOWN);
		return;
	}
	log_line("m4: host detached");
	state = WAITING;
	ipcc_ack(IPCC_CH_DETACH);
}

void ipcc_received(uint32_t channels)
{
	if (channels & (IPCC_EVENT(IPCC_CH_SHUTDOWN) | IPCC_EVENT(IPCC_CH_DETACH))) {
		host_request(channels);
		return;
	}
	if (state == ANNOUNCED) {
		if (driver_ok()) {
			rpmsg_serve();
			return;
		}
		log_line("rpmsg: virtio device reset");
		state = WAITING;
	}
	if (state == WAITING) {
		if (!driver_ok())
			return;
		if (rpmsg_start()) {
			log_line("rpmsg: the host left a vring unusable");
			return;
		}
		log_line("rpmsg: virtio device ready");
		state = SERVING;
	}
	if (state == SERVING && !rpmsg_announce(RPMSG_SERVICES)) {
		log_str("rpmsg: announced " RPMSG_SERVICES " at ");
		log_hex(RPMSG_ECHO_ADDR);
		log_line("");
		state = ANNOUNCED;
		rpmsg_serve();
	}
}

int main(void)
{
	REG(RCC_MC_AHB3ENSETR) = RCC_MC_AHB3ENR_IPCCEN;
	REG(RCC_MC_APB1ENSETR) = RCC_MC_APB1ENR_USART3EN;
	log_init();
	log_line(BOARD_NAME ": " RPMSG_SERVICES " echo firmware");
	watchdog_start();
	log_line("m4: watchdog WWDG1 started, refreshed every 50 ms");
	log_line("rpmsg: waiting for virtio DRIVER_OK");
	ipcc_init();
	ipcc_poll_soon(); /* the host may have set DRIVER_OK before the M4 listened */
	for (;;)
		wait_for_interrupt();
}
