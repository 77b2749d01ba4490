# SPDX-License-Identifier: MIT
"""The boot matrix of `./build.sh test` as data: one row per QEMU boot
(docs/testing.md, "Adding a boot"). tests/harness.py runs each row and
judges it; tests/qemu.py turns its columns into the QEMU command line.

A KTAP row boots build/usb.img with "ktest" and the row's command line,
pauses at the ktest checkpoint for QEMU's page-table walk and must end
with every case passed (or skipped), the lines of `expect` printed (those
of `once` exactly once) and the cases of `skip` skipped with a reason. A
loader row boots a broken image and must see the loader's error and the
firmware take over again. A panic row boots into a deliberate fault and
must see the oops and the panic on COM1 and on the screen.
"""

from dataclasses import dataclass

import images


@dataclass(frozen=True)
class Ktap:
    name: str
    fw: str = "x64"             # x64 or ia32 OVMF (tests/qemu.py FIRMWARE)
    machine: str = "q35"        # q35 or pc
    mem: str = "1G"             # QEMU's -m
    smp: int = 1                # QEMU's -smp
    cpu: str = None             # QEMU's -cpu, None for its default
    qemu_args: tuple = ()       # more QEMU arguments
    cmdline: str = ""           # kernel parameters besides "ktest"
    expect: tuple = ()          # regular expressions of lines it must print
    once: tuple = ()            # ... of lines it must print exactly once
    skip: tuple = ()            # "suite.case" that must skip with a reason
    effective: str = None       # the parameters the kernel ends up using (None: cmdline)
    phys_bits: int = None       # the CPU's physical address width, where it cuts RAM
    checkpoints: str = "ktest"  # the pauses: "ktest", or "all" (a traced boot)
    bad_modules: bool = False   # add build/badmods to \boot\modules
    esp: tuple = ()             # ESP edits after that (images.esp_edit): a hostile stick
    disk_mib: int = None        # a stick this big (MiB) when the edits need more than 63


@dataclass(frozen=True)
class UserProg:
    name: str
    prog: str                   # /bin/PROG as PID 1 (init=/bin/PROG; tests/user/PROG.c)
    args: str = ""              # its argv[1..]: the words after "--" (double quotes group)
    fw: str = "x64"
    machine: str = "q35"
    mem: str = "1G"
    smp: int = 1
    cmdline: str = ""           # more kernel parameters (besides ktest and init=)
    expect: tuple = ()          # regular expressions of COM1 lines it must print
    skip: tuple = ()            # cases of the program that must skip with a reason
    checkpoints: str = "ktest"  # "all": a traced boot (trace=paging), paused at each checkpoint


@dataclass(frozen=True)
class Loader:
    name: str
    fw: str                     # firmware
    fault: str                  # what is wrong with \boot\kernel.elf (harness.KERNEL_FAULTS), or None
    error: str                  # regular expression of the loader's message
    machine: str = "q35"
    mem: str = "256M"
    cpu: str = None             # QEMU's -cpu, None for its default
    qemu_args: tuple = ()       # more QEMU arguments
    esp: tuple = ()             # ESP edits (images.esp_edit)


@dataclass(frozen=True)
class Power:
    name: str
    fw: str
    machine: str
    command: str                # typed at the prompt: "poweroff" or "reboot"
    cmdline: str = ""           # kernel parameters (no ktest: the boot ends at the prompt)
    expect: tuple = ()          # regular expressions of lines printed after the command
    refuse: tuple = ()          # ... and of lines that must not be
    mem: str = "1G"


@dataclass(frozen=True)
class Panic:
    name: str
    cmdline: str                # the kernel parameters (no "ktest")
    first: str                  # the report's first line, where the screen's check starts
    expect: tuple = ()          # regular expressions of COM1 lines
    fw: str = "x64"
    machine: str = "q35"
    mem: str = "1G"
    qemu_args: tuple = ()


@dataclass(frozen=True)
class BochsKtap:
    name: str
    cmdline: str                # kernel parameters besides "ktest" (a ktest= filter here)
    cpuid: str = None           # a bochsrc "cpuid:" line's options (tools/bochs.py --cpuid)
    expect: tuple = ()          # regular expressions of lines it must print (port 0xE9)
    skip: tuple = ()            # "suite.case" that must skip with a reason


# The workload of the traced boots (the Bochs run and its QEMU twin): a
# process as PID 1 first (t_echoargs checks its PID and prints nothing),
# whose address space is checked at its exit (checkpoint init_exit), then
# the cases that wrap the pkmap slots and purge the vmalloc area.
TRACE_CMDLINE = ("trace=paging init=/bin/t_echoargs "
                 "ktest=highmem.wraps_and_global_flushes_counted,"
                 "vmalloc.lazy_threshold_purges -- pid 1")

# The cases that need a keyboard controller.
NO_I8042_SKIPS = ("input.i8042_probe_found_the_controller",
                  "input.keys_through_irq1_become_a_line_and_run")

SMP8 = r"^smp: 8 CPU\(s\) online \(APIC ids 0 1 2 3 4 5 6 7\)"

