; SPDX-License-Identifier: MIT
; The AP trampoline (kernel/trampoline.asm, a flat binary) as read-only
; data in the kernel; kernel/smpboot.c copies it below 1 MiB.
section .rodata align=16
global trampoline_blob, trampoline_blob_end
trampoline_blob:
	incbin TRAMPOLINE_BIN
trampoline_blob_end:
