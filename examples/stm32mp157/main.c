/*
 * The STM32MP157 example remote: an OpenAMP-style rpmsg-tty echo on the Cortex-M4, bare metal.
 * It waits for the host's virtio driver (DRIVER_OK in the vdev status of the loaded resource
 * table), sets up the vrings where the host put them, announces "rpmsg-tty" and echoes every
 * message back to its sender, woken by the IPCC. It answers the host's shutdown and detach.
 */
#include "board.h"
#include "ipcc.h"
#include "log.h"
#include "rpmsg.h"
#include "rsc_table.h"
#include "stm32mp157.h"

/* A shutdown is answered (the flag cleared) and the M4 sleeps until the host stops it. */
static void __attribute__((noreturn)) shut_down(void)
{
	log_line("m4: shutdown requested, stopping");
	REG(IPCC_C2CR) = 0; /* no IPCC interrupt wakes it any more */
	ipcc_ack(IPCC_CH_SHUTDOWN);
	for (;;)
		wait_for_interrupt();
}

/* Acts on the host's shutdown and detach requests among `events`; 1 if the host detached. */
static int host_requests(uint32_t events)
{
	if (events & IPCC_EVENT(IPCC_CH_SHUTDOWN))
		shut_down();
	if (events & IPCC_EVENT(IPCC_CH_DETACH)) {
		log_line("m4: host detached");
		ipcc_ack(IPCC_CH_DETACH);
		return 1;
	}
	return 0;
}

static int driver_ok(void)
{
	return *rsc_vdev_status & VIRTIO_CONFIG_S_DRIVER_OK;
}

/* Serves rpmsg until the host detaches or resets the device. */
static void serve(void)
{
	int announced = 0;

	for (;;) {
		if (!announced && !rpmsg_announce(RPMSG_SERVICES)) {
			announced = 1;
			log_str("rpmsg: announced " RPMSG_SERVICES " at ");
			log_hex(RPMSG_ECHO_ADDR);
			log_line("");
		}
		rpmsg_serve();
		if (host_requests(ipcc_wait()))
			return;
		if (!driver_ok()) {
			log_line("rpmsg: virtio device reset");
			return;
		}
	}
}

int main(void)
{
	REG(RCC_MC_AHB3ENSETR) = RCC_MC_AHB3ENR_IPCCEN;
	REG(RCC_MC_APB1ENSETR) = RCC_MC_APB1ENR_USART3EN;
	log_init();
	log_line(BOARD_NAME ": " RPMSG_SERVICES " echo firmware");
	ipcc_init();
	for (;;) {
		log_line("rpmsg: waiting for virtio DRIVER_OK");
		while (!driver_ok())
			host_requests(ipcc_wait());
		if (rpmsg_start()) {
			log_line("rpmsg: the host left a vring unusable");
			while (driver_ok())
				if (host_requests(ipcc_wait()))
					break;
			continue;
		}
		log_line("rpmsg: virtio device ready");
		serve();
	}
}
