/*
 * The device side of a split virtqueue (include/uapi/linux/virtio_ring.h): the M4 takes the
 * buffers the host makes available and returns them on the used ring. Both of the rpmsg vdev's
 * rings are used this way: vring0 holds the host's empty rx buffers, vring1 its messages.
 */
#ifndef VRING_H
#define VRING_H

#include <stdint.h>

struct vring_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vring_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];
};

struct vring_used_elem {
	uint32_t id;
	uint32_t len;
};

struct vring_used {
	uint16_t flags;
	uint16_t idx;
	struct vring_used_elem ring[];
};

#define VRING_AVAIL_F_NO_INTERRUPT 1

struct vring {
	uint32_t num;
	volatile struct vring_desc *desc;
	volatile struct vring_avail *avail;
	volatile struct vring_used *used;
	uint16_t last_avail; /* the next avail entry to take */
	uint16_t used_idx; /* the used index the M4 published last */
};

/* Lays out a ring at da as vring_init() does; 0, or -1 for a ring this firmware cannot use. */
int vring_init(struct vring *vr, uint32_t da, uint32_t num, uint32_t align);

/*
 * The next available buffer, not yet taken: its descriptor index, and its address and length in
 * *buf and *len; -1 when the host has made nothing (more) available. A buffer outside shared
 * memory is returned with *buf NULL, to be given back unread.
 */
int vring_peek(struct vring *vr, void **buf, uint32_t *len);

static inline void vring_take(struct vring *vr)
{
	vr->last_avail++;
}

/* Returns buffer `id` to the host with `len` bytes written, and publishes it. */
void vring_put_used(struct vring *vr, uint32_t id, uint32_t len);

/* Whether the host wants to be told of used buffers (it did not set VRING_AVAIL_F_NO_INTERRUPT). */
static inline int vring_host_wants_interrupt(const struct vring *vr)
{
	return !(vr->avail->flags & VRING_AVAIL_F_NO_INTERRUPT);
}

#endif
