/* confine.c - after the drop, a seccomp allow-list of the system calls uml_net makes (x86-64; elsewhere a no-op). */
#include <errno.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "confine.h"

#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)

#define ALLOW(name) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_##name, 0, 1), \
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

/*
 * Files (policy, resolv.conf, NSS, sysctl), netlink and the answer socket,
 * tun and tty ioctls, memory, time, locks, exit. Anything else fails with
 * EPERM rather than killing: a call missed here makes a clean error, not a
 * half-done change. Another ABI (i386, x32) is killed outright.
 */
static struct sock_filter filter[] = {
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1),	/* x32 */
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
	ALLOW(read), ALLOW(write), ALLOW(close), ALLOW(openat), ALLOW(lseek),
	ALLOW(fstat), ALLOW(newfstatat), ALLOW(statx), ALLOW(fcntl), ALLOW(flock),
	ALLOW(ioctl), ALLOW(poll), ALLOW(ppoll),
	ALLOW(socket), ALLOW(connect), ALLOW(bind), ALLOW(getsockname),
	ALLOW(setsockopt), ALLOW(getsockopt), ALLOW(sendto), ALLOW(recvfrom),
	ALLOW(sendmsg), ALLOW(recvmsg),
	ALLOW(mmap), ALLOW(munmap), ALLOW(mprotect), ALLOW(brk), ALLOW(madvise),
	ALLOW(mremap), ALLOW(futex), ALLOW(getrandom),
	ALLOW(rt_sigaction), ALLOW(rt_sigprocmask), ALLOW(rt_sigreturn),
	ALLOW(clock_gettime), ALLOW(gettimeofday), ALLOW(nanosleep), ALLOW(clock_nanosleep),
	ALLOW(getpid), ALLOW(gettid), ALLOW(getuid), ALLOW(geteuid), ALLOW(getgid),
	ALLOW(getegid), ALLOW(exit), ALLOW(exit_group),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
};

/**
 * um_confine - install the allow-list (needs no_new_privs, set by the drop)
 *
 * Return: 0, or -errno (-EINVAL: a kernel without seccomp filters).
 */
int um_confine(void)
{
	struct sock_fprog prog = { sizeof(filter) / sizeof(filter[0]), filter };

	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0 ? -errno : 0;
}

#else

/* Sanitizer runtimes and other ABIs need calls this list does not know. */
int um_confine(void)
{
	return 0;
}

#endif
