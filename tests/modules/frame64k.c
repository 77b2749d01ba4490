/* SPDX-License-Identifier: MIT */
/* A test module whose init needs a 64 KiB stack frame (bigframe.h). */
#define FRAME_KIB	64
#define MODNAME		"frame64k"
#include "bigframe.h"