KTAP_BOOTS = [
    # Firmware x machine x memory.
    #    name                          fw      machine mem
    Ktap("x64-q35-128M",               "x64",  "q35",  "128M"),
    Ktap("x64-pc-128M",                "x64",  "pc",   "128M"),
    Ktap("ia32-q35-128M",              "ia32", "q35",  "128M"),
    Ktap("x64-q35-1G",                 "x64",  "q35",  "1G"),
    Ktap("x64-pc-1G",                  "x64",  "pc",   "1G"),
    Ktap("ia32-q35-1G",                "ia32", "q35",  "1G"),
    Ktap("x64-q35-4G",                 "x64",  "q35",  "4G"),
    Ktap("x64-pc-4G",                  "x64",  "pc",   "4G"),
    Ktap("ia32-q35-4G",                "ia32", "q35",  "4G"),
    Ktap("x64-q35-6G",                 "x64",  "q35",  "6G"),
    Ktap("x64-pc-6G",                  "x64",  "pc",   "6G"),
    Ktap("ia32-q35-6G",                "ia32", "q35",  "6G"),
    # The limits of low memory and the parameters that move them.
    Ktap("x64-q35-64M",                "x64",  "q35",  "64M"),
    Ktap("x64-q35-895M",               "x64",  "q35",  "895M"),
    Ktap("x64-q35-896M",               "x64",  "q35",  "896M"),
    Ktap("x64-q35-897M",               "x64",  "q35",  "897M"),
    Ktap("x64-q35-3G",                 "x64",  "q35",  "3G"),
    Ktap("x64-q35-1G-mem512M",         "x64",  "q35",  "1G", cmdline="mem=512M"),
    Ktap("x64-q35-1G-vmalloc256M",     "x64",  "q35",  "1G", cmdline="vmalloc=256M"),
    # The smallest vmalloc= accepted, where RAM reaches MAXMEM: the
    # smallest area the bound allows (include/asm/memlayout.h), and every
    # case passes in it (hostile-vmalloc-71M is the next smaller).
    Ktap("x64-q35-1G-vmalloc72M",      "x64",  "q35",  "1G", cmdline="vmalloc=72M",
         expect=(r"^vmalloc: area 0xfc000000-0xfdffe000, 32760 KiB,",)),
    # test_vmalloc (kernel/test_vmalloc.c) under -icount, where the TSC
    # counts instructions: long_busy_list's cost bound (15000 live areas,
    # the room of vmalloc=256M) runs here and skips elsewhere.
    Ktap("x64-q35-1G-test-vmalloc",    "x64",  "q35",  "1G",
         qemu_args=("-icount", "shift=0,sleep=off"),
         cmdline="vmalloc=256M test_vmalloc ktest=test_vmalloc.*",
         expect=tuple(r"^Summary: %s_alloc_test passed: 2 failed: 0 repeat: 2 loops: 50 avg: \d+ usec$" % n
                      for n in ("fix_size", "full_fit", "long_busy_list", "random_size",
                                "fix_align", "random_size_align"))
         + (r"^Summary: align_shift_alloc_test passed: 0 failed: 2 repeat: 2 loops: 50 avg: \d+ usec$",
            r"^test_vmalloc: long_busy_list per loop: \d+ cycles at 100 live areas, \d+ at 15000$")),
    Ktap("x64-q35-1G-highmem256M",     "x64",  "q35",  "1G", cmdline="highmem=256M"),
    # highpte=off: user page tables from lowmem (mm_user.* checks where
    # they are), the process address-space suites only.
    Ktap("x64-q35-1G-highpte-off",     "x64",  "q35",  "1G", smp=2,
         cmdline="highpte=off ktest=mm_user*"),
    # A CPU without NX and without PSE: data stays executable (the NX
    # test skips) and the direct map is built of 4 KiB pages only.
    Ktap("ia32-q35-1G-no-nx-no-pse",   "ia32", "q35",  "1G", cpu="qemu32,-pse",
         expect=(r"^CPU: features: \+PAE -NX \+PGE -PSE", r"with 4 KiB pages, no NX"),
         skip=("paging.data_is_not_executable",)),
    # qemu32 reports 32 physical address bits while QEMU gives it RAM
    # above 4 GiB: the kernel ignores that RAM, with one line.
    Ktap("ia32-q35-6G-qemu32",         "ia32", "q35",  "6G", cpu="qemu32", phys_bits=32,
         expect=(r"^e820: RAM above the CPU's 32-bit physical address limit ignored: "
                 r"\d+ MiB from 0x100000000",)),
    # Bad values: each reported, and the defaults kept.
    Ktap("x64-q35-1G-bad-params",      "x64",  "q35",  "1G",
         cmdline="mem=12Q vmalloc=1M highmem=0 acpi=on maxcpus=0 hz=5 reboot=sideways video=12x "
                 "test_vmalloc.test_loop_count=0 test_vmalloc.sequential_test_order=maybe",
         effective="",
         expect=(r"^cmdline: bad value for 'mem': '12Q'",
                 r"^cmdline: bad value for 'reboot': 'sideways'",
                 r"^cmdline: bad value for 'vmalloc': '1M'",
                 r"^vmalloc=1M: outside 72M\.\.768M",
                 r"^cmdline: bad value for 'highmem': '0'",
                 r"^cmdline: bad value for 'acpi': 'on'",
                 r"^maxcpus=0: outside 1\.\.8",
                 r"^hz=5: outside 10\.\.1000",
                 r"^loader: video=12x: not WIDTHxHEIGHT; keeping the current mode$",
                 r"^cmdline: bad value for 'video': '12x'",
                 r"^test_vmalloc\.test_loop_count=0: outside 1\.\.2147483647",
                 r"^cmdline: bad value for 'test_vmalloc\.test_loop_count': '0' \(.*\), using the default$",
                 r"^cmdline: bad value for 'test_vmalloc\.sequential_test_order': 'maybe' \(.*\), using the default$",
                 r"^ACPI: PM timer at port 0x608 \(24-bit\)")),
    # acpi=off: no tables read, the fallback reported (docs/acpi.md).
    # With no IO-APIC the keyboard and COM1 are polled (the input cases
    # run that way here).
    Ktap("x64-q35-1G-acpi-off",        "x64",  "q35",  "1G", cmdline="acpi=off",
         expect=(r"^ACPI: disabled by acpi=off",
                 r"^ACPI: no MADT: one CPU",
                 r"^ACPI: no PM timer in a FADT$",
                 r"^i8042: PS/2 controller at 0x60/0x64: .*, polled \(no IO-APIC\)$",
                 r"^serial: ttyS0 receives by polling \(no IO-APIC\)$")),
    # No i8042 (as on PCs whose USB keyboard only the firmware emulated
    # as one): q35's FADT then says so (IAPC_BOOT_ARCH), pc's ACPI 1.0
    # FADT cannot, and the probe finds nothing at 0x60/0x64. One line
    # each; the keyboard's cases skip, COM1's still pass.
    Ktap("x64-q35-1G-no-i8042",        "x64",  "q35",  "1G", qemu_args=("-machine", "i8042=off"),
         cmdline="ktest=input.*",
         expect=(r"^ACPI: FADT IAPC_BOOT_ARCH 0x0000 \(no 8042\)$",
                 r"^i8042: none: the FADT says there is no 8042 \(IAPC_BOOT_ARCH 0x0000\); "
                 r"the keyboard is COM1$"),
         skip=NO_I8042_SKIPS),
    # i8042.direct: translation off, the keyboard read in scan code set 2.
    Ktap("x64-q35-1G-i8042-direct",    "x64",  "q35",  "1G", cmdline="i8042.direct ktest=input.*",
         expect=(r"^i8042: PS/2 controller at 0x60/0x64: .*, translation off \(scan code set 2\), "
                 r"keyboard acknowledged, on IRQ 1$",)),
    Ktap("x64-pc-1G-no-i8042",         "x64",  "pc",   "1G", qemu_args=("-machine", "i8042=off"),
         cmdline="ktest=input.*",
         expect=(r"^i8042: none: no controller answers at 0x60/0x64 \(status 0xff\); "
                 r"the keyboard is COM1$",),
         skip=NO_I8042_SKIPS),
    # QEMU without ACPI tables: OVMF on q35 then publishes its own XSDT
    # with no MADT and no FADT (on pc it prints nothing at all); the
    # tests of QEMU's tables skip, everything else passes.
    Ktap("x64-q35-1G-no-acpi",         "x64",  "q35",  "1G", qemu_args=("-no-acpi",),
         expect=(r"^ACPI: no MADT: one CPU",
                 r"^ACPI: no PM timer in a FADT$",
                 r"^smp: no MADT: running on the boot CPU only"),
         skip=("acpi.qemu_tables_parsed", "acpi.broken_madt_copy_refused_info_unchanged",
               "acpi.qemu_power_facts_as_in_the_host_data",
               "acpi.broken_s5_copy_refused_power_unchanged",
               "power.acpi_mode_enabled_through_smi_cmd")),
    # SMP: every test on 2, 4 and 8 CPUs (the lazy-flush stress longer on
    # 4), IA32 firmware starting an AP too, and the limits on CPUs.
    Ktap("x64-q35-1G-smp2",            "x64",  "q35",  "1G", smp=2,
         expect=(r"^smp: 2 CPU\(s\) online \(APIC ids 0 1\)",)),
    Ktap("x64-q35-1G-smp4",            "x64",  "q35",  "1G", smp=4, cmdline="lazyflush.ms=3000",
         expect=(r"^smp: 4 CPU\(s\) online \(APIC ids 0 1 2 3\)",
                 # lazyflush.ms=3000: at least 3000 ms of guest time (the
                 # run ends at a worker's next look at the clock, later on
                 # a loaded host)
                 r"^lazyflush: stress: 4 CPU\(s\), 8 threads, 1024 pages, ([3-9]\d{3}|\d{5,}) ms")),
    Ktap("x64-q35-1G-smp8",            "x64",  "q35",  "1G", smp=8, expect=(SMP8,)),
    Ktap("x64-pc-1G-smp8",             "x64",  "pc",   "1G", smp=8, expect=(SMP8,)),
    Ktap("ia32-q35-1G-smp2",           "ia32", "q35",  "1G", smp=2,
         expect=(r"^smp: 2 CPU\(s\) online",)),
    Ktap("x64-q35-1G-smp4-maxcpus2",   "x64",  "q35",  "1G", smp=4, cmdline="maxcpus=2",
         expect=(r"^smp: 2 CPU\(s\) online \(APIC ids 0 1\)",)),
    Ktap("x64-q35-1G-smp2-nosmp-hz250", "x64", "q35",  "1G", smp=2, cmdline="nosmp hz=250",
         expect=(r"^smp: 2 CPU\(s\) enabled in the MADT, maxcpus 1: running on the boot CPU only",
                 r"^APIC: timer: periodic at 250 Hz",
                 r"^apic: CPU 0: timer at 2(3[89]|[45]\d|6[0-2])\.\d{3} Hz")),
    # The paging trace under QEMU: paused at every checkpoint, QEMU's walk
    # compared with the trace (the Bochs run's workload, on two CPUs so
    # that flushes reach the other one by IPI).
    Ktap("x64-q35-1G-smp2-trace",      "x64",  "q35",  "1G", smp=2, cmdline=TRACE_CMDLINE,
         checkpoints="all",
         expect=(r"^checkpoint init_exit: paused for the host",
                 r"^init: PID 1 \(/bin/t_echoargs\) exited with status 0",
                 r"^checkpoint pkmap_wrap: paused for the host",
                 r"^checkpoint vmalloc_purge: paused for the host")),
    # The same for user address spaces: the process address-space cases
    # (not the negative controls, whose stale translations the checker
    # reports as it should), every page-table write and flush of theirs
    # replayed, per address space (a CPU's TLB holds only the user
    # mappings of the PDPT it has loaded).
    Ktap("x64-q35-1G-smp2-trace-mm",   "x64",  "q35",  "1G", smp=2,
         cmdline="trace=paging ktest=mm_user.*", checkpoints="all"),
    # The framebuffer console at the smallest mode and, with 64 MiB of
    # VGA memory, at 3840x2160 (the 16x32 font) on IA32 firmware:
    # video= sets the GOP mode (docs/emulators.md lists what OVMF offers).
    Ktap("x64-q35-1G-video640x480",    "x64",  "q35",  "1G", cmdline="video=640x480",
         expect=(r"^loader: video=640x480: GOP mode \d+ set$",
                 r"^efifb: mode 640x480, 32 bpp BGRX, pitch 2560; font Lat15-VGA16 8x16: 80x30 cells$")),
    Ktap("ia32-q35-1G-video3840x2160", "ia32", "q35",  "1G", cmdline="video=3840x2160",
         qemu_args=("-vga", "none", "-device", "VGA,vgamem_mb=64"),
         expect=(r"^loader: video=3840x2160: GOP mode \d+ set$",
                 r"^efifb: mode 3840x2160, 32 bpp BGRX, pitch 15360; "
                 r"font Lat15-Terminus32x16 16x32: 240x67 cells$")),
    # No display adapter: no GOP, no framebuffer; the kernel says so once
    # and the cases that need the screen skip.
    Ktap("x64-q35-1G-no-vga",          "x64",  "q35",  "1G", qemu_args=("-vga", "none"),
         once=(r"^efifb: no framebuffer: serial only$",),
         skip=("fbcon.framebuffer_mapped_page_for_page_with_its_cache_type",
               "fbcon.printed_line_is_on_the_framebuffer_in_the_font")),
    # Malformed modules next to the good ones: each refused with its
    # manifest's message (added by the harness), the good ones loaded,
    # and boot_failures_left_nothing run rather than skipped.
    Ktap("x64-q35-1G-bad-modules",     "x64",  "q35",  "1G", bad_modules=True,
         expect=(r"^module hello: at 0x", r"^module highmem_check: at 0x",
                 r"^module ktest_mod: at 0x", r"^    ok \d+ boot_failures_left_nothing$")),
]

