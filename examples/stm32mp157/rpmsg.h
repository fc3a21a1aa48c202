/*
 * rpmsg over the vdev of the resource table, on the remote side (the wire format of Linux's
 * drivers/rpmsg/virtio_rpmsg_bus.c): one endpoint that echoes every message to its sender.
 */
#ifndef RPMSG_H
#define RPMSG_H

#include <stdint.h>

#define RPMSG_NS_ADDR 53
#define RPMSG_ECHO_ADDR 0x400 /* the first dynamic address */

/* Sets up both rings where the host put them (the vring da it wrote into the table); 0 or -1. */
int rpmsg_start(void);
/* Announces `name` at RPMSG_ECHO_ADDR to the host's name service; -1 while no buffer is free. */
int rpmsg_announce(const char *name);
/* Echoes every message the host has queued, as far as the host's rx buffers allow. */
void rpmsg_serve(void);

#endif
