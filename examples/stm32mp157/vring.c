#include "vring.h"

#define MAX_NUM 1024

/*
 * The layout of vring_init(), with offsets from the ring's start as the host computes them: any
 * non-zero align works as a mask.
 */
int vring_init(struct vring *vr, uint32_t da, uint32_t num, uint32_t align)
{
	uint32_t avail = da + 16 * num;
	uint32_t used = da + ((16 * num + 4 + 2 * num + 2 + align - 1) & ~(align - 1));

	if (!num || num > MAX_NUM || (num & (num - 1)) || !align || (da & 3))
		return -1;
	if (!vring_shared(da, used + 4 + 8 * num + 2 - da))
		return -1;
	vr->num = num;
	vr->desc = (volatile struct vring_desc *)da;
	vr->avail = (volatile struct vring_avail *)avail;
	vr->used = (volatile struct vring_used *)used;
	vr->used_idx = vr->used->idx;
	vr->last_avail = vr->used_idx; /* every buffer made available and not used yet is still to take */
	return 0;
}
