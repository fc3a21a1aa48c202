/*
 * The device side of a split virtqueue (include/uapi/linux/virtio_ring.h): the M4 takes the
 * buffers the host makes available and returns them on the used ring. Both of the rpmsg vdev's
 * rings are used this way: vring0 holds the host's empty rx buffers, vring1 its messages.
 */
#ifndef VRING_H
#define VRING_H

#include <stdint.h>

struct vring_desc {
	uint32_t addr; /* the 64-bit address, little endian: the M4 needs its low word... */
	uint32_t addr_high; /* ...and a high word of 0 */
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
#define VRING_USED_F_NO_NOTIFY 1

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

/* Orders ring accesses between the M4 and the host (and keeps the compiler from moving them). */
static inline void vring_barrier(void)
{
	__asm__ volatile("dmb" ::: "memory");
}

/* Rings and buffers must lie in the MCU SRAM the host shares with the M4 (da = pa there). */
#define VRING_SHARED_START 0x10000000u
#define VRING_SHARED_SIZE 0x60000u

static inline int vring_shared(uint32_t da, uint32_t len)
{
	return da - VRING_SHARED_START < VRING_SHARED_SIZE && len <= VRING_SHARED_SIZE - (da - VRING_SHARED_START);
}

/*
 * The next available buffer, not yet taken: its descriptor index, and its address and length in
 * *buf and *len; -1 when the host has made nothing (more) available. A buffer outside shared
 * memory or not word aligned comes with *buf NULL, to be given back unread. Inline: it is on the
 * path of every message.
 */
static inline int vring_peek(struct vring *vr, void **buf, uint32_t *len)
{
	volatile struct vring_desc *d;
	uint32_t head, addr;

	for (;;) {
		if (vr->avail->idx == vr->last_avail)
			return -1;
		vring_barrier(); /* the entry is read after the index that published it */
		head = vr->avail->ring[vr->last_avail & (vr->num - 1)];
		if (head < vr->num)
			break;
		vr->last_avail++; /* no such descriptor, nothing to give back: skipped */
	}
	d = &vr->desc[head];
	addr = d->addr;
	*len = d->len;
	*buf = d->addr_high == 0 && !(addr & 3) && vring_shared(addr, *len) ? (void *)addr : 0;
	return head;
}

static inline void vring_take(struct vring *vr)
{
	vr->last_avail++;
}

/* Returns buffer `id` to the host with `len` bytes written, and publishes it. */
static inline void vring_put_used(struct vring *vr, uint32_t id, uint32_t len)
{
	volatile struct vring_used_elem *e = &vr->used->ring[vr->used_idx & (vr->num - 1)];

	e->id = id;
	e->len = len;
	vring_barrier(); /* the entry is visible before the index that publishes it */
	vr->used->idx = ++vr->used_idx;
}

/* Whether the host kicks when it makes buffers available (VRING_USED_F_NO_NOTIFY clear). */
static inline void vring_want_kicks(struct vring *vr, int want)
{
	vr->used->flags = want ? 0 : VRING_USED_F_NO_NOTIFY;
}

/* Whether the host wants to be told of used buffers (it did not set VRING_AVAIL_F_NO_INTERRUPT). */
static inline int vring_host_wants_interrupt(const struct vring *vr)
{
	return !(vr->avail->flags & VRING_AVAIL_F_NO_INTERRUPT);
}

#endif
