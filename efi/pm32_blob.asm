; SPDX-License-Identifier: MIT
; Wraps the flat pm32 binary (pm32/pm32.asm, assembled for this firmware's
; mode) as data the loader links in; PM32_BIN names the file.
section .rodata align=16
global pm32_blob:data hidden
global pm32_blob_end:data hidden
pm32_blob:
	incbin PM32_BIN
pm32_blob_end:

section .note.GNU-stack noalloc noexec nowrite progbits
