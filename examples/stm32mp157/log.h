/*
 * What the firmware says about itself: each line goes to the console (USART3) and to the trace
 * buffer the resource table declares (the host's debugfs trace0).
 */
#ifndef LOG_H
#define LOG_H

#include <stdint.h>

void log_init(void);
void log_str(const char *s);
void log_hex(uint32_t v);
void log_line(const char *s);

#endif
