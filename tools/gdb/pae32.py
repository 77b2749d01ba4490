# SPDX-License-Identifier: MIT
"""gdb set-up for pae32 under QEMU (docs/debugging.md).

    ./build.sh debug              # QEMU waits for gdb on 127.0.0.1:1234
    gdb -x tools/gdb/pae32.py     # in another terminal, from anywhere

Loads build/kernel.elf (its symbols are at their virtual addresses,
0xC1000000 on, where the kernel runs when the loader leaves it at the
physical 16 MiB it is linked for) and connects to QEMU in the 32-bit view
(tools/gdb/i386view.py): qemu-system-x86_64's gdbstub always reports
x86-64 registers, which makes gdb disassemble and unwind the kernel's
32-bit code as 64-bit code. Commands it adds:

    arch-i386            reconnect through the 32-bit view (the kernel,
                         pm32, the IA32 firmware and loader)
    arch-x86-64          reconnect to QEMU directly as x86-64 (the x64
                         firmware and loader)
    loader-symbols [BASE] [x64|ia32]
                         the loader's symbols (build/efi/FW/loader.so) at
                         the image base the loader prints; by default the
                         last "loader: image base" line of
                         build/debug-serial.log
    loader-start [FUNCTION]
                         reset the machine and stop at FUNCTION (efi_main)
                         in the loader, its symbols loaded
    kernel-symbols [BASE]
                         the kernel's symbols for a kernel the loader
                         moved to physical BASE (they move by BASE - 16
                         MiB); by default the base of the last boot in
                         build/debug-serial.log
    kernel-phys-symbols  the kernel's symbols again at their physical
                         addresses, for head.asm before paging

GDB_PORT (default 1234) and GDB_HOST (127.0.0.1) say where QEMU listens;
PAE32_GDB_CONNECT=0 loads the symbols without connecting; PAE32_SERIAL_LOG
names another console log for loader-symbols (tests/test_gdb.py).
"""

import os
import re
import struct

import gdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
KERNEL = os.path.join(BUILD, "kernel.elf")
SERIAL_LOG = os.environ.get("PAE32_SERIAL_LOG",
                            os.path.join(BUILD, "debug-serial.log"))
VIEW = os.path.join(ROOT, "tools", "gdb", "i386view.py")
STUB = "%s:%s" % (os.environ.get("GDB_HOST", "127.0.0.1"),
                  os.environ.get("GDB_PORT", "1234"))

PAGE_OFFSET = 0xC0000000   # include/asm/page.h
KERNEL_LINK_BASE = 0x1000000    # include/boot/bootinfo.h KERNEL_PHYS_LOAD
EFER_LMA = 1 << 10      # long mode active: 64-bit firmware or loader code

# kernel_offset: how far the loaded kernel symbols are moved from the
# ELF's addresses (its physical base - KERNEL_LINK_BASE).
state = {"view": None, "loader": None, "quiet": False, "kernel_offset": 0}


def run(cmd):
    gdb.execute(cmd, to_string=False)


def connected():
    inf = gdb.selected_inferior()
    return inf is not None and inf.pid != 0


def connect(view):
    """(Re)connects in the 32-bit view ("i386") or directly ("x86-64").
    QEMU keeps the guest stopped across the reconnection."""
    if connected():
        run("disconnect")
    # gdb keeps the last target's description after a disconnect, and
    # refuses an architecture that does not fit it; this clears it.
    run("unset tdesc filename")
    if view == "i386":
        run("set architecture i386")
        run("target remote | python3 %s %s" % (VIEW, STUB))
    else:
        run("set architecture i386:x86-64")
        run("target remote %s" % STUB)
    state["view"] = view


