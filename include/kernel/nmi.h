/*
 * Waiting for a non-maskable interrupt from outside: the harness's way to
 * resume a kernel it paused (QEMU monitor "nmi").
 */
#ifndef KERNEL_NMI_H
#define KERNEL_NMI_H

/* Halt until an NMI arrives; interrupts stay disabled meanwhile. */
void wait_for_nmi(void);

#endif /* KERNEL_NMI_H */