# The cases of the interrupt hardware: the local APIC in the mode in use,
# the 8259 pair and the tick without one, the reference clock.
IRQHW_KTEST = "ktest=apic.*,i8259.*,time.*,monitor_sys.cpus*,monitor_sys.interrupts*"
NO_LAPIC_SKIPS = ("apic.timer_rate_is_HZ_within_5_percent",
                  "apic.miscalibrated_timer_fails_the_rate_check",
                  "apic.local_apic_is_enabled_with_its_vectors",
                  "apic.mode_is_the_one_ia32_apic_base_holds_on_every_cpu",
                  "apic.ipis_to_this_cpu_arrive_once_each")
# The loader's hostile sticks: a Ktap row's lines are the loader's line
# naming the fault and what the kernel then did.
CMDLINE_TXT = "/boot/cmdline.txt"
HZ250 = (r'^loader: command line: "ktest hz=250"$', r"^APIC: timer: periodic at 250 Hz")
CAFE = (r'^loader: command line: "ktest hz=250 caf\?"$', r"^APIC: timer: periodic at 250 Hz",
        r'^Unknown kernel command line parameters "caf\?", will be ignored')
LDR = r"^loader: \\boot\\"     # the start of the loader's line about a file
NO_PAE = (r"loader: error: this CPU cannot run the kernel: no PAE \(CPUID leaf 1 EDX bit 6 is "
          r"clear\); it needs PAE paging")
NO_PAE_ARGS = ("-fw_cfg", "name=opt/pae32/cpuid-1-edx-clear,string=0x40")
# The KTAP cases that need hello.ko among the boot modules (a boot
# without modules runs the suites that use them, and these skip).
HELLO_SKIPS = ("module.hello", "module.twice", "monitor_sys.rmmod_insmod_round_trip_of_a_boot_module")


def cmdline_txt(data):
    return (("write", CMDLINE_TXT, data),)


def module(name, data=images.hello_ko):
    return ("write", "/boot/modules/" + name, data)


# Hostile input (docs/testing.md, "Hostile boots"): each bad input boots
# with a line naming the fault (a Ktap row: the kernel survived, its KTAP
# run passes) or is refused by the loader (a Loader row). Named
# hostile-<family>-<what>. The module rows' good modules must still load.
KERNEL_BASE_MOVED = r"^boot: kernel base 0x(?!01000000)[0-9a-f]{8}, linked for 0x01000000: relocated by the loader$"
AS_LINKED = r"^boot: kernel base 0x01000000, as linked$"
MOD = r"^module hello: at 0x"
OOPSED = r"^module %s: init_module oopsed: marked failed, its memory kept$"
KILLED = r"^note: thread %s \(CPU 0\) killed by the oops; the kernel goes on$"
GUARD = (r"^BUG: stack guard page was hit at 0x[0-9a-f]{8} "
         r"\(stack of thread %s is 0x[0-9a-f]{8}-0x[0-9a-f]{8}\)$")

