/*
 * TI AM64x main R5F cluster 0 core 0, as TI's MCU+ SDK IPC examples: vrings allocated by the host
 * (FW_RSC_ADDR_ANY, from the core's DMA memory pool), 4096-byte alignment, 256 buffers per ring.
 */
#ifndef BOARD_NAME /* the fixtures relink this firmware for the other three cores */
#define BOARD_NAME "am64x r5f0_0"
#endif
/* rpmsg-tty first: /dev/ttyRPMSG0 on the host, as on the other boards' examples */
#define RPMSG_SERVICES "rpmsg-tty", "rpmsg-client-sample"
#define VRING0_DA FW_RSC_ADDR_ANY
#define VRING1_DA FW_RSC_ADDR_ANY
#define VRING_ALIGN 4096
#define VRING_NUM 256
#define VRING0_NOTIFYID 1
#define VRING1_NOTIFYID 2
#define TRACE_NAME "trace:r5fss0_0"
