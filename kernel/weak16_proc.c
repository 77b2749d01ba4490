/* SPDX-License-Identifier: MIT */
/*
 * Issue 16 scaffolding, deleted before the issue closes: weak stand-ins
 * for functions of other streams that this stream (proc) calls before
 * they land. A real definition elsewhere replaces each one at link time.
 */
#include "kernel/kernel.h"
