/*
 * AMD/Xilinx ZynqMP RPU core 0, as Xilinx's OpenAMP demos: vrings at fixed device addresses in
 * the DDR reserved for the RPU (rpu0vdev0vring0/1), 0x1000 alignment, 256 buffers per ring.
 */
#define BOARD_NAME "zynqmp r5_0"
/* rpmsg-tty first: /dev/ttyRPMSG0 on the host, as on the other boards' examples */
#define RPMSG_SERVICES "rpmsg-tty", "rpmsg-openamp-demo-channel"
#define VRING0_DA 0x3ed40000u
#define VRING1_DA 0x3ed44000u
#define VRING_ALIGN 0x1000
#define VRING_NUM 256
#define VRING0_NOTIFYID 1
#define VRING1_NOTIFYID 2
#define TRACE_NAME "r5_0_trace"