HOSTILE_BOOTS = [
    # vmalloc= inside the range documented before, which left no vmalloc
    # area where RAM reaches MAXMEM (a panic): refused, the default kept.
    Ktap("hostile-vmalloc-32M", cmdline="vmalloc=32M", effective="",
         expect=(r"^vmalloc=32M: outside 72M\.\.768M$",
                 r"^cmdline: bad value for 'vmalloc': '32M' \(out of range\), using the default$")),
    # The next value below the smallest accepted (x64-q35-1G-vmalloc72M).
    Ktap("hostile-vmalloc-71M", cmdline="vmalloc=71M", effective="",
         expect=(r"^vmalloc=71M: outside 72M\.\.768M$",
                 r"^cmdline: bad value for 'vmalloc': '71M' \(out of range\), using the default$")),
    # A parameter given twice, the later value bad: the earlier one stays,
    # and the message says so.
    Ktap("hostile-cmdline-repeated-bad-value", cmdline="vmalloc=256M hz=250 vmalloc=1M hz=5",
         effective="vmalloc=256M hz=250",
         expect=(r"^cmdline: bad value for 'vmalloc': '1M' \(out of range\), "
                 r"keeping the earlier 'vmalloc=256M'$",
                 r"^cmdline: bad value for 'hz': '5' \(out of range\), keeping the earlier 'hz=250'$",
                 r"^APIC: timer: periodic at 250 Hz")),
    # Sizes that do not fit 64 bits (memparse saturates them) and a
    # highmem= whose page count does not fit 32 bits: named, not ignored.
    Ktap("hostile-cmdline-size-overflow", mem="512M", cmdline="mem=16E highmem=0x100000001000", effective="",
         expect=(r"^cmdline: bad value for 'mem': '16E' \(out of range\), using the default$",
                 r"^highmem=16777216M: leaves under 32M of low memory; ignored$")),
    # video= with a sixth digit: the loader and the kernel both refuse it.
    Ktap("hostile-cmdline-video-6-digits", cmdline="video=100000x480", effective="",
         expect=(r"^loader: video=100000x480: not WIDTHxHEIGHT; keeping the current mode$",
                 r"^cmdline: bad value for 'video': '100000x480'")),
    # hz= at its upper bound: the whole suite, its tick counts included.
    Ktap("hostile-cmdline-hz1000", cmdline="hz=1000", expect=(r"^APIC: timer: periodic at 1000 Hz",)),
    # Kernels that must move (docs/boot-protocol.md, "The kernel's base").
    # IA32 OVMF with S3 keeps ACPI NVS over 16 MiB: the loader moves the
    # kernel to the next free 2 MiB multiple, and the whole suite runs there.
    Ktap("hostile-firmware-ia32-s3",   "ia32", "q35",  "1G", qemu_args=("-global", "ICH9-LPC.disable_s3=0"),
         expect=(r"^loader: kernel: physical base 0x[0-9a-f]+, not 0x1000000 as linked: segment \d "
                 r"\[0x1000000-0x[0-9a-f]+\) overlaps firmware-reserved memory at 0x1000000 \(ACPI NVS\)$",
                 KERNEL_BASE_MOVED)),
    # On two CPUs: the AP trampoline enters the moved kernel too.
    Ktap("hostile-reloc-forced-base",  "x64",  "q35",  "1G", smp=2, cmdline="loader.kernel_base=0x3000000",
         expect=(r"^loader: kernel: physical base 0x3000000 from loader\.kernel_base \(linked for 0x1000000\)$",
                 r"^boot: kernel base 0x03000000, linked for 0x01000000: relocated by the loader$",
                 r"^smp: 2 CPU\(s\) online")),
    # A base whose range boot services hold now (x64 OVMF keeps its data
    # at [0x900000, 0x1500000) at 1 GiB): relocated in the staging copy,
    # which pm32 moves into place.
    Ktap("hostile-reloc-staged-base",  "x64",  "q35",  "1G", cmdline="loader.kernel_base=0x1400000 ktest=boot.*",
         expect=(r"^loader: kernel range \[0x1400000-0x[0-9a-f]+\) is in use now \(.*\): staging it$",
                 r"^loader: kernel: \d+ relocation records applied for the move by 0x400000$",
                 r"^boot: kernel at physical 0x01400000-0x[0-9a-f]{8} \(staged, moved by pm32\)$",
                 r"^boot: kernel base 0x01400000, linked for 0x01000000: relocated by the loader$")),
    # High up, the parameters that would leave the image outside low
    # memory are refused and the defaults kept; the memory suites run
    # with mem_map and the boot's tables above the image.
    Ktap("hostile-reloc-high-base",    "x64",  "q35",  "1G",
         cmdline="loader.kernel_base=0x30000000 mem=512M vmalloc=768M highmem=700M "
                 "ktest=boot.*,bootmem.*,page_alloc.*,paging.*,highmem.*,monitor_mm.*",
         effective="",
         expect=(r"^boot: kernel base 0x30000000, linked for 0x01000000: relocated by the loader$",
                 r"^mem=512M: below the 77[0-9]M this kernel needs$",
                 r"^vmalloc=768M: leaves a direct map of 256M, below the 77[0-9]M the kernel needs$",
                 r"^highmem=700M: leaves under 77[0-9]M of low memory; ignored$")),
    # The highest base whose image ends by 896 MiB: no room above the
    # image for mem_map, which goes below it; the whole suite runs.
    Ktap("hostile-reloc-base-top",     "x64",  "q35",  "1G", cmdline="loader.kernel_base=0x37c00000",
         expect=(r"^boot: kernel base 0x37c00000, linked for 0x01000000: relocated by the loader$",)),
    # A base the kernel cannot have: one line, and the loader's own choice.
    Ktap("hostile-reloc-base-unaligned", "x64", "q35", "1G", cmdline="loader.kernel_base=0x3000001 ktest=boot.*",
         expect=(r"^loader: loader\.kernel_base=0x3000001: 0x3000001 is not a multiple of 2 MiB; "
                 r"choosing the base itself$", AS_LINKED)),
    Ktap("hostile-reloc-base-not-a-number", "x64", "q35", "1G", cmdline="loader.kernel_base=48MB ktest=boot.*",
         expect=(r"^loader: loader\.kernel_base=48MB: not a number; choosing the base itself$", AS_LINKED)),
    Ktap("hostile-reloc-base-past-the-limit", "x64", "q35", "1G",
         cmdline="loader.kernel_base=0x38000000 ktest=boot.*",
         expect=(r"^loader: loader\.kernel_base=0x38000000: \[0x38000000-0x[0-9a-f]+\) does not end by "
                 r"0x38000000, the limit of boot data; choosing the base itself$", AS_LINKED)),
    # Relocation records missing, damaged, or naming a word outside the
    # image: the loader refuses the kernel before it touches memory.
    Loader("hostile-reloc-records-missing", "x64", None,
           r"kernel\.elf: no relocation records \(no \.pae32\.relocs section\)",
           esp=(("write", "/boot/kernel.elf", images.kernel_without_relocs),)),
    Loader("hostile-reloc-records-damaged", "x64", None,
           r"kernel\.elf: relocation records damaged: CRC-32 0x[0-9a-f]{8}, the table says",
           esp=(("write", "/boot/kernel.elf", images.kernel_relocs_damaged),)),
    Loader("hostile-reloc-record-outside", "x64", None,
           r"kernel\.elf: relocation record \d+ \(abs32\) names 0x[0-9a-f]+, outside the file bytes "
           r"of every segment",
           esp=(("write", "/boot/kernel.elf", images.kernel_reloc_outside),)),
    # Modules that take the boot down (docs/vmalloc-and-modules.md).
    Ktap("hostile-module-too-big", mem="256M", disk_mib=224,
         esp=(("write", "/boot/modules/huge.ko", images.big_module(150 << 20)),),
         expect=(r"^module huge: no room for its 157286400 bytes; not loaded$", MOD)),
    Ktap("hostile-module-too-big-mem32M", cmdline="mem=32M",
         esp=(("write", "/boot/modules/huge.ko", images.big_module(16 << 20)),),
         expect=(r"^module huge: no room for its 16777216 bytes; not loaded$", MOD)),
    # A big module that fits, in the smallest vmalloc area: it takes half
    # of it, and every suite after must still pass or skip for want of room
    # (the trees' test filled the rest and left it full; the lazy-flush
    # stress panicked when its threads found no stack).
    Ktap("hostile-module-15M-vmalloc72M", smp=2, cmdline="vmalloc=72M",
         esp=(("write", "/boot/modules/huge.ko", images.big_module(15 << 20)),),
         expect=(r"^module huge: at 0x", MOD), skip=("vmalloc.trees_stay_balanced",)),
    # The initramfs: one member's size runs past the end of the archive
    # (the malformed archive is named with its offset; the members before
    # it stay, fs.malformed_archive_keeps_earlier_entries), or none at all.
    Ktap("hostile-initrd-malformed",
         esp=(("write", "/boot/initrd.cpio", images.initrd_size_damaged("usr/share/doc/pae32/README")),),
         expect=(r"^initramfs: malformed archive at offset 0x[0-9a-f]+: archive ends inside the data "
                 r"in usr/share/doc/pae32/README; the \d+ entries before it kept$",),
         skip=("fs.archive_unpacked_whole",)),
    Ktap("hostile-initrd-absent", cmdline="ktest=boot.*",
         esp=(("delete", "/boot/initrd.cpio"),),
         expect=(r"^loader: no \\boot\\initrd\.cpio: booting without an initramfs$",
                 r"^initrd: none$", r"^initramfs: none: the tree holds /dev and /proc only$")),
    Ktap("hostile-initrd-directory", cmdline="ktest=boot.*",
         esp=(("delete", "/boot/initrd.cpio"), ("mkdir", "/boot/initrd.cpio")),
         expect=(r"^loader: \\boot\\initrd\.cpio is a directory, not a file: booting without an initramfs$",
                 r"^initrd: none$")),
    Ktap("hostile-module-frame-20k", esp=(images.testmod("frame20k"),),
         expect=(GUARD % "frame20k", KILLED % "frame20k", OOPSED % "frame20k", MOD)),
    Ktap("hostile-module-frame-64k", esp=(images.testmod("frame64k"),),
         expect=(GUARD % "frame64k", KILLED % "frame64k", OOPSED % "frame64k", MOD)),
    Ktap("hostile-module-null-write", esp=(images.testmod("nullwrite"),),
         expect=(r"^BUG: unable to handle page fault for address: 0x00000000$",
                 KILLED % "nullwrite", OOPSED % "nullwrite", MOD)),
    Ktap("hostile-module-text-write", esp=(images.testmod("textwrite"),),
         expect=(r"^#PF: error_code\(0x0003\) - permissions violation$",
                 KILLED % "textwrite", OOPSED % "textwrite", MOD)),
    Ktap("hostile-module-init-forever", esp=(images.testmod("forever"),),
         expect=(r"^module forever: init still running after 10 s; the boot goes on, "
                 r"the thread left running$", MOD)),
    Ktap("hostile-module-ktest-then-fail", esp=(images.testmod("ktestfail"),),
         expect=(r"^module ktestfail: init_module returned -22$",
                 r"^module ktestfail: its 1 KTAP case array\(s\) dropped$", MOD)),
    # A CPU without a local APIC: one CPU on the 8259 pair and the PIT.
    Ktap("hostile-cpu-no-apic",        "x64",  "q35",  "1G", cpu="qemu64,-apic", smp=2,
         expect=(r"^CPU: features: \+PAE \+NX \+PGE \+PSE -APIC",
                 r"^APIC: none: the CPU has no local APIC \(CPUID\.1:EDX bit 9 clear\); "
                 r"the 8259 and the PIT run one CPU$",
                 r"^IOAPIC: not used: no local APIC to deliver to; device interrupts through the 8259$",
                 r"^time: tick: PIT channel 0 at 100 Hz on IRQ 0 through the 8259 \(latch 11932\), HZ 100$",
                 r"^smp: no local APIC: running on the boot CPU only$",
                 r"^i8042: PS/2 controller at 0x60/0x64: .*, on IRQ 1$",
                 r"^serial: ttyS0 receives on IRQ 4$",
                 r"^i8259: CPU 0: timer at 99\.9\d\d Hz against the ACPI PM timer"),
         skip=NO_LAPIC_SKIPS),
    # A CPU model without the TSC bit (no real PAE CPU lacks it; TCG runs
    # RDTSC all the same): said, not passed over.
    Ktap("hostile-cpu-no-tsc",         "x64",  "q35",  "1G", cpu="qemu64,-tsc",
         expect=(r"^CPU: features: \+PAE \+NX \+PGE \+PSE \+APIC -TSC",
                 r"^CPU: CPUID says there is no TSC \(leaf 1 EDX bit 4\)")),
    # A CPU that shows an APIC but no MSRs: IA32_APIC_BASE cannot be read.
    Ktap("hostile-cpu-no-msr",         "x64",  "q35",  "1G", cpu="qemu64,-msr",
         expect=(r"^APIC: none usable: the CPU has no MSRs \(CPUID\.1:EDX bit 5 clear\), so "
                 r"IA32_APIC_BASE cannot be read",),
         skip=NO_LAPIC_SKIPS),
    # The firmware left the APIC disabled in IA32_APIC_BASE (apic.handover_test
    # stands in for it): it stays off, as without one.
    Ktap("hostile-cpu-apic-disabled",  "x64",  "pc",   "1G", cmdline="apic.handover_test=disabled",
         expect=(r"^APIC: none in use: the firmware disabled it \(IA32_APIC_BASE 0xfee00100: "
                 r"global enable clear\) and it stays off",
                 r"^time: tick: PIT channel 0 at 100 Hz on IRQ 0 through the 8259"),
         skip=NO_LAPIC_SKIPS),
    # No PIT: calibrated against the HPET, and without it the PM timer.
    Ktap("hostile-machine-no-pit",     "x64",  "q35",  "1G", qemu_args=("-machine", "pit=off"),
         expect=(r"^time: PIT channel 2 does not count \(its count stayed 0xffff for 10 ms of the "
                 r"ACPI PM timer\): no PIT, or its clock is gated$",
                 r"^HPET: at 0xfed00000 \(the ACPI HPET table\): .*100\.000000 MHz",
                 r"^time: TSC and APIC timer calibrated against the HPET \(",
                 r"^apic: CPU 0: timer at 99\.9\d\d Hz|^apic: CPU 0: timer at 100\.0\d\d Hz"),
         skip=("apic.pit_irq0_arrives_through_the_io_apic",)),
    Ktap("hostile-machine-no-pit-no-hpet", "x64", "q35", "1G", qemu_args=("-machine", "pit=off,hpet=off"),
         expect=(r"^time: PIT channel 2 does not count",
                 r"^HPET: none: the ACPI tables list no HPET$",
                 r"^time: TSC and APIC timer calibrated against the ACPI PM timer \("),
         skip=("apic.pit_irq0_arrives_through_the_io_apic", "apic.timer_rate_is_HZ_within_5_percent",
               "apic.miscalibrated_timer_fails_the_rate_check")),
    # No PIT and acpi=off: no table names the HPET or the PM timer; the
    # HPET is found at its usual address, the PM timer on the ICH.
    Ktap("hostile-machine-no-pit-acpi-off", "x64", "q35", "1G", qemu_args=("-machine", "pit=off"),
         cmdline="acpi=off",
         expect=(r"^PM timer: at port 0x608 \(24-bit\) from the ICH PMBASE at PCI 00:1f\.0, "
                 r"no FADT naming one$",
                 r"^HPET: at 0xfed00000 \(no ACPI tables: looked for at its usual address\)",
                 r"^time: TSC and APIC timer calibrated against the HPET \("),
         skip=("apic.pit_irq0_arrives_through_the_io_apic",)),
    # Neither a local APIC nor a PIT: the tick from the HPET's timer 0 in
    # legacy replacement mode; without the HPET too, from the RTC.
    Ktap("hostile-cpu-no-apic-machine-no-pit", "x64", "q35", "1G", cpu="qemu64,-apic",
         qemu_args=("-machine", "pit=off"),
         expect=(r"^time: TSC calibrated against the HPET \(",
                 r"^time: tick: HPET timer 0 at 100 Hz in legacy replacement mode, IRQ 0 through the 8259$",
                 r"^i8259: HPET tick: the comparator stepped \d+ times, by 1000000 counts at least: 100\.000 Hz"),
         skip=NO_LAPIC_SKIPS),
    Ktap("hostile-cpu-no-apic-machine-no-pit-no-hpet", "x64", "q35", "1G", cpu="qemu64,-apic",
         qemu_args=("-machine", "pit=off,hpet=off"),
         expect=(r"^time: TSC calibrated against the ACPI PM timer \(",
                 r"^time: tick: the RTC's periodic interrupt at 128 Hz on IRQ 8 through the 8259; "
                 r"HZ 100 -> 128",
                 r"^i8259: tick IRQ 8: \d+ interrupts"),
         skip=NO_LAPIC_SKIPS),
    # \boot\cmdline.txt as editors write it: blanks of every kind separate
    # words, a BOM goes, UTF-16 is converted, a non-ASCII character becomes
    # '?', an over-long line is cut after its last whole word.
    Ktap("hostile-cmdline-tab",        esp=cmdline_txt(b"ktest\thz=250\n"), expect=HZ250),
    Ktap("hostile-cmdline-crlf",       esp=cmdline_txt(b"ktest\r\nhz=250\r\n"), expect=HZ250),
    Ktap("hostile-cmdline-lone-cr",    esp=cmdline_txt(b"ktest\rhz=250\r"), expect=HZ250),
    Ktap("hostile-cmdline-nul",        esp=cmdline_txt(b"ktest\0hz=250\n"), expect=HZ250 + (
         LDR + r"cmdline\.txt: 1 control character taken as blanks \(the first, 0x00, at byte 5\)$",)),
    Ktap("hostile-cmdline-utf8-bom",   esp=cmdline_txt(b"\xef\xbb\xbfktest hz=250\r\n"), expect=HZ250 + (
         LDR + r"cmdline\.txt: UTF-8 byte-order mark dropped$",)),
    # What Windows Notepad writes as "Unicode": UTF-16LE after FF FE.
    Ktap("hostile-cmdline-utf16le-bom", esp=cmdline_txt("\ufeffktest hz=250\r\n".encode("utf-16-le")),
         expect=HZ250 + (LDR + r"cmdline\.txt: UTF-16LE text \(byte-order mark FF FE\) converted to ASCII$",)),
    Ktap("hostile-cmdline-utf16le-bom-e-acute",
         esp=cmdline_txt("\ufeffktest hz=250 caf\u00e9\r\n".encode("utf-16-le")),
         expect=CAFE + (LDR + r"cmdline\.txt: 1 non-ASCII character replaced by '\?' \(the first at byte 34\)$",)),
    Ktap("hostile-cmdline-latin1",     esp=cmdline_txt(b"ktest hz=250 caf\xe9\n"), expect=CAFE + (
         LDR + r"cmdline\.txt: 1 non-ASCII character replaced by '\?' \(the first at byte 16\)$",)),
    Ktap("hostile-cmdline-utf8-e-acute", esp=cmdline_txt("ktest hz=250 caf\u00e9\n".encode()), expect=CAFE + (
         LDR + r"cmdline\.txt: 1 non-ASCII character replaced by '\?' \(the first at byte 16\)$",)),
    # 4095 characters are the most the kernel takes: in UTF-16 (8196 bytes
    # with the BOM and CR LF) all of them, up to the final hz=250; one
    # character more and that last word goes (cut mid-word it would have
    # been hz=25); 5000 characters in one word after ktest hz=250.
    Ktap("hostile-cmdline-4095-utf16", esp=cmdline_txt(images.long_cmdline(
         4095, "ktest", "hz=250", encoding="utf-16-le", bom="\ufeff", newline="\r\n")),
         expect=(r"^APIC: timer: periodic at 250 Hz",
                 LDR + r"cmdline\.txt: UTF-16LE text \(byte-order mark FF FE\) converted to ASCII$")),
    Ktap("hostile-cmdline-4096",       esp=cmdline_txt(images.long_cmdline(4096, "ktest", "hz=250")),
         expect=(r"^APIC: timer: periodic at 100 Hz",
                 LDR + r"cmdline\.txt: the line is 4096 characters, more than the 4095 allowed: "
                 r"cut to 4089 after its last whole word$")),
    Ktap("hostile-cmdline-5000",       esp=cmdline_txt(images.long_cmdline(5000, "ktest hz=250")),
         expect=HZ250 + (LDR + r"cmdline\.txt: the line is 5000 characters, more than the 4095 allowed: "
                         r"cut to 12 after its last whole word$",)),
    # \boot\modules: a name with a blank or a non-ASCII character is
    # handed over with '_' (caf\u00e9.ko fits 8.3, and OVMF returns its OEM
    # byte as U+FF90; the other is a long name, U+00E9), one of more than
    # 55 characters cut to 52 and .ko; past 32 modules the names that sort
    # last stay out; a file instead of the directory, no modules.
    Ktap("hostile-modules-name-space", esp=(module("my hello.ko"),), expect=(
         LDR + r"modules\\my hello\.ko: handed over as my_hello\.ko \(blanks, controls and non-ASCII "
         r"characters replaced by '_'\)$", r"^module my_hello: at 0x")),
    # Two entries whose names become one: the entry whose own name sorts
    # first keeps it (' ' before '_').
    Ktap("hostile-modules-names-collide", esp=(module("my hello.ko"), module("my_hello.ko")), expect=(
         LDR + r"modules\\my_hello\.ko: the name my_hello\.ko is \\boot\\modules\\my hello\.ko's too; "
         r"not loaded$", r"^module my_hello: at 0x")),
    Ktap("hostile-modules-name-e-acute-short", esp=(module("caf\u00e9.ko"),), expect=(
         LDR + r"modules\\caf\?\.ko: handed over as caf_\.ko \(blanks", r"^module caf_: at 0x")),
    Ktap("hostile-modules-name-e-acute-long", esp=(module("h\u00e9llo-again.ko"),), expect=(
         LDR + r"modules\\h\?llo-again\.ko: handed over as h_llo-again\.ko \(blanks",
         r"^module h_llo-again: at 0x")),
    Ktap("hostile-modules-name-56",    esp=(module("a" * 53 + ".ko"),), expect=(
         LDR + r"modules\\a{53}\.ko: handed over as a{52}\.ko \(the name cut to 55 characters\)$",
         r"^module a{52}: at 0x")),
    Ktap("hostile-modules-name-60",    esp=(module("b" * 57 + ".ko"),), expect=(
         LDR + r"modules\\b{57}\.ko: handed over as b{52}\.ko \(the name cut to 55 characters\)$",
         r"^module b{52}: at 0x")),
    Ktap("hostile-modules-name-200",   esp=(module("c" * 197 + ".ko"),), expect=(
         LDR + r"modules\\c{64}\.\.\.: handed over as c{52}\.ko \(the name cut to 55 characters\)$",
         r"^module c{52}: at 0x")),
    Ktap("hostile-modules-33",         esp=images.module_copies(30), expect=(
         LDR + r"modules\\m30\.ko: more than 32 modules, and its name sorts after the first 32; "
         r"not loaded$", r"^modules: 32$", r"^module m29: at 0x")),
    Ktap("hostile-modules-40",         esp=images.module_copies(37), expect=(
         LDR + r"modules\\m30\.ko: more than 32 modules", LDR + r"modules\\m37\.ko: more than 32 modules",
         r"^modules: 32$", r"^module m29: at 0x")),
    Ktap("hostile-modules-dir-is-a-file", cmdline="ktest=module.*,monitor_sys.*",
         esp=(("delete", "/boot/modules"), ("write", "/boot/modules", b"not a directory\n")),
         expect=(LDR + r"modules is a file, not a directory: no modules$", r"^modules: 0$"),
         skip=HELLO_SKIPS),
    # What looks like a module but is not one: named, the others load.
    Ktap("hostile-modules-dir-named-ko", esp=(("mkdir", "/boot/modules/sub.ko"),), expect=(
         LDR + r"modules\\sub\.ko is a directory, not a module file; not loaded$", r"^modules: 3$", MOD)),
    Ktap("hostile-modules-name-only-ko", esp=(module(".ko"),), expect=(
         LDR + r"modules\\\.ko: no name before the \.ko; not loaded$", r"^modules: 3$", MOD)),
    # 56 MiB (what the stick holds), more than OVMF leaves free at 64 MiB.
    Ktap("hostile-modules-too-big-for-ram", mem="64M", esp=(module("huge.ko", images.zeros(56 << 20)),),
         expect=(LDR + r"modules\\huge\.ko: no memory below 0x38000000 for its 58720256 bytes "
                 r"\(EFI_OUT_OF_RESOURCES\); not loaded$", r"^modules: 3$")),
    # The kernel's range covers memory the loader frees after placing it:
    # a kernel with 6.75 MiB of bss (staged at 64 MiB, its range busy)
    # whose file, padded to 8.5 MiB, the firmware put right below the
    # loader, so that once freed, an 8 MiB module would have landed there.
    # That part of the range is reserved, and the module has no room.
    Ktap("hostile-kernel-range-freed-x64-64M", mem="64M",
         esp=cmdline_txt(b"ktest loader.debug\n") + (
             ("write", "/boot/kernel.elf", images.kernel_grown(0x16c0000, 0x880000)),
             module("big.ko", images.zeros(8 << 20))),
         expect=(r"^loader: \[0x[0-9a-f]+-0x16c0000\) in the kernel's range was freed after placing it: "
                 r"reserved, allocating elsewhere$",
                 LDR + r"modules\\big\.ko: no memory below 0x38000000 for its 8388608 bytes")),
    # A kernel whose data segment was moved physically but not virtually
    # (at 64 MiB, free RAM): loaded as is, the kernel would look for its
    # data at 16 MiB and die without a word.
    Loader("hostile-kernel-segment-offset", "x64", None,
           r"kernel\.elf: segment 2 is linked at 0xc[0-9a-f]+ for physical 0x4000000, segment 0 at "
           r"0xc1000000 for 0x1000000: the kernel needs one virtual-minus-physical offset",
           esp=(("write", "/boot/kernel.elf", lambda: images.kernel_with_segment_at(0x4000000)),)),
    # A CPU without PAE, which no firmware here starts on (docs/emulators.md):
    # QEMU's fw_cfg tells the loader to take the bit out of what CPUID says.
    Loader("hostile-cpu-no-pae",       "x64",  None, NO_PAE, qemu_args=NO_PAE_ARGS),
    Loader("hostile-cpu-no-pae-ia32",  "ia32", None, NO_PAE, qemu_args=NO_PAE_ARGS),
]

