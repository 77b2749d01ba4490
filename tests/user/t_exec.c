// SPDX-License-Identifier: MIT
/*
 * t_exec: execve (man 2 execve) of the helper t_echoargs, which checks
 * argv, envp and its auxiliary vector from the inside and answers with
 * its exit status; of its static-PIE (ET_DYN) build; the errors ENOENT,
 * ENOEXEC (an executable text file), EACCES (a directory, a file
 * without execute permission), EFAULT; the pid kept across exec; and on
 * our kernel, that exec frees the old address space: a chain of execs,
 * each after touching 1000 pages, finds MemFree exactly where the first
 * found it.
 */
#include "user.h"

#define KERNEL_PTR	((void *)0xc0000000)

static char sbuf[32];

/* The helper's path: /bin/NAME in the initramfs. */
static const char *bin(const char *name)
{
	static char b[2][256];
	static int n;
	char *p = b[n++ & 1];

	snprintf(p, sizeof(b[0]), "%s/%s", root_path("/bin"), name);
	return p;
}

/* fork, execve(path, argv, envp) in the child; the child's wait4 status
 * (exit 127 when the execve itself failed, with a diagnostic). */
static int spawn(const char *path, char *const argv[], char *const envp[])
{
	long pid = sys_fork();

	if (pid == 0) {
		long r = sys_execve(path, argv, envp);

		ktap_diag("execve %s: %s", path, errname(r));
		sys_exit_group(127);
	}
	if (pid < 0)
		return (int)pid;
	return wait_status((int)pid);
}

static bool exited_0(int st, const char *what)
{
	ktap_diag("%s: %s", what, status_str(st, sbuf, sizeof(sbuf)));
	return CHECK_EQ(st, 0);
}

static int exec_with(const char *name)
{
	const char *path = bin(name);
	char *argv[] = { (char *)path, "args", "one", "two words", "", "last", NULL };
	char *envp[] = { "A=1", "B=two words", "EMPTY=", NULL };

	return exited_0(spawn(path, argv, envp), name);
}

static int exec_argv_envp_auxv(void)
{
	return exec_with("t_echoargs");
}

static int exec_et_dyn(void)
{
	return exec_with("t_echoargs_pie");
}

static int exec_keeps_pid(void)
{
	char pid_s[16];
	const char *path = bin("t_echoargs");
	char *argv[] = { (char *)path, "pid", pid_s, NULL };
	char *envp[] = { NULL };
	long pid = sys_fork();

	if (pid == 0) {
		snprintf(pid_s, sizeof(pid_s), "%ld", sys_getpid());
		sys_execve(path, argv, envp);
		sys_exit_group(127);
	}
	return CHECK(pid > 0) && exited_0(wait_status((int)pid), "pid after exec");
}

static int exec_errors(void)
{
	char *argv[] = { "x", NULL };
	char *bad_argv[] = { "x", KERNEL_PTR, NULL };
	char *envp[] = { NULL };
	const char *echo = bin("t_echoargs");

	return CHECK_EQ(sys_execve(root_path("/bin/nope"), argv, envp), -ENOENT) &&
		CHECK_EQ(sys_execve(root_path("/nope/t_echoargs"), argv, envp), -ENOENT) &&
		CHECK_EQ(sys_execve(bin("notelf"), argv, envp), -ENOEXEC) &&
		CHECK_EQ(sys_execve(root_path("/test"), argv, envp), -EACCES) &&
		CHECK_EQ(sys_execve(root_path("/test/hello.txt"), argv, envp), -EACCES) &&
		CHECK_EQ(sys_execve(root_path("/test/hello.txt/x"), argv, envp), -ENOTDIR) &&
		CHECK_EQ(sys_execve(KERNEL_PTR, argv, envp), -EFAULT) &&
		CHECK_EQ(sys_execve(NULL, argv, envp), -EFAULT) &&
		CHECK_EQ(sys_execve(echo, KERNEL_PTR, envp), -EFAULT) &&
		CHECK_EQ(sys_execve(echo, bad_argv, envp), -EFAULT) &&
		CHECK_EQ(sys_execve(echo, argv, KERNEL_PTR), -EFAULT) &&
		CHECK_EQ(sys_execve(echo, argv, bad_argv), -EFAULT);
}

/* After all those failures this process still runs its own code. */
static int failed_exec_leaves_process(void)
{
	static int marker = 1234;

	return CHECK_EQ(marker, 1234) && CHECK(sys_getpid() > 0);
}

static int exec_frees_old_address_space(void)
{
	const char *path = bin("t_echoargs");
	char *argv[] = { (char *)path, "memchain", "5", "-", NULL };
	char *envp[] = { NULL };

	if (!on_our_kernel())
		return skip("not our kernel: /proc/meminfo has no VmaCount:/MmCount: lines");
	return exited_0(spawn(path, argv, envp), "5 execs after 1000 pages each");
}

static const struct ktap_case cases[] = {
	{ "exec_argv_envp_auxv", exec_argv_envp_auxv },
	{ "exec_et_dyn_static_pie", exec_et_dyn },
	{ "exec_keeps_pid", exec_keeps_pid },
	{ "exec_enoent_enoexec_eacces_enotdir_efault", exec_errors },
	{ "failed_exec_leaves_process", failed_exec_leaves_process },
	{ "exec_frees_old_address_space", exec_frees_old_address_space },
};

KTAP_MAIN(cases)
