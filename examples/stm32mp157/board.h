/*
 * STM32MP157 Cortex-M4, as ST's OpenAMP_TTY_echo example: vrings allocated by the host
 * (FW_RSC_ADDR_ANY, carved from the vdev0vring0/1 reserved memory of the board's device tree),
 * 16-byte ring alignment and 16 buffers per ring.
 */
#define BOARD_NAME "stm32mp157 m4"
#define RPMSG_SERVICES "rpmsg-tty"
#define VRING0_DA FW_RSC_ADDR_ANY
#define VRING1_DA FW_RSC_ADDR_ANY
#define VRING_ALIGN 16
#define VRING_NUM 16
#define VRING0_NOTIFYID 0
#define VRING1_NOTIFYID 1
#define TRACE_NAME "cm4_log"
