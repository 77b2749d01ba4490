/* SPDX-License-Identifier: MIT */
/*
 * PCI configuration space through mechanism #1 (PCI Local Bus
 * Specification 3.0 §3.2.2.3.2) for include/asm/pci-direct.h: the
 * register's address (enable bit, bus, device, function, dword offset) to
 * port 0xCF8, then the dword, or the byte or word within it, at 0xCFC.
 */
#include "asm/pci-direct.h"
#include "asm/x86.h"

static void pci_conf1_select(uint8_t bus, uint8_t slot, uint8_t func, uint8_t offset)
{
	outl(PCI_CONF1_ADDRESS, PCI_CONF1_ENABLE | (uint32_t)bus << 16 |
	     (uint32_t)(slot & 0x1f) << 11 | (uint32_t)(func & 7) << 8 | (offset & 0xfc));
}

uint32_t read_pci_config(uint8_t bus, uint8_t slot, uint8_t func, uint8_t offset)
{
	pci_conf1_select(bus, slot, func, offset);
	return inl(PCI_CONF1_DATA);
}

uint8_t read_pci_config_byte(uint8_t bus, uint8_t slot, uint8_t func, uint8_t offset)
{
	pci_conf1_select(bus, slot, func, offset);
	return inb(PCI_CONF1_DATA + (offset & 3));
}

uint16_t read_pci_config_16(uint8_t bus, uint8_t slot, uint8_t func, uint8_t offset)
{
	pci_conf1_select(bus, slot, func, offset);
	return inw(PCI_CONF1_DATA + (offset & 2));
}

void write_pci_config_byte(uint8_t bus, uint8_t slot, uint8_t func, uint8_t offset,
			   uint8_t val)
{
	pci_conf1_select(bus, slot, func, offset);
	outb(PCI_CONF1_DATA + (offset & 3), val);
}
