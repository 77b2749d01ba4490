/* SPDX-License-Identifier: MIT */
/*
 * mkbadmods MODULE_DIR OUT_DIR - writes one broken module per fault in
 * tests/host/badmod.c's table, each a copy of MODULE_DIR/hello.ko broken
 * in one place, as OUT_DIR/NN-<fault>.ko, and OUT_DIR/expected.txt with
 * one line per file:
 *
 *	<module name> <strerror>: <text>
 *
 * where "<strerror>: <text>" is the start of the kernel's refusal after
 * "module <module name>: " (kernel/module.c prints "module NAME:
 * <strerror>: <message>"; test_module_elf checks that each message starts
 * with its text). The bad-modules boot of
 * tests/harness.py puts these files next to the good modules on the image.
 * Built with the host compiler (Makefile, target badmods).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "badmod.h"

static void write_file(const char *path, const void *data, size_t size)
{
	FILE *fp = fopen(path, "wb");

	if (!fp || fwrite(data, 1, size, fp) != size || fclose(fp) != 0) {
		fprintf(stderr, "mkbadmods: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

int main(int argc, char **argv)
{
	char path[1024], text[256], name[64];
	FILE *manifest;

	if (argc != 3) {
		fprintf(stderr, "usage: mkbadmods MODULE_DIR OUT_DIR\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/expected.txt", argv[2]);
	manifest = fopen(path, "w");
	if (!manifest) {
		fprintf(stderr, "mkbadmods: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (unsigned int f = 0; f < badmod_nr_faults; f++) {
		const struct badmod_fault *b = &badmod_faults[f];
		char *dot;

		snprintf(path, sizeof(path), "%s/hello.ko", argv[1]);
		badmod_load(path);
		b->patch(text, sizeof(text));
		snprintf(path, sizeof(path), "%s/%s", argv[2], b->file);
		write_file(path, mod, mod_size);

		snprintf(name, sizeof(name), "%s", b->file);
		dot = strrchr(name, '.');
		if (dot)
			*dot = '\0';
		fprintf(manifest, "%s %s: %s\n", name, b->strerror, text);
	}
	if (fclose(manifest) != 0) {
		fprintf(stderr, "mkbadmods: expected.txt: %s\n", strerror(errno));
		return 1;
	}
	free(mod);
	return 0;
}
