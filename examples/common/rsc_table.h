/*
 * Resource table layout a remoteproc host reads from the ".resource_table" section
 * (Linux include/linux/remoteproc.h, OpenAMP lib/include/openamp/remoteproc.h).
 * All fields are little or big endian as the firmware is; everything is packed.
 */
#ifndef AMPW_RSC_TABLE_H
#define AMPW_RSC_TABLE_H

#include <stdint.h>

#define RSC_CARVEOUT 0
#define RSC_DEVMEM 1
#define RSC_TRACE 2
#define RSC_VDEV 3
#define RSC_VENDOR_START 128

#define FW_RSC_ADDR_ANY 0xFFFFFFFFu
#define VIRTIO_ID_RPMSG 7
#define VIRTIO_RPMSG_F_NS 0 /* feature bit: the remote announces its services */

#define PACKED __attribute__((packed))

struct resource_table_hdr {
	uint32_t ver;
	uint32_t num;
	uint32_t reserved[2];
} PACKED;

struct fw_rsc_carveout {
	uint32_t type;
	uint32_t da;
	uint32_t pa;
	uint32_t len;
	uint32_t flags;
	uint32_t reserved;
	char name[32];
} PACKED;

struct fw_rsc_trace {
	uint32_t type;
	uint32_t da;
	uint32_t len;
	uint32_t reserved;
	char name[32];
} PACKED;

struct fw_rsc_vdev_vring {
	uint32_t da;
	uint32_t align;
	uint32_t num;
	uint32_t notifyid;
	uint32_t pa;
} PACKED;

struct fw_rsc_vdev {
	uint32_t type;
	uint32_t id;
	uint32_t notifyid;
	uint32_t dfeatures;
	uint32_t gfeatures;
	uint32_t config_len;
	uint8_t status;
	uint8_t num_of_vrings;
	uint8_t reserved[2];
} PACKED;

/*
 * The table the examples ship, in the order OpenAMP's demos use: one rpmsg vdev with two vrings,
 * then the trace buffer. VDEV_CONFIG_LEN config bytes follow the vrings (0 in vendor firmware).
 */
#ifndef VDEV_CONFIG_LEN
#define VDEV_CONFIG_LEN 0
#endif

struct remote_resource_table {
	struct resource_table_hdr hdr;
	uint32_t offset[2];
	struct fw_rsc_vdev vdev;
	struct fw_rsc_vdev_vring vring[2];
	uint8_t config[VDEV_CONFIG_LEN];
	struct fw_rsc_trace trace;
} PACKED;

#define RSC_OFFSET(type, member) ((uint32_t)__builtin_offsetof(type, member))

/* Where the firmware sees the host's virtio status byte (DRIVER_OK = 4 once the host is ready). */
extern volatile uint8_t *const rsc_vdev_status;

#define VIRTIO_CONFIG_S_DRIVER_OK 4

/* The trace buffer the host shows as debugfs trace0; the table's trace entry points at it. */
#define TRACE_BUF_LEN 2048
extern char trace_buf[TRACE_BUF_LEN];

#endif
