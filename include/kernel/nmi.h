/* SPDX-License-Identifier: MIT */
/*
 * Waiting for a non-maskable interrupt from outside: the harness's way to
 * resume a kernel it paused (QEMU monitor "nmi").
 */
#ifndef KERNEL_NMI_H
#define KERNEL_NMI_H

/* Print "WHY: paused for the host; an NMI resumes" and halt until an NMI
 * arrives, interrupts disabled meanwhile. The wait is armed before the line
 * goes out, so an NMI sent as soon as the host reads it is not lost. */
void wait_for_nmi(const char *why);

#endif /* KERNEL_NMI_H */
