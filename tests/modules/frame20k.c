/* SPDX-License-Identifier: MIT */
/* A test module whose init needs a 20 KiB stack frame (bigframe.h). */
#define FRAME_KIB	20
#define MODNAME		"frame20k"
#include "bigframe.h"
