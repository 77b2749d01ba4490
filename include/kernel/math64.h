/* SPDX-License-Identifier: MIT */
/*
 * 64-bit division for a 32-bit kernel without libgcc: clang lowers u64 '/'
 * and '%' to calls to __udivdi3/__umoddi3, which this kernel does not have,
 * so code divides 64-bit values through div_u64_rem instead. Pure C.
 */
#ifndef KERNEL_MATH64_H
#define KERNEL_MATH64_H

#include <stdint.h>

/*
 * div_u64_rem - dividend / divisor, the remainder in *remainder.
 * A divisor below 2^16 goes 16 bits at a time (each step fits 32 bits);
 * a larger one takes the bit-by-bit long division.
 */
static inline uint64_t div_u64_rem(uint64_t dividend, uint32_t divisor,
				   uint32_t *remainder)
{
	uint64_t quot = 0;
	uint32_t rem = 0;
	int shift;

	if (divisor < 0x10000) {
		for (shift = 48; shift >= 0; shift -= 16) {
			uint32_t cur = (rem << 16) | (uint32_t)((dividend >> shift) & 0xffff);

			quot = (quot << 16) | (cur / divisor);
			rem = cur % divisor;
		}
	} else {
		uint64_t r = 0;

		for (shift = 63; shift >= 0; shift--) {
			r = (r << 1) | ((dividend >> shift) & 1);
			quot <<= 1;
			if (r >= divisor) {
				r -= divisor;
				quot |= 1;
			}
		}
		rem = (uint32_t)r;
	}
	*remainder = rem;
	return quot;
}

static inline uint64_t div_u64(uint64_t dividend, uint32_t divisor)
{
	uint32_t rem;

	return div_u64_rem(dividend, divisor, &rem);
}

/* dividend / divisor for a divisor of up to 2^63, bit by bit when it
 * does not fit 32 bits. */
static inline uint64_t div64_u64(uint64_t dividend, uint64_t divisor)
{
	uint64_t quot = 0, r = 0;

	if (!(divisor >> 32))
		return div_u64(dividend, (uint32_t)divisor);
	for (int shift = 63; shift >= 0; shift--) {
		r = (r << 1) | ((dividend >> shift) & 1);
		quot <<= 1;
		if (r >= divisor) {
			r -= divisor;
			quot |= 1;
		}
	}
	return quot;
}

#endif /* KERNEL_MATH64_H */
