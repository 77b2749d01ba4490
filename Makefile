# SPDX-License-Identifier: MIT
# The compile graph. ./build.sh drives it; `make -j2` alone works once the
# packages are installed. Everything lands under build/.

B        := build
# `make V=1` shows the commands; by default one line per step.
ifeq ($(V),1)
Q :=
quiet = @true
else
Q := @
quiet = @printf '  %-8s %s\n'
endif
CC       := clang
LD       := ld.lld
NASM     := nasm
OBJDUMP  := objdump
NM       := nm
GIT_DESC := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

# ---------------------------------------------------------------- kernel
KERNEL_OBJS := \
	kernel/head.o \
	kernel/entry.o \
	kernel/main.o \
	kernel/cpu.o \
	kernel/gdt.o \
	kernel/traps.o \
	kernel/extable.o \
	kernel/printk.o \
	kernel/panic.o \
	kernel/params.o \
	kernel/ktest.o \
	monitor/monitor.o \
	monitor/mm.o \
	monitor/memory.o \
	monitor/highmem.o \
	monitor/sys.o \
	kernel/tty.o \
	monitor/power.o \
	kernel/bootinfo.o \
	kernel/bench.o \
	kernel/bench_smp.o \
	kernel/bench_console.o \
	kernel/test_vmalloc.o \
	kernel/lazyflush.o \
	kernel/module.o \
	kernel/module_elf.o \
	kernel/irq.o \
	kernel/smpboot.o \
	kernel/trampoline_blob.o \
	mm/tlb.o \
	mm/pgtrace.o \
	drivers/firmware/qemu_fw_cfg.o \
	kernel/time.o \
	kernel/sched.o \
	mm/mmap.o \
	mm/mm_struct.o \
	mm/memory.o \
	kernel/syscall_32.o \
	kernel/process.o \
	kernel/uaccess.o \
	kernel/usercopy.o \
	kernel/tls.o \
	kernel/sys.o \
	kernel/fork.o \
	kernel/exit.o \
	kernel/signal.o \
	kernel/exec.o \
	kernel/binfmt_elf.o \
	monitor/proc.o \
	tests/kernel/test_process.o \
	tests/kernel/proc_blobs.o \
	fs/initramfs.o \
	fs/ramfs.o \
	fs/file.o \
	fs/open.o \
	fs/read_write.o \
	fs/stat.o \
	fs/readdir.o \
	fs/ioctl.o \
	fs/fcntl.o \
	fs/tty_file.o \
	fs/proc.o \
	kernel/wait.o \
	drivers/apic/apic.o \
	drivers/apic/i8259.o \
	drivers/apic/io_apic.o \
	drivers/timer/pit.o \
	drivers/timer/hpet.o \
	drivers/timer/acpi_pm.o \
	drivers/timer/rtc.o \
	kernel/acpi.o \
	kernel/acpi_tables.o \
	kernel/acpi_aml.o \
	kernel/reboot.o \
	drivers/pci/early.o \
	lib/string.o \
	lib/vsprintf.o \
	lib/cmdline.o \
	lib/line_edit.o \
	mm/bootmem.o \
	mm/init.o \
	mm/pgtable.o \
	mm/fixmap.o \
	mm/highmem.o \
	mm/vmalloc.o \
	mm/vmap_tree.o \
	drivers/uart/uart16550.o \
	drivers/input/i8042.o \
	drivers/input/keymap.o \
	drivers/debugcon.o \
	drivers/video/fbcon.o \
	drivers/video/efifb.o \
	gen/fonts.o \
	mm/page_alloc.o \
	mm/slab.o \
	tests/kernel/test_traps.o \
	tests/kernel/test_lib.o \
	tests/kernel/test_boot.o \
	tests/kernel/test_page_alloc.o \
	tests/kernel/test_slab.o \
	tests/kernel/test_highmem.o \
	tests/kernel/test_vmalloc.o \
	tests/kernel/test_vmalloc_scenarios.o \
	tests/kernel/test_pgtable.o \
	tests/kernel/test_module.o \
	tests/kernel/test_mm_init.o \
	tests/kernel/test_apic.o \
	tests/kernel/test_sched.o \
	tests/kernel/test_oops.o \
	tests/kernel/test_lazyflush.o \
	tests/kernel/test_acpi.o \
	tests/kernel/test_monitor.o \
	tests/kernel/test_monitor_mm.o \
	tests/kernel/test_monitor_sys.o \
	tests/kernel/test_input.o \
	tests/kernel/test_power.o \
	tests/kernel/test_fbcon.o \
	tests/kernel/test_mmap.o \
	tests/kernel/test_fs.o \
	tests/kernel/test_syscall.o \
	tests/kernel/user_blob.o

