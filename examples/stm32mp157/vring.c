#include <stddef.h>
#include "vring.h"
#include "board.h"
#include "stm32mp157.h"

/* Rings and buffers must lie in the MCU SRAM the host shares with the M4 (da = pa there). */
#define SHARED_START 0x10000000u
#define SHARED_END 0x10060000u
#define MAX_NUM 1024

static int shared(uint32_t da, uint32_t len)
{
	return da >= SHARED_START && da < SHARED_END && len <= SHARED_END - da;
}

int vring_init(struct vring *vr, uint32_t da, uint32_t num, uint32_t align)
{
	uint32_t avail = da + 16 * num;
	uint32_t used = (avail + 4 + 2 * num + 2 + align - 1) & ~(align - 1);

	if (!num || num > MAX_NUM || (num & (num - 1)) || !align || (align & (align - 1)) || (da & 3))
		return -1;
	if (!shared(da, used + 4 + 8 * num + 2 - da))
		return -1;
	vr->num = num;
	vr->desc = (volatile struct vring_desc *)da;
	vr->avail = (volatile struct vring_avail *)avail;
	vr->used = (volatile struct vring_used *)used;
	vr->used_idx = vr->used->idx;
	vr->last_avail = vr->used_idx; /* every buffer made available and not used yet is still to take */
	return 0;
}

int vring_peek(struct vring *vr, void **buf, uint32_t *len)
{
	uint16_t head;
	uint32_t addr;

	for (;;) {
		if (vr->avail->idx == vr->last_avail)
			return -1;
		memory_barrier(); /* the ring entry is read after the index that published it */
		head = vr->avail->ring[vr->last_avail & (vr->num - 1)];
		if (head < vr->num)
			break;
		vr->last_avail++; /* no such descriptor, nothing to give back: skipped */
	}
	addr = (uint32_t)vr->desc[head].addr;
	*len = vr->desc[head].len;
	*buf = shared(addr, *len) && !(addr & 3) && vr->desc[head].addr >> 32 == 0 ? (void *)addr : NULL;
	return head;
}

void vring_put_used(struct vring *vr, uint32_t id, uint32_t len)
{
	volatile struct vring_used_elem *e = &vr->used->ring[vr->used_idx & (vr->num - 1)];

	e->id = id;
	e->len = len;
	memory_barrier(); /* the entry is visible before the index that publishes it */
	vr->used->idx = ++vr->used_idx;
}
