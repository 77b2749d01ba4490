/* SPDX-License-Identifier: MIT */
/*
 * The console as a file, and /dev: /dev/console and /dev/tty write to
 * every console (console_write: COM1 and the screen, no printk prefix)
 * and read cooked lines from the input queue of kernel/tty.c, in the
 * manner of Linux's n_tty in canonical mode, much reduced (echo,
 * backspace, Enter ends the line, ^D at a line's start is end of file);
 * TCGETS and TIOCGWINSZ answer as a Linux console would. /dev/null is
 * Linux's drivers/char/mem.c null.
 */
#include "asm/uaccess.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/tty.h"
#include "video/efifb.h"

#define TCGETS		0x5401
#define TIOCGWINSZ	0x5413
#define NCCS		19

/* Linux's struct termios (the i386 kernel's, 36 bytes) and winsize. */
struct termios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[NCCS];
};
BUILD_BUG_ON(sizeof(struct termios) != 36);

struct winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

#define CHUNK		256	/* bytes per copy through the kernel */
#define LINE_MAX_TTY	255	/* N_TTY_BUF_SIZE is 4096; a line of the screen's width suffices */

/* The line being typed, and what a read has not taken of the last one.
 * One reader at a time (the console's processes run one after another). */
static char line[LINE_MAX_TTY + 1];
static size_t line_len, line_taken;

bool tty_echo = true;

static void echo(const char *s, size_t n)
{
	if (tty_echo)
		console_write(s, n);
}

long tty_read_cooked(char *buf, size_t n)
{
	size_t k;

	if (!n)
		return 0;
	if (line_taken == line_len) {
		line_len = line_taken = 0;
		for (;;) {
			int c = tty_getc();

			if (c < 0) {			/* -EINTR: a signal came */
				line_len = line_taken = 0;
				return c;
			}
			if (c == 4) {			/* ^D */
				if (!line_len)
					return 0;
				break;
			}
			if (c == '\r' || c == '\n') {
				line[line_len++] = '\n';
				echo("\n", 1);
				break;
			}
			if (c == 0x7f || c == '\b') {
				if (line_len) {
					line_len--;
					echo("\b \b", 3);
				}
				continue;
			}
			if (c == 3) {			/* ^C: the line is dropped */
				line_len = 0;
				echo("^C\n", 3);
				continue;
			}
			if ((c < 0x20 && c != '\t') || line_len == LINE_MAX_TTY - 1)
				continue;		/* controls, and a full line */
			line[line_len++] = (char)c;
			echo(&line[line_len - 1], 1);
		}
	}
	k = line_len - line_taken < n ? line_len - line_taken : n;
	memcpy(buf, line + line_taken, k);
	line_taken += k;
	return (long)k;
}

static long console_read(struct file *f, char __user *buf, size_t n, loff_t *pos)
{
	char kbuf[CHUNK];
	long got = tty_read_cooked(kbuf, n < CHUNK ? n : CHUNK);

	if (got > 0 && copy_to_user(buf, kbuf, (unsigned long)got)) {
		line_taken -= (size_t)got;	/* not taken after all */
		return -EFAULT;
	}
	return got;
}

static long console_kread(struct file *f, char *buf, size_t n, loff_t *pos)
{
	return tty_read_cooked(buf, n);
}

static long console_fwrite(struct file *f, const char __user *buf, size_t n, loff_t *pos)
{
	char kbuf[CHUNK];
	size_t done = 0;

	while (done < n) {
		size_t k = n - done < CHUNK ? n - done : CHUNK;
		size_t left = copy_from_user(kbuf, buf + done, k);

		console_write(kbuf, k - left);
		done += k - left;
		if (left)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

void tty_winsize(unsigned int *rows, unsigned int *cols)
{
	if (efifb.vc) {
		*rows = efifb.vc->rows;
		*cols = efifb.vc->cols;
	} else {
		*rows = 25;
		*cols = 80;
	}
}

static long console_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case TCGETS: {
		struct termios t = {
			.c_iflag = 0x0500,	/* ICRNL | IXON */
			.c_oflag = 0x0005,	/* OPOST | ONLCR */
			.c_cflag = 0x04bf,	/* B38400 | CS8 | CREAD | HUPCL */
			.c_lflag = 0x8a3b,	/* ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN */
			.c_cc = { 3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a,
				  0, 0x12, 0x0f, 0x17, 0x16, 0 },
		};

		return copy_to_user((void __user *)arg, &t, sizeof(t)) ? -EFAULT : 0;
	}
	case TIOCGWINSZ: {
		struct winsize w = { 0 };
		unsigned int rows, cols;

		tty_winsize(&rows, &cols);
		w.ws_row = (uint16_t)rows;
		w.ws_col = (uint16_t)cols;
		return copy_to_user((void __user *)arg, &w, sizeof(w)) ? -EFAULT : 0;
	}
	}
	return -ENOTTY;
}

static loff_t no_llseek(struct file *f, loff_t offset, int whence)
{
	return -ESPIPE;
}

const struct file_operations console_fops = {
	.read = console_read,
	.kread = console_kread,
	.write = console_fwrite,
	.ioctl = console_ioctl,
	.llseek = no_llseek,
};

static long null_read(struct file *f, char __user *buf, size_t n, loff_t *pos)
{
	return 0;
}

static long null_kread(struct file *f, char *buf, size_t n, loff_t *pos)
{
	return 0;
}

static long null_write(struct file *f, const char __user *buf, size_t n, loff_t *pos)
{
	return (long)n;
}

static loff_t null_llseek(struct file *f, loff_t offset, int whence)
{
	return f->f_pos = 0;
}

const struct file_operations null_fops = {
	.read = null_read,
	.kread = null_kread,
	.write = null_write,
	.llseek = null_llseek,
};

/* A character device in dir unless the archive made that name already. */
static int mknod(struct inode *dir, const char *name, unsigned int mode,
		 unsigned int major, unsigned int minor, const struct file_operations *fop)
{
	struct inode *i;

	if (ramfs_find(dir, name, strlen(name)))
		return 0;
	i = ramfs_new(dir, name, strlen(name), S_IFCHR | mode);
	if (!i)
		return -ENOMEM;
	i->i_rdev = major << 8 | minor;
	i->i_fop = fop;
	return 0;
}

int dev_init(void)
{
	struct inode *dev = ramfs_kernel_dir("dev", 0755);

	if (dev == ERR_PTR(-ENOTDIR)) {
		pr_err("initramfs: /dev is not a directory: no /dev/console\n");
		return 0;
	}
	if (IS_ERR(dev))
		return (int)PTR_ERR(dev);
	if (mknod(dev, "console", 0600, 5, 1, &console_fops) ||
	    mknod(dev, "tty", 0666, 5, 0, &console_fops) ||
	    mknod(dev, "null", 0666, 1, 3, &null_fops))
		return -ENOMEM;
	return 0;
}
