/* SPDX-License-Identifier: MIT */
/*
 * Breaking a real module in memory, shared by the host tests
 * (tests/host/test_module_elf.c) and the generator of the broken modules
 * the bad-modules boot loads (tools/mkbadmods.c).
 *
 * badmod_load() reads a module file into mod[mod_size] (with room to
 * spare); the accessors below find its headers, sections, symbols and
 * relocations so that a fault is one assignment. badmod_faults[] lists the
 * faults a loader must refuse, each with the MOD_ERR_* code, the name
 * module_strerror() gives it, and the message (or a part of it) that
 * module_layout/module_relocate must print.
 */
#ifndef TESTS_HOST_BADMOD_H
#define TESTS_HOST_BADMOD_H

#include <stddef.h>
#include <stdint.h>
#include "boot/elf.h"

/* The module being broken: a private copy. */
extern uint8_t *mod;
extern size_t mod_size;

/* Reads path into mod; exits with a message when it cannot. */
void badmod_load(const char *path);

Elf32_Ehdr *eh(void);
Elf32_Shdr *sh(unsigned int i);
const char *secname(unsigned int i);
unsigned int sec(const char *name);	/* exits when there is none */
unsigned int symtab(void);
unsigned int nsyms(void);
Elf32_Sym *symp(unsigned int i);
const char *symname(const Elf32_Sym *s);
char *symname_w(unsigned int i);	/* symbol i's name, writable */
unsigned int symidx(const char *name);	/* 0 if none */
unsigned int secsym(unsigned int s);	/* exits when there is none */
Elf32_Rel *relp(unsigned int s, unsigned int j);
uint32_t rd32(const uint8_t *p);

/*
 * One fault, applied to a fresh copy of hello.ko in mod: patch() breaks
 * it and writes into want[n] the text the message must contain.
 * (module_strerror(code) is strerror; the kernel prints
 * "module NAME: <strerror>: <message>".)
 */
struct badmod_fault {
	const char *file;		/* "01-truncated.ko" */
	int code;			/* MOD_ERR_* */
	const char *strerror;
	void (*patch)(char *want, size_t n);
};
extern const struct badmod_fault badmod_faults[];
extern const unsigned int badmod_nr_faults;

#endif /* TESTS_HOST_BADMOD_H */
