/* SPDX-License-Identifier: MIT */
/*
 * PCI configuration space through configuration mechanism #1 (PCI Local
 * Bus Specification 3.0 §3.2.2.3.2: the address at port 0xCF8, the data
 * at 0xCFC), with Linux's names from arch/x86/pci/early.c: no locking and
 * no allocation, for the power paths and their tests
 * (drivers/pci/early.c). Callers serialise: the power paths run with
 * interrupts off, the tests on one CPU.
 */
#ifndef ASM_PCI_DIRECT_H
#define ASM_PCI_DIRECT_H

#include <stdint.h>

#define PCI_CONF1_ADDRESS	0xcf8
#define  PCI_CONF1_ENABLE	(1u << 31)
#define PCI_CONF1_DATA		0xcfc

/* The standard header (PCI 3.0 §6.1), the fields used. */
#define PCI_VENDOR_ID		0x00	/* 16 bits; 0xffff: no function */
#define PCI_DEVICE_ID		0x02	/* 16 bits */
#define PCI_HEADER_TYPE		0x0e	/* 8 bits */
#define  PCI_HEADER_MULTI_FUNC	0x80
#define PCI_INTERRUPT_LINE	0x3c	/* 8 bits, for software only */

uint32_t read_pci_config(uint8_t bus, uint8_t slot, uint8_t func, uint8_t offset);
uint8_t read_pci_config_byte(uint8_t bus, uint8_t slot, uint8_t func, uint8_t offset);
uint16_t read_pci_config_16(uint8_t bus, uint8_t slot, uint8_t func, uint8_t offset);
void write_pci_config_byte(uint8_t bus, uint8_t slot, uint8_t func, uint8_t offset,
			   uint8_t val);

#endif /* ASM_PCI_DIRECT_H */