# User test programs as PID 1 (tests/user/, docs/userspace.md "User
# tests"): `ktest init=/bin/PROG [-- ARGS]`; the program's own KTAP
# document counts case by case, it must exit with status 0, and the
# kernel's suites then run as in a KTAP row (tests/harness.py UserBoot).
# Off until the kernel side of issue 16 (processes, the initramfs) is in
# the tree: the lead sets USER_ROWS = True at the merge and adds the names
# to docs/testing.md (python3 tests/harness.py --list).
USER_ROWS = True

SEGV = r"^t_isolation\[\d+\]: segfault at %s ip [0-9a-f]{8} sp [0-9a-f]{8} error %s \(%s\) %s$"
NO_VMA = r"(in )?\(no VMA\)"
ISOLATION_REPORTS = (
    SEGV % ("c0000000", "5", "user read, protection violation", NO_VMA),
    SEGV % ("c1000000", "7", "user write, protection violation", NO_VMA),
    SEGV % ("00000000", "4", "user read, not present", NO_VMA),
    SEGV % ("[0-9a-f]{8}", "15", "user instruction fetch, protection violation",
            r"in \[stack\]\[[0-9a-f]+\+[0-9a-f]+\]"),
    SEGV % ("[0-9a-f]{8}", "7", "user write, protection violation",
            r"in \S*t_isolation\[[0-9a-f]+\+[0-9a-f]+\]"),
    SEGV % ("c1000000", "15", "user instruction fetch, protection violation", NO_VMA),
    r"^t_isolation\[\d+\]: general protection ip [0-9a-f]{8} sp [0-9a-f]{8} error 0$",
    r"^t_isolation\[\d+\]: invalid opcode ip [0-9a-f]{8} sp [0-9a-f]{8} error 0$",
)
# Each program on 1 GiB; the memory ones with highmem (4 GiB), the SMP one
# on 4 CPUs, one on IA32 firmware; t_echoargs as PID 1 with argv words.
USER_BOOTS = [
    #        name                              program
    UserProg("x64-q35-1G-init-t_sys",          "t_sys"),
    UserProg("x64-q35-1G-init-t_files",        "t_files"),
    UserProg("x64-q35-1G-init-t_mm",           "t_mm"),
    UserProg("x64-q35-1G-init-t_fork",         "t_fork"),
    UserProg("x64-q35-1G-init-t_exec",         "t_exec"),
    UserProg("x64-q35-1G-init-t_isolation",    "t_isolation", expect=ISOLATION_REPORTS),
    UserProg("x64-q35-1G-init-t_smp",          "t_smp"),
    UserProg("x64-q35-1G-init-t_echoargs",     "t_echoargs", args='one "two  words" three',
             expect=(r"^# argv\[0\] = /bin/t_echoargs$", r"^# argv\[1\] = one$",
                     r"^# argv\[2\] = two  words$", r"^# argv\[3\] = three$", r"^# envc = 3$")),
    UserProg("x64-q35-1G-init-t_echoargs_pie", "t_echoargs_pie"),
    UserProg("x64-q35-4G-init-t_mm",           "t_mm", mem="4G"),
    UserProg("x64-q35-4G-init-t_fork",         "t_fork", mem="4G"),
    UserProg("x64-q35-1G-smp4-init-t_smp",     "t_smp", smp=4,
             expect=(r"^smp: 4 CPU\(s\) online",)),
    UserProg("ia32-q35-1G-init-t_sys",         "t_sys", fw="ia32"),
    # The paging trace with a process (docs/paging-trace.md): PID 1's
    # address space is checked at its exit (checkpoint init_exit), every
    # user page inside a VMA the kernel listed, with U set, QEMU's walk
    # agreeing with the trace; the kernel's suites limited to the mm ones.
    UserProg("x64-q35-1G-smp2-trace-init-t_mm", "t_mm", smp=2, checkpoints="all",
             cmdline="trace=paging ktest=mm_user.checkpoint*",
             expect=(r"^checkpoint maps: PID 1 \(t_mm\)$",
                     r"^checkpoint init_exit: paused for the host")),
]