class ArchI386(gdb.Command):
    """Reconnect to QEMU through the 32-bit view (tools/gdb/i386view.py):
eax..edi, eip and the control registers as 32-bit registers; i386
disassembly and unwinding. For the kernel, pm32, IA32 firmware and loader."""

    def __init__(self):
        super().__init__("arch-i386", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        connect("i386")


class ArchX8664(gdb.Command):
    """Reconnect to QEMU directly, as an x86-64 target: for the x64 firmware
and the x64 loader (64-bit code). The kernel's 32-bit code shows wrong here:
use arch-i386 for it."""

    def __init__(self):
        super().__init__("arch-x86-64", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        connect("x86-64")


def serial_text():
    """build/debug-serial.log without control sequences (the kernel's
    colours), or None."""
    try:
        with open(SERIAL_LOG, "rb") as f:
            return re.sub(r"\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]", "",
                          f.read().decode("ascii", "replace"))
    except OSError:
        return None


def logged_loader():
    """(base, firmware) from the last boot in build/debug-serial.log."""
    text = serial_text()
    if text is None:
        return None, None
    bases = re.findall(r"loader: image base 0x([0-9a-fA-F]+)", text)
    fws = re.findall(r"loader: (x64|IA32) UEFI firmware", text)
    return (int(bases[-1], 16) if bases else None,
            fws[-1].lower() if fws else None)


def load_loader_symbols(base, fw):
    """build/efi/FW/loader.so at BASE; the view that fits its code."""
    path = os.path.join(BUILD, "efi", fw, "loader.so")
    if state["loader"]:
        run("remove-symbol-file %s" % state["loader"])
        state["loader"] = None
    run("add-symbol-file %s -o 0x%x" % (path, base))
    state["loader"] = path
    print("loader-symbols: %s at 0x%x" % (path, base))
    want = "x86-64" if fw == "x64" else "i386"
    if state["view"] != want and connected():
        print("loader-symbols: the %s loader is %s code: arch-%s"
              % (fw, "64-bit" if fw == "x64" else "32-bit", want))
        connect(want)


def pe_image_at(base):
    """Whether a PE image (the "MZ" of its DOS header) is at BASE now."""
    try:
        return bytes(gdb.selected_inferior().read_memory(base, 2)) == b"MZ"
    except gdb.error:
        return False


class LoaderSymbols(gdb.Command):
    """loader-symbols [BASE] [x64|ia32]: add the loader's symbols at BASE.

BASE is the image base the loader prints ("loader: image base 0x...");
without it, the last such line of build/debug-serial.log (./build.sh debug
writes the console there). The firmware kind comes from that log too, or x64.
GNU-EFI's objcopy keeps each section at its ELF address as its RVA (the PE's
ImageBase is 0), so every symbol of build/efi/FW/loader.so sits at BASE plus
its ELF address: add-symbol-file -o BASE. For the x64 loader this switches to
arch-x86-64 (its code is 64-bit)."""

    def __init__(self):
        super().__init__("loader-symbols", gdb.COMMAND_FILES)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        log_base, log_fw = logged_loader()
        fw = next((a for a in args if a in ("x64", "ia32")), None) or log_fw or "x64"
        nums = [a for a in args if a not in ("x64", "ia32")]
        base = int(gdb.parse_and_eval(nums[0])) if nums else log_base
        if base is None:
            raise gdb.GdbError("no image base: give one, or boot once with "
                               "./build.sh debug so that %s has the loader's "
                               "'image base' line" % SERIAL_LOG)
        load_loader_symbols(base, fw)


class LoaderStart(gdb.Command):
    """loader-start [FUNCTION]: reset the machine and stop in the loader.

Stops at FUNCTION (default efi_main) with the loader's symbols loaded at the
image base the loader printed on build/debug-serial.log. The base must be
known before the loader runs, so this boots first when the log has none yet
(a hardware breakpoint at the kernel's entry, phys_startup_32, catches the
end of that boot), then resets and boots again with FUNCTION's breakpoint
set. OVMF puts the loader at the same base on each boot of the same
firmware, memory size and loader, except that IA32 OVMF moves it once after
its first boot: when the kernel's entry is reached first, the base is read
again and the machine reset once more."""

    def __init__(self):
        super().__init__("loader-start", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        func = arg.strip() or "efi_main"
        entry = elf32_entry(KERNEL) + state["kernel_offset"]
        bp = None
        guard = gdb.Breakpoint("*0x%x" % entry, type=gdb.BP_HARDWARE_BREAKPOINT,
                               internal=True)
        state["quiet"] = True
        try:
            for _ in range(4):
                base, fw = logged_loader()
                if base is not None:
                    load_loader_symbols(base, fw or "x64")
                    if bp is None:
                        bp = gdb.Breakpoint(func, type=gdb.BP_HARDWARE_BREAKPOINT)
                run("monitor system_reset")
                run("continue")
                pc = int(gdb.parse_and_eval("$pc"))
                if pc != entry:
                    if base is not None and not pe_image_at(base):
                        print("loader-start: no PE image at 0x%x: not the "
                              "loader's code?" % base)
                    return
                print("loader-start: the kernel's entry came first; the loader "
                      "base is in the log now: again")
            raise gdb.GdbError("loader-start: the loader did not stop at %s"
                               % func)
        finally:
            guard.delete()
            state["quiet"] = False


def logged_kernel_base():
    """The kernel's physical base in the last boot of build/debug-serial.log:
    the loader's line (printed before the kernel runs) or the kernel's."""
    text = serial_text() or ""
    bases = re.findall(r"^(?:loader: kernel: physical base|boot: kernel base) 0x([0-9a-fA-F]+)",
                       text, re.M)
    return int(bases[-1], 16) if bases else None


def load_kernel_symbols(base):
    """build/kernel.elf's symbols for a kernel at physical BASE."""
    offset = base - KERNEL_LINK_BASE
    run("set confirm off")
    try:
        run("symbol-file -o 0x%x %s" % (offset, KERNEL) if offset else "symbol-file %s" % KERNEL)
    finally:
        run("set confirm on")
    state["kernel_offset"] = offset
    print("kernel-symbols: %s for physical base 0x%x: symbols at their ELF address + 0x%x"
          % (KERNEL, base, offset))


class KernelSymbols(gdb.Command):
    """kernel-symbols [BASE]: the kernel's symbols where a moved kernel runs.

The loader puts the kernel at the physical 16 MiB it is linked for, or,
where that is not free (or loader.kernel_base= asks), at another multiple
of 2 MiB, BASE, and applies its relocation records: every kernel address
then moves by BASE - 16 MiB, and so must the symbols (symbol-file -o).
BASE defaults to the last one build/debug-serial.log names ("loader:
kernel: physical base 0x..." or "boot: kernel base 0x..."); a boot of the
same firmware, memory and command line puts the kernel there again.
kernel-symbols 0x1000000 goes back to the ELF's addresses."""

    def __init__(self):
        super().__init__("kernel-symbols", gdb.COMMAND_FILES)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        base = int(gdb.parse_and_eval(args[0])) if args else logged_kernel_base()
        if base is None:
            raise gdb.GdbError("no kernel base: give one, or boot once so that %s "
                               "has the loader's 'kernel: physical base' line" % SERIAL_LOG)
        if base < KERNEL_LINK_BASE or base % 0x200000:
            raise gdb.GdbError("kernel-symbols: 0x%x is not a multiple of 2 MiB from "
                               "0x%x up" % (base, KERNEL_LINK_BASE))
        load_kernel_symbols(base)


def elf32_entry(path):
    """e_entry of an ELF32 file: the kernel's physical entry as linked."""
    with open(path, "rb") as f:
        return struct.unpack_from("<I", f.read(28), 24)[0]


def elf32_alloc_sections(path):
    """[(name, address)] of the SHF_ALLOC sections of an ELF32 file."""
    with open(path, "rb") as f:
        data = f.read()
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x2e)
    strtab_off = struct.unpack_from("<10I", data, shoff + shstrndx * shentsize)[4]
    out = []
    for i in range(shnum):
        name, _, flags, addr = struct.unpack_from("<4I", data, shoff + i * shentsize)
        if flags & 2 and addr:                  # SHF_ALLOC
            end = data.index(b"\0", strtab_off + name)
            out.append((data[strtab_off + name:end].decode(), addr))
    return out


class KernelPhysSymbols(gdb.Command):
    """A second copy of the kernel's symbols at their physical addresses
(virtual - PAGE_OFFSET 0xC0000000), for kernel/head.asm before it turns
paging on: phys_startup_32 runs at 0x1000000 although the ELF says
startup_32 is at 0xC1000000 (both moved by kernel-symbols's offset for a
kernel the loader moved). Symbols then resolve in both places (a
breakpoint on a name gets two locations); remove-symbol-file -a 0x1000000
(the moved base) drops the copy."""

    def __init__(self):
        super().__init__("kernel-phys-symbols", gdb.COMMAND_FILES)

    def invoke(self, arg, from_tty):
        off = state["kernel_offset"]
        secs = [(n, a - PAGE_OFFSET + off) for n, a in elf32_alloc_sections(KERNEL)
                if a >= PAGE_OFFSET]
        text = dict(secs)[".text"]
        rest = " ".join("-s %s 0x%x" % (n, a) for n, a in secs if n != ".text")
        run("add-symbol-file %s 0x%x %s" % (KERNEL, text, rest))


def on_stop(event):
    """Says when the view does not fit the code the CPU stopped in."""
    if state["view"] is None or state["quiet"]:
        return
    try:
        efer = int(gdb.parse_and_eval("$efer"))
    except gdb.error:
        return
    if state["view"] == "i386" and efer & EFER_LMA:
        print("pae32: the CPU is in long mode (x64 firmware or loader): "
              "arch-x86-64 shows it whole")
    elif state["view"] == "x86-64" and not efer & EFER_LMA:
        print("pae32: the CPU is in 32-bit mode: arch-i386 for the "
              "kernel's view")


ArchI386()
ArchX8664()
LoaderSymbols()
LoaderStart()
KernelSymbols()
KernelPhysSymbols()
gdb.events.stop.connect(on_stop)

# Symbols first: the ELF's addresses are the kernel's virtual addresses.
if not os.path.exists(KERNEL):
    raise gdb.GdbError("pae32: no %s: build first (./build.sh)" % KERNEL)
run("file %s" % KERNEL)
if os.environ.get("PAE32_GDB_CONNECT", "1") != "0":
    try:
        connect("i386")
        print("pae32: connected to QEMU at %s in the 32-bit view; "
              "`hbreak start_kernel`, then `continue` (docs/debugging.md)" % STUB)
    except gdb.error as e:
        print("pae32: not connected (%s); start `./build.sh debug`, then "
              "`arch-i386`" % e)