KERNEL_CFLAGS := --target=i686-unknown-none-elf -march=i686 -m32 \
	-std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdlib \
	-fno-pic -fno-pie -fno-stack-protector -fno-omit-frame-pointer \
	-fno-strict-aliasing -mno-sse -mno-sse2 -mno-mmx -mno-80387 \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-Iinclude -I$(B)/include -DKERNEL_VERSION_STRING='"$(GIT_DESC)"' -D__KERNEL__
KERNEL_NASMFLAGS := -f elf32 -g -F dwarf -Iinclude/ -I$(B)/include/ -Werror

KOBJS := $(addprefix $(B)/,$(KERNEL_OBJS))

kernel: $(B)/kernel.elf $(B)/kernel.sym $(B)/kernel.asm

# The link keeps its relocations (--emit-relocs) for tools/relocs, whose
# table (include/boot/relocs.h) replaces them in kernel.elf: the loader
# moves the kernel where 16 MiB is not free (docs/boot-protocol.md).
$(B)/kernel.linked.elf: $(KOBJS) kernel/kernel.ld Makefile
	$(quiet) LD $@
	$(Q)$(LD) -m elf_i386 -T kernel/kernel.ld -nostdlib --no-undefined --emit-relocs \
		-Map=$(B)/kernel.map -o $@ $(KOBJS)

$(B)/kernel.relocs: $(B)/kernel.linked.elf $(B)/tools/relocs
	$(quiet) RELOCS $@
	$(Q)$(B)/tools/relocs $< $@ >/dev/null

$(B)/kernel.elf: $(B)/kernel.linked.elf $(B)/kernel.relocs
	$(quiet) OBJCOPY $@
	$(Q)objcopy --remove-section='.rel.*' \
		--add-section $(RELOCS_SECTION)=$(B)/kernel.relocs $< $@

