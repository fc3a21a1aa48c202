#include <stddef.h>
#include "rpmsg.h"
#include "vring.h"
#include "ipcc.h"
#include "rsc_table.h"
#include "board.h"

struct rpmsg_hdr {
	uint32_t src;
	uint32_t dst;
	uint32_t reserved;
	uint16_t len;
	uint16_t flags;
} __attribute__((packed, aligned(4)));

#define RPMSG_NAME_SIZE 32
#define RPMSG_NS_CREATE 0

struct rpmsg_ns_msg {
	char name[RPMSG_NAME_SIZE];
	uint32_t addr;
	uint32_t flags;
} __attribute__((packed, aligned(4)));

extern struct remote_resource_table resource_table;

static struct vring to_host; /* vring0: the host's rx buffers, filled by the M4 */
static struct vring from_host; /* vring1: the host's messages, given back when read */
/* The host's kicks on vring0 (buffers given back) matter only while the M4 waits for one. */
static int to_host_starved;

int rpmsg_start(void)
{
	volatile struct fw_rsc_vdev_vring *v = resource_table.vring;

	if (v[0].da == FW_RSC_ADDR_ANY || v[1].da == FW_RSC_ADDR_ANY)
		return -1;
	if (vring_init(&to_host, v[0].da, v[0].num, v[0].align) || vring_init(&from_host, v[1].da, v[1].num, v[1].align))
		return -1;
	to_host_starved = 0;
	vring_want_kicks(&to_host, 0);
	return 0;
}

/* Payload bytes copied: `len` rounded up to whole four-word blocks. */
#define PADDED(len) (((len) + 15) & ~15u)

/* Copies the payload four words at a time; rpmsg buffers are word aligned. */
static void copy_payload(uint32_t *to, const uint32_t *from, uint32_t len)
{
	uint32_t n = PADDED(len) / 16;

	while (n--) {
		uint32_t a = from[0], b = from[1], c = from[2], d = from[3];

		to[0] = a;
		to[1] = b;
		to[2] = c;
		to[3] = d;
		to += 4;
		from += 4;
	}
}

/* An empty host rx buffer with room for `len` payload bytes, its header filled; NULL if none. */
static struct rpmsg_hdr *tx_buffer(int *id, uint32_t src, uint32_t dst, uint32_t len)
{
	void *buf;
	uint32_t size;
	struct rpmsg_hdr *hdr;

	for (;;) {
		*id = vring_peek(&to_host, &buf, &size);
		if (*id < 0) {
			if (!to_host_starved) {
				/* Ask for a kick when the host gives buffers back, then look once more: it may
				 * have given some back before it could see the request. */
				to_host_starved = 1;
				vring_want_kicks(&to_host, 1);
				vring_barrier();
				continue;
			}
			return NULL;
		}
		if (to_host_starved) {
			to_host_starved = 0;
			vring_want_kicks(&to_host, 0);
		}
		vring_take(&to_host);
		if (buf && size >= sizeof(*hdr) + PADDED(len))
			break;
		vring_put_used(&to_host, *id, 0); /* unusable: given back empty */
	}
	hdr = buf;
	hdr->src = src;
	hdr->dst = dst;
	hdr->reserved = 0;
	hdr->len = len;
	hdr->flags = 0;
	return hdr;
}

int rpmsg_announce(const char *name)
{
	int id;
	struct rpmsg_hdr *hdr = tx_buffer(&id, RPMSG_ECHO_ADDR, RPMSG_NS_ADDR, sizeof(struct rpmsg_ns_msg));
	struct rpmsg_ns_msg *ns;
	unsigned i;

	if (!hdr)
		return -1;
	ns = (struct rpmsg_ns_msg *)(hdr + 1);
	for (i = 0; i < RPMSG_NAME_SIZE; i++) /* NUL padded, as strncpy would */
		ns->name[i] = *name ? *name++ : 0;
	ns->addr = RPMSG_ECHO_ADDR;
	ns->flags = RPMSG_NS_CREATE;
	vring_put_used(&to_host, id, sizeof(*hdr) + sizeof(*ns));
	ipcc_notify(IPCC_CH_VQ0);
	return 0;
}

void rpmsg_serve(void)
{
	int in_id, out_id;
	void *buf;
	uint32_t size;
	int sent = 0, read = 0;

	while ((in_id = vring_peek(&from_host, &buf, &size)) >= 0) {
		const struct rpmsg_hdr *in = buf;
		struct rpmsg_hdr *out;
		uint32_t len = in ? in->len : 0;

		/* The host's buffer is `size` bytes (header and message); the padded copy may read past
		 * it, still inside shared memory. */
		if (in && in->dst == RPMSG_ECHO_ADDR && size >= sizeof(*in) && len <= size - sizeof(*in) &&
		    vring_shared((uint32_t)in, sizeof(*in) + PADDED(len))) {
			out = tx_buffer(&out_id, RPMSG_ECHO_ADDR, in->src, len);
			if (!out)
				break; /* every host rx buffer is full: the message waits for the next vq0 kick */
			copy_payload((uint32_t *)(out + 1), (const uint32_t *)(in + 1), len);
			vring_put_used(&to_host, out_id, sizeof(*out) + len);
			sent = 1;
		}
		vring_take(&from_host);
		vring_put_used(&from_host, in_id, size);
		read = 1;
	}
	if (sent && vring_host_wants_interrupt(&to_host))
		ipcc_notify(IPCC_CH_VQ0);
	if (read && vring_host_wants_interrupt(&from_host))
		ipcc_notify(IPCC_CH_VQ1);
}
