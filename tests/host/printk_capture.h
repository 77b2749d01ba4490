/* SPDX-License-Identifier: MIT */
/* The host tests' printk (tests/host/printk_capture.c): the log since the
 * last sim_log_clear(), to check what the code under test reported. */
#ifndef TESTS_HOST_PRINTK_CAPTURE_H
#define TESTS_HOST_PRINTK_CAPTURE_H

#include <stdbool.h>

void sim_log_clear(void);
const char *sim_log(void);
bool sim_log_has(const char *needle);

#endif /* TESTS_HOST_PRINTK_CAPTURE_H */
