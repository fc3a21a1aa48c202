/*
 * The resource table the host's remoteproc reads from the ".resource_table" section before boot:
 * one rpmsg virtio device (name service announced) with two vrings, and the trace buffer.
 * Vring addresses, alignment and size follow the board vendor's convention (board.h).
 */
#include <stdint.h>
#include "rsc_table.h"
#include "board.h"

#ifndef TRACE_DA
#define TRACE_DA ((uint32_t)trace_buf) /* 32-bit cores: the buffer's own link address */
#endif

#define TABLE struct remote_resource_table

__attribute__((section(".resource_table"), used, aligned(4))) TABLE resource_table = {
	.hdr = { .ver = 1, .num = 2 },
	.offset = { RSC_OFFSET(TABLE, vdev), RSC_OFFSET(TABLE, trace) },
	.vdev = {
		.type = RSC_VDEV,
		.id = VIRTIO_ID_RPMSG,
		.notifyid = 0,
		.dfeatures = 1u << VIRTIO_RPMSG_F_NS,
		.config_len = VDEV_CONFIG_LEN,
		.num_of_vrings = 2,
	},
	.vring = {
		{ .da = VRING0_DA, .align = VRING_ALIGN, .num = VRING_NUM, .notifyid = VRING0_NOTIFYID },
		{ .da = VRING1_DA, .align = VRING_ALIGN, .num = VRING_NUM, .notifyid = VRING1_NOTIFYID },
	},
	.trace = {
		.type = RSC_TRACE,
		.da = TRACE_DA,
		.len = TRACE_BUF_LEN,
		.name = TRACE_NAME,
	},
};

volatile uint8_t *const rsc_vdev_status = &resource_table.vdev.status;