# KTAP runs under Bochs (tests/harness.py BochsKtapRun): x2APIC in the CPU's
# CPUID; OVMF hands over in xAPIC mode there (docs/emulators.md), so
# apic.handover_test=x2apic stands in for firmware that uses x2APIC.
BOCHS_KTAP_BOOTS = [
    BochsKtap("bochs-1G-x2apic", IRQHW_KTEST + " apic.handover_test=x2apic", cpuid="apic=x2apic",
              expect=(r"^APIC: apic\.handover_test=x2apic: IA32_APIC_BASE 0xfee00900 -> 0xfee00d00",
                      r"^APIC: x2APIC mode as the firmware left it \(IA32_APIC_BASE 0xfee00d00\)",
                      r"^APIC: local APIC id 0 version 0x14, 6 LVT entries, enabled on CPU 0 in x2APIC mode$",
                      r"^PM timer: at port 0xb008 \(24-bit\) from the PIIX4 PMBA at PCI 00:01\.3",
                      r"^apic: CPU 0: timer at (99\.9\d\d|100\.0\d\d) Hz against the ACPI PM timer",
                      r"^apic: x2APIC mode, IA32_APIC_BASE 0xfee00d00 on CPU 0$",
                      r"^    ok \d+ ipis_to_this_cpu_arrive_once_each$")),
]