RELOCS_SECTION := .pae32.relocs
$(B)/tools/relocs: tools/relocs.c efi/relocs.c efi/elf_kernel.c efi/memmap.c lib/vsprintf.c \
		include/boot/relocs.h include/boot/elf_kernel.h include/boot/elf.h \
		include/boot/bootinfo.h
	@mkdir -p $(dir $@)
	$(quiet) HOSTCC $@
	$(Q)$(HOST_CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude -DHOST_TEST \
		-o $@ $(filter %.c,$^)

$(B)/kernel.sym: $(B)/kernel.elf
	$(quiet) NM $@
	$(Q)$(NM) -n $< > $@

$(B)/kernel.asm: $(B)/kernel.elf
	$(quiet) OBJDUMP $@
	$(Q)$(OBJDUMP) -d -S --no-show-raw-insn $< > $@

$(B)/%.o: %.c $(B)/include/asm-offsets.inc
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@

$(B)/%.o: %.asm $(B)/include/asm-offsets.inc
	@mkdir -p $(dir $@)
	$(quiet) NASM $@
	$(Q)$(NASM) $(KERNEL_NASMFLAGS) -MD $(B)/$*.d -o $@ $<

# The AP trampoline: a flat binary, wrapped as data (kernel/smpboot.c).
$(B)/kernel/trampoline.bin: kernel/trampoline.asm $(B)/include/asm-offsets.inc
	@mkdir -p $(dir $@)
	$(quiet) NASM $@
	$(Q)$(NASM) -f bin -I$(B)/include/ -Werror -l $(B)/kernel/trampoline.lst -o $@ $<

$(B)/kernel/trampoline_blob.o: kernel/trampoline_blob.asm $(B)/kernel/trampoline.bin
	@mkdir -p $(dir $@)
	$(quiet) NASM $@
	$(Q)$(NASM) -f elf32 -DTRAMPOLINE_BIN='"$(B)/kernel/trampoline.bin"' -o $@ $<

# The console fonts (Debian's console-setup-linux) as C tables, by
# tools/psf2c.py: include/video/font.h.
CONSOLEFONTS := /usr/share/consolefonts
FONTS := font_vga_8x16=$(CONSOLEFONTS)/Lat15-VGA16.psf.gz \
	font_ter_16x32=$(CONSOLEFONTS)/Lat15-Terminus32x16.psf.gz

$(B)/gen/fonts.c: tools/psf2c.py $(foreach f,$(FONTS),$(lastword $(subst =, ,$(f))))
	@mkdir -p $(dir $@)
	$(quiet) PSF2C $@
	$(Q)python3 tools/psf2c.py $@ $(FONTS)

$(B)/gen/fonts.o: $(B)/gen/fonts.c include/video/font.h
	$(quiet) CC $@
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

# asm-offsets: constants shared by C and NASM, from one source.
$(B)/include/asm-offsets.inc: tools/asm-offsets.c tools/asm-offsets.sh \
		include/boot/bootinfo.h include/boot/pm32.h include/asm/page.h \
		include/asm/segment.h include/asm/processor-flags.h include/asm/ptrace.h \
		include/asm/smp.h drivers/uart/uart16550.h
	@mkdir -p $(dir $@)
	$(quiet) GEN $@
	$(Q)$(CC) --target=i686-unknown-none-elf -m32 -ffreestanding -Iinclude \
		-S -o $(B)/asm-offsets.s $<
	$(Q)sh tools/asm-offsets.sh $(B)/asm-offsets.s $@

# ---------------------------------------------------------------- modules
# Each modules/NAME.c is one module: compiled, never linked, the ET_REL
# object kept as build/modules/NAME.ko (include/kernel/module_elf.h lists
# what the loader accepts: -fno-pic, -fno-common, no -g).
MODULE_SRCS := $(wildcard modules/*.c)
MODULE_KOS  := $(patsubst modules/%.c,$(B)/modules/%.ko,$(MODULE_SRCS))
MODULE_CFLAGS := --target=i686-unknown-none-elf -march=i686 -m32 \
	-std=gnu11 -O2 -ffreestanding -fno-builtin -nostdlib \
	-fno-pic -fno-pie -fno-common -fno-stack-protector \
	-fno-omit-frame-pointer -fno-strict-aliasing -fno-asynchronous-unwind-tables \
	-mno-sse -mno-sse2 -mno-mmx -mno-80387 \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-Iinclude -I$(B)/include -DMODULE

modules: $(MODULE_KOS)

$(B)/modules/%.ko: modules/%.c $(B)/include/asm-offsets.inc
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(MODULE_CFLAGS) -MMD -MP -MF $(B)/modules/$*.d -c $< -o $@

# The hostile test modules (tests/modules/*.c: a fault, a stack overflow, an
# init that never returns ... in init_module) are built the same way into
# build/testmods/, which the normal image does not carry: the boots of
# tests/matrix.py's HOSTILE_BOOTS put them on a copy of the stick.
TESTMOD_SRCS := $(wildcard tests/modules/*.c)
TESTMOD_KOS  := $(patsubst tests/modules/%.c,$(B)/testmods/%.ko,$(TESTMOD_SRCS))

testmods: $(TESTMOD_KOS)

$(B)/testmods/%.ko: tests/modules/%.c $(B)/include/asm-offsets.inc
	@mkdir -p $(dir $@)
	$(quiet) CC $@
	$(Q)$(CC) $(MODULE_CFLAGS) -MMD -MP -MF $(B)/testmods/$*.d -c $< -o $@

# ---------------------------------------------------------------- pm32
$(B)/pm32/pm32-x64.bin: pm32/pm32.asm $(B)/include/asm-offsets.inc
	@mkdir -p $(dir $@)
	$(quiet) NASM $@
	$(Q)$(NASM) -f bin -DFROM_X64 -I$(B)/include/ -Werror -l $(B)/pm32/pm32-x64.lst -o $@ $<

$(B)/pm32/pm32-ia32.bin: pm32/pm32.asm $(B)/include/asm-offsets.inc
	@mkdir -p $(dir $@)
	$(quiet) NASM $@
	$(Q)$(NASM) -f bin -DFROM_IA32 -I$(B)/include/ -Werror -l $(B)/pm32/pm32-ia32.lst -o $@ $<

# ---------------------------------------------------------------- efi
# One source, two firmware ABIs (GNU-EFI; docs/emulators.md).
EFI_SRCS := efi/loader.c efi/files.c efi/place.c efi/bootinfo.c \
	efi/efi_console.c efi/memmap.c efi/elf_kernel.c efi/relocs.c efi/checks.c
# -g: for gdb, from build/efi/*/loader.so; the objcopy to .EFI drops it.
EFI_CFLAGS_COMMON := -std=gnu11 -O2 -g -ffreestanding -fno-stack-protector \
	-fshort-wchar -fno-strict-aliasing -fno-builtin -mno-sse -mno-mmx \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wno-pointer-sign \
	-I/usr/include/efi -Iinclude -I$(B)/include
EFI_CFLAGS_x64  := --target=x86_64-linux-gnu -fpic -mno-red-zone \
	-I/usr/include/efi/x86_64 -DGNU_EFI_USE_MS_ABI -DEFI_FUNCTION_WRAPPER
EFI_CFLAGS_ia32 := --target=i686-linux-gnu -m32 -fpic -I/usr/include/efi/ia32
EFI_LIBDIR_x64  := /usr/lib
EFI_LIBDIR_ia32 := /usr/lib32
EFI_LDEMU_x64   := elf_x86_64
EFI_LDEMU_ia32  := elf_i386
EFI_NASMFMT_x64 := elf64
EFI_NASMFMT_ia32:= elf32
EFI_TARGET_x64  := efi-app-x86_64
EFI_TARGET_ia32 := efi-app-ia32
EFI_CRT_x64     := crt0-efi-x86_64.o
EFI_CRT_ia32    := crt0-efi-ia32.o
EFI_LDS_x64     := elf_x86_64_efi.lds
EFI_LDS_ia32    := elf_ia32_efi.lds
EFI_FILE_x64    := BOOTX64.EFI
EFI_FILE_ia32   := BOOTIA32.EFI

# The objects depend on this Makefile too: their flags live here.
define efi_rules
$(B)/efi/$(1)/%.o: efi/%.c Makefile
	@mkdir -p $$(dir $$@)
	$(quiet) CC $$@
	$(Q)$(CC) $(EFI_CFLAGS_COMMON) $(EFI_CFLAGS_$(1)) -MMD -MP -c $$< -o $$@

# The kernel's pure library code the loader shares: printf, kstrto*.
$(B)/efi/$(1)/lib_%.o: lib/%.c Makefile
	@mkdir -p $$(dir $$@)
	$(quiet) CC $$@
	$(Q)$(CC) $(EFI_CFLAGS_COMMON) $(EFI_CFLAGS_$(1)) -MMD -MP -c $$< -o $$@

$(B)/efi/$(1)/pm32_blob.o: efi/pm32_blob.asm $(B)/pm32/pm32-$(1).bin
	@mkdir -p $$(dir $$@)
	$(quiet) NASM $$@
	$(Q)$(NASM) -f $(EFI_NASMFMT_$(1)) -DPM32_BIN='"$(B)/pm32/pm32-$(1).bin"' -o $$@ $$<

$(B)/efi/$(1)/loader.so: $(patsubst efi/%.c,$(B)/efi/$(1)/%.o,$(EFI_SRCS)) \
		$(B)/efi/$(1)/lib_vsprintf.o $(B)/efi/$(1)/lib_cmdline.o \
		$(B)/efi/$(1)/pm32_blob.o
	$(quiet) LD $$@
	$(Q)ld -m $(EFI_LDEMU_$(1)) -nostdlib -znocombreloc -shared -Bsymbolic --no-undefined \
		-T $(EFI_LIBDIR_$(1))/$(EFI_LDS_$(1)) $(EFI_LIBDIR_$(1))/$(EFI_CRT_$(1)) \
		$$^ -L$(EFI_LIBDIR_$(1)) -lefi -lgnuefi -o $$@

$(B)/$(EFI_FILE_$(1)): $(B)/efi/$(1)/loader.so
	$(quiet) OBJCOPY $$@
	$(Q)objcopy -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
		-j .rela -j .rel.* -j .rela.* -j .reloc \
		--target $(EFI_TARGET_$(1)) --subsystem=10 $$< $$@
endef
$(eval $(call efi_rules,x64))
$(eval $(call efi_rules,ia32))

$(B)/efi/x64/%.o $(B)/efi/ia32/%.o: $(B)/include/asm-offsets.inc

efi: $(B)/BOOTX64.EFI $(B)/BOOTIA32.EFI

# ---------------------------------------------------------------- host tests
HOST_CC     := clang
HOST_CFLAGS := -std=gnu11 -O1 -g -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer \
	-Wall -Wextra -Werror -Iinclude -Itests/host -DHOST_TEST
HOST_TESTS  := test_memmap test_elf_kernel test_loader_checks test_cmdline test_vsprintf \
	test_buddy test_slab test_vmap_tree test_module_elf test_acpi test_keymap \
	test_line_edit \
	test_fbcon test_relocs test_params test_binfmt_elf test_cpio test_fs_calls

$(B)/host/test_memmap: tests/host/test_memmap.c efi/memmap.c
$(B)/host/test_elf_kernel: tests/host/test_elf_kernel.c efi/elf_kernel.c efi/memmap.c \
	lib/vsprintf.c
$(B)/host/test_relocs: tests/host/test_relocs.c efi/relocs.c efi/elf_kernel.c efi/memmap.c \
	lib/vsprintf.c include/boot/relocs.h $(B)/kernel.elf
$(B)/host/test_relocs: HOST_CFLAGS += -DKERNEL_ELF='"$(abspath $(B)/kernel.elf)"'
$(B)/host/test_loader_checks: tests/host/test_loader_checks.c efi/checks.c \
	include/boot/loader_checks.h
$(B)/host/test_cmdline: tests/host/test_cmdline.c lib/cmdline.c
$(B)/host/test_vsprintf: tests/host/test_vsprintf.c lib/vsprintf.c
$(B)/host/test_binfmt_elf: tests/host/test_binfmt_elf.c kernel/binfmt_elf.c lib/vsprintf.c \
	include/kernel/binfmt_elf.h include/boot/elf.h
$(B)/host/test_keymap: tests/host/test_keymap.c drivers/input/keymap.c include/kernel/keyboard.h
$(B)/host/test_line_edit: tests/host/test_line_edit.c lib/line_edit.c include/kernel/line_edit.h
$(B)/host/test_cpio: tests/host/test_cpio.c fs/initramfs.c fs/ramfs.c include/kernel/cpio.h tests/host/cpio_build.h \
	include/kernel/fs.h
$(B)/host/test_fs_calls: tests/host/test_fs_calls.c tests/host/cpio_build.h fs/initramfs.c \
	fs/ramfs.c fs/file.c fs/open.c fs/read_write.c fs/stat.c fs/readdir.c fs/ioctl.c \
	fs/fcntl.c fs/tty_file.c fs/internal.h tests/host/printk_capture.c lib/vsprintf.c include/kernel/fs.h \
	include/kernel/stat.h
# The kernel's flags allow the unused parameters of operation tables.
$(B)/host/test_fs_calls: HOST_CFLAGS += -Wno-unused-parameter
PRINTK_CAPTURE := tests/host/printk_capture.c tests/host/printk_capture.h
# The handlers' section gets the kernel linker script's bounds from a
# script of its own, and no redzones between its entries (an array).
$(B)/host/test_params: tests/host/test_params.c kernel/params.c lib/cmdline.c \
	lib/vsprintf.c $(PRINTK_CAPTURE) include/kernel/params.h tests/host/setup_section.ld
$(B)/host/test_params: HOST_CFLAGS += -Wl,-T,tests/host/setup_section.ld -mllvm -asan-globals=0
MM_SIM      := tests/host/mm_sim.c $(PRINTK_CAPTURE) lib/vsprintf.c tests/host/mm_sim.h \
	include/mm/mm.h include/mm/mmzone.h include/mm/gfp.h include/mm/slab.h
$(B)/host/test_buddy: tests/host/test_buddy.c mm/page_alloc.c $(MM_SIM)
$(B)/host/test_slab: tests/host/test_slab.c mm/slab.c mm/page_alloc.c $(MM_SIM)
$(B)/host/test_vmap_tree: tests/host/test_vmap_tree.c mm/vmap_tree.c include/mm/vmap_tree.h
$(B)/host/test_acpi: tests/host/test_acpi.c kernel/acpi_tables.c kernel/acpi_aml.c \
	lib/vsprintf.c $(PRINTK_CAPTURE) include/kernel/acpi_tables.h include/kernel/acpi.h \
	$(wildcard tests/host/data/acpi/*)
$(B)/host/test_acpi: HOST_CFLAGS += -DACPI_DATA_DIR='"$(abspath tests/host/data/acpi)"'

$(B)/host/test_fbcon: tests/host/test_fbcon.c drivers/video/fbcon.c $(B)/gen/fonts.c \
	include/video/fbcon.h include/video/font.h

# Reads the example modules the build makes (real clang ET_REL objects).
$(B)/host/test_module_elf: tests/host/test_module_elf.c tests/host/badmod.c \
	tests/host/badmod.h kernel/module_elf.c \
	lib/vsprintf.c include/kernel/module_elf.h include/boot/elf.h $(MODULE_KOS)
$(B)/host/test_module_elf: HOST_CFLAGS += -DMODULE_DIR='"$(abspath $(B)/modules)"'

$(B)/host/%: tests/host/hosttest.h
	@mkdir -p $(dir $@)
	$(quiet) HOSTCC $@
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -o $@ $(filter %.c,$^)

# Not a program: include/kernel/stat.h's stat64 and statx compiled for
# i686 against Linux's uapi headers; a field that differs fails the build.
$(B)/host/stat_layout.ok: tests/host/stat_layout.c include/kernel/stat.h include/kernel/kernel.h
	@mkdir -p $(dir $@)
	$(quiet) CHECK $@
	$(Q)$(HOST_CC) --target=i686-linux-gnu -m32 -ffreestanding -fsyntax-only -Wall -Wextra \
		-Werror -Iinclude -I/usr/include -I/usr/include/x86_64-linux-gnu -D__KERNEL__ $<
	$(Q)touch $@

host-tests: $(addprefix $(B)/host/,$(HOST_TESTS)) $(B)/host/stat_layout.ok

# ---------------------------------------------------------------- bad modules
# hello.ko broken one fault at a time (tests/host/badmod.c, the table the
# host test checks too): build/badmods/NN-<fault>.ko and expected.txt, the
# messages the kernel must print; the bad-modules boot of tests/harness.py
# loads them at boot.
$(B)/tools/mkbadmods: tools/mkbadmods.c tests/host/badmod.c tests/host/badmod.h \
		include/kernel/module_elf.h include/boot/elf.h
	@mkdir -p $(dir $@)
	$(quiet) HOSTCC $@
	$(Q)$(HOST_CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -Iinclude -Itests/host \
		-o $@ $(filter %.c,$^)

$(B)/badmods/expected.txt: $(B)/tools/mkbadmods $(B)/modules/hello.ko
	$(quiet) GEN $(B)/badmods
	$(Q)rm -rf $(B)/badmods && mkdir -p $(B)/badmods
	$(Q)$(B)/tools/mkbadmods $(B)/modules $(B)/badmods

badmods: $(B)/badmods/expected.txt

# ---------------------------------------------------------------- fuzzing
# libFuzzer (libclang-rt-14-dev) over module_layout + module_relocate, and
# over vsnprintf. ./build.sh fuzz [module_elf|vsnprintf] runs one
# open-ended; tests/fuzz/run_short.sh NAME (or `make fuzz-short`, both)
# for 20 s with a fixed seed, reported like a host test.
FUZZ_CFLAGS := -std=gnu11 -O1 -g -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer \
	-Wall -Wextra -Werror -Iinclude -DHOST_TEST

$(B)/fuzz/fuzz_module_elf: tests/fuzz/fuzz_module_elf.c kernel/module_elf.c \
		lib/vsprintf.c include/kernel/module_elf.h include/boot/elf.h
	@mkdir -p $(dir $@)
	$(quiet) FUZZCC $@
	$(Q)$(HOST_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^)

$(B)/fuzz/fuzz_vsnprintf: tests/fuzz/fuzz_vsnprintf.c lib/vsprintf.c include/kernel/sprintf.h
	@mkdir -p $(dir $@)
	$(quiet) FUZZCC $@
	$(Q)$(HOST_CC) $(FUZZ_CFLAGS) -o $@ $(filter %.c,$^)

FUZZERS := $(B)/fuzz/fuzz_module_elf $(B)/fuzz/fuzz_vsnprintf

fuzz-short: $(FUZZERS)
	sh tests/fuzz/run_short.sh fuzz_module_elf 20
	sh tests/fuzz/run_short.sh fuzz_vsnprintf 20

# ---------------------------------------------------------------- user programs
# The user test programs (tests/user/, docs/userspace.md "Writing a user
# program"): static i386 Linux ELF executables of one C file each, linked
# with crt0.S and tests/user/lib, no libc. USER_PIE_PROGS are built again
# as static PIE (ET_DYN) under NAME_pie; such a program must need no
# relocation at run time (crt0.S does none), which the rule checks.
USER_PROGS     := t_sys t_files t_mm t_fork t_exec t_isolation t_smp t_echoargs
USER_PIE_PROGS := t_echoargs
USER_DATA      := notelf
USER_LIB_SRCS  := tests/user/crt0.S tests/user/lib/start.c tests/user/lib/string.c \
	tests/user/lib/ktap.c tests/user/lib/proc.c
USER_CFLAGS := --target=i686-linux-gnu -march=i686 -mno-sse -mno-mmx -std=gnu11 -O2 \
	-ffreestanding -fno-builtin -nostdlib -fno-stack-protector -fno-asynchronous-unwind-tables \
	-fvisibility=hidden -Wall -Wextra -Werror -Itests/user/lib
# 64-bit division and the like: compiler-rt's builtins (libclang-rt-14-dev).
USER_RTLIB := $(shell $(CC) --target=i686-linux-gnu -rtlib=compiler-rt -print-libgcc-file-name)
USER_LDFLAGS := -fuse-ld=lld -Wl,--build-id=none -Wl,-z,noexecstack
USER_BINS := $(addprefix $(B)/user/,$(USER_PROGS) $(addsuffix _pie,$(USER_PIE_PROGS)) $(USER_DATA))

user: $(USER_BINS)

$(B)/user/%: tests/user/%.c $(USER_LIB_SRCS) tests/user/lib/user.h Makefile
	@mkdir -p $(dir $@)
	$(quiet) USERCC $@
	$(Q)$(CC) $(USER_CFLAGS) -fno-pic -static $(USER_LDFLAGS) -o $@ $(filter %.c %.S,$^) $(USER_RTLIB)

$(B)/user/%_pie: tests/user/%.c $(USER_LIB_SRCS) tests/user/lib/user.h Makefile
	@mkdir -p $(dir $@)
	$(quiet) USERCC $@
	$(Q)$(CC) $(USER_CFLAGS) -fpie -static-pie $(USER_LDFLAGS) -Wl,--no-dynamic-linker \
		-o $@.tmp $(filter %.c %.S,$^) $(USER_RTLIB)
	$(Q)if readelf -rW $@.tmp | grep -q '^ *[0-9a-f]\{8\} '; then \
		echo "$@: needs run-time relocations (crt0.S applies none):"; readelf -rW $@.tmp; \
		rm -f $@.tmp; exit 1; fi
	$(Q)mv $@.tmp $@

# A text file with its execute bits set: execve must refuse it (ENOEXEC).
$(B)/user/notelf: tests/user/notelf
	@mkdir -p $(dir $@)
	$(Q)install -m 0755 $< $@

# ---------------------------------------------------------------- initramfs
# build/initrd.cpio: rootfs/ and the user test programs at /bin/
# (tools/mkinitrd.sh; $(USER_BINS) are build/user/NAME, which the user
# programs' rules above make; none is fine). The stick carries it as
# \boot\initrd.cpio (tools/mkimage.sh).
ROOTFS_FILES := $(shell find rootfs 2>/dev/null)

$(B)/initrd.cpio: tools/mkinitrd.sh $(ROOTFS_FILES) $(USER_BINS)
	@mkdir -p $(dir $@)
	$(quiet) CPIO $@
	$(Q)sh tools/mkinitrd.sh $@ rootfs $(B)/user

initrd: $(B)/initrd.cpio

# ---------------------------------------------------------------- all
all: kernel efi modules testmods badmods host-tests user $(FUZZERS) initrd

.PHONY: all kernel efi modules testmods badmods host-tests user fuzz-short initrd
.DEFAULT_GOAL := all

-include $(KOBJS:.o=.d)
-include $(wildcard $(B)/efi/*/*.d)
-include $(wildcard $(B)/modules/*.d)
-include $(wildcard $(B)/testmods/*.d)