PANIC_BOOTS = [
    # fbcon.fault_test: a fault inside the framebuffer console's write,
    # three bytes into an escape sequence. From the oops's first line to
    # the end of the panic, the screen must show COM1's lines, in red,
    # then the cursor (tests/fbtext.py reads the screendump).
    Panic("x64-q35-1G-fbcon-fault", "fbcon.fault_test",
          first="BUG: unable to handle page fault for address: 0x00000000",
          expect=(r"^efifb: fbcon\.fault_test: the next write faults inside the console$",
                  r"^Oops: page fault \(#PF\), vector 14, error code 0x0002$",
                  r"^Kernel panic - not syncing: Fatal exception 14 in kernel mode at EIP ",
                  r"^---\[ end Kernel panic - not syncing: ")),
]

LOADER_BOOTS = [
    #      name                          fw      fault          the loader's message
    Loader("loader-bad-missing",         "x64",  "missing",     r"kernel\.elf.*not found"),
    Loader("loader-bad-truncated",       "x64",  "truncated",   r"kernel\.elf.*truncated"),
    Loader("loader-bad-not-elf",         "x64",  "not-elf",     r"kernel\.elf.*not an ELF"),
    Loader("loader-bad-elf64",           "x64",  "elf64",       r"kernel\.elf.*ELF64"),
    Loader("loader-bad-outside-ram",     "x64",  "outside-ram", r"kernel\.elf.*outside RAM"),
    Loader("loader-bad-not-elf-ia32",    "ia32", "not-elf",     r"kernel\.elf.*not an ELF"),
]

# poweroff and reboot typed at the prompt (tests/harness.py PowerBoot;
# docs/console.md). Every step of kernel/reboot.c prints its line first,
# so the lines show which one worked. Green only with the interactive
# monitor (COM1 input and the line editor) in the tree.
S5_Q35 = r"^poweroff: trying ACPI S5: SLP_TYPa 0 \| SLP_EN to PM1a_CNT \(I/O port 0x604\)$"
RESET_CF9 = r"^reboot: trying the ACPI reset register: 0xf to I/O port 0xcf9$"
KBD = r"^reboot: trying the i8042 reset pulse: 0xfe to port 0x64$"
TRIPLE = r"^reboot: trying a triple fault: an empty IDT, then int3$"

POWER_BOOTS = [
    #     name                        fw      machine command
    Power("x64-q35-poweroff",         "x64",  "q35",  "poweroff", expect=(S5_Q35,),
          refuse=(r"^poweroff: still running",)),
    Power("x64-pc-poweroff",          "x64",  "pc",   "poweroff",
          expect=(r"^poweroff: trying ACPI S5: SLP_TYPa 0 \| SLP_EN to PM1a_CNT \(I/O port 0xb004\)$",),
          refuse=(r"^poweroff: still running",)),
    Power("ia32-q35-poweroff",        "ia32", "q35",  "poweroff", expect=(S5_Q35,),
          refuse=(r"^poweroff: still running",)),
    # Without the tables: the PIIX4 found on PCI, its soft-off type known.
    Power("x64-pc-poweroff-acpi-off", "x64",  "pc",   "poweroff", cmdline="acpi=off",
          expect=(r"^poweroff: no ACPI S5: acpi=off$",
                  r"^poweroff: trying the PIIX4 power management at PCI 00:01\.3: SUS_TYP 0 "
                  r"\(soft off\) \| SUS_EN to PMCNTRL \(I/O port 0xb004\)$"),
          refuse=(r"^poweroff: still running",)),
    Power("x64-q35-reboot",           "x64",  "q35",  "reboot", expect=(RESET_CF9,),
          refuse=(KBD, TRIPLE)),
    Power("ia32-q35-reboot",          "ia32", "q35",  "reboot", expect=(RESET_CF9,),
          refuse=(KBD, TRIPLE)),
    # pc's FADT (revision 1) has no reset register: the i8042 does it.
    Power("x64-pc-reboot",            "x64",  "pc",   "reboot",
          expect=(r"^reboot: no ACPI reset register: FADT revision 1 has no RESET_REG", KBD),
          refuse=(TRIPLE,)),
    # The later steps, each on its own (reboot= picks the first).
    Power("x64-q35-reboot-kbd",       "x64",  "q35",  "reboot", cmdline="reboot=kbd",
          expect=(KBD,), refuse=(RESET_CF9, TRIPLE)),
    Power("x64-q35-reboot-triple",    "x64",  "q35",  "reboot", cmdline="reboot=triple",
          expect=(TRIPLE,), refuse=(RESET_CF9, KBD)),
]
