/* uml_net - the helper UML kernels exec for tuntap and slip networking; safe to install setuid root or with cap_net_admin. */
#define _GNU_SOURCE	/* close_range, getresuid, clearenv */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cap-ng.h>

#include "act.h"
#include "args.h"
#include "confine.h"
#include "lock.h"
#include "log.h"
#include "nl.h"
#include "parse.h"
#include "policy.h"
#include "tun.h"

#define PROG		"uml_net"
#define POLICY_PATH	HN_SYSCONFDIR "/hostnet/uml_net.conf"
#define ANSWER_WAIT_MS	10000	/* a caller that never reads fd 1 */

/* ---- start-up: descriptors, environment, privileges --------------------- */

/*
 * libnl's constructors read NLDBG and NLCB before main. With libnl linked
 * statically (the default build) this runs before them (a numbered priority
 * runs before the unnumbered ones), so they find nothing; linked shared,
 * they run first and main undoes their effect (hn_nl_env_ignore).
 */
__attribute__((constructor(101))) static void clear_env_early(void)
{
	clearenv();
}

/*
 * What a caller can pass through exec to break a run half-way: blocked or
 * ignored signals, a pending alarm (ITIMER_REAL survives exec), tiny or
 * core-dumping rlimits. Reset them all, before anything else is done.
 */
static const struct {
	int res;
	rlim_t want;		/* soft and hard; else soft = hard */
} limits[] = {
	{ RLIMIT_CPU,    RLIM_INFINITY },
	{ RLIMIT_FSIZE,  RLIM_INFINITY },
	{ RLIMIT_DATA,   RLIM_INFINITY },
	{ RLIMIT_AS,     RLIM_INFINITY },
	{ RLIMIT_NOFILE, 1024 },
	{ RLIMIT_CORE,   0 },
};

static void reset_process(void)
{
	static const struct itimerval off;
	struct rlimit rl;
	sigset_t none;

	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		rl.rlim_cur = rl.rlim_max = limits[i].want;
		if (setrlimit(limits[i].res, &rl) == 0 || getrlimit(limits[i].res, &rl) < 0)
			continue;
		rl.rlim_cur = limits[i].want < rl.rlim_max ? limits[i].want : rl.rlim_max;
		setrlimit(limits[i].res, &rl);	/* without privilege: as far as the hard limit */
	}
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setitimer(ITIMER_REAL, &off, NULL);
	setitimer(ITIMER_VIRTUAL, &off, NULL);
	setitimer(ITIMER_PROF, &off, NULL);
}

/* fds 0-2 must be open, or the tap fd could land on "stderr". */
static void open_stdio(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (open("/dev/null", O_RDWR) != fd)
			_exit(1);
	}
}

/* Every fd above 2 but @keep (QEMU's socket, or -1). */
static void close_others(int keep)
{
	if (keep >= 3 && (keep == 3 || close_range(3, (unsigned int)keep - 1, 0) == 0) &&
	    close_range((unsigned int)keep + 1, ~0u, 0) == 0)
		return;
	if (keep < 3 && close_range(3, ~0u, 0) == 0)
		return;
	for (int fd = 3; fd < 65536; fd++)
		if (fd != keep)
			close(fd);
}

/*
 * QEMU's bridge helper mode: called by that name or QEMU's own (a link to uml_net, see
 * uml_net.8), or with --qemu first. Same start-up, drop, policy, lock,
 * audit and marks; only the argv and the answer differ.
 */
#define QEMU_NAME	"hostnet-bridge-helper"

static bool qemu_mode(int argc, char **argv)
{
	const char *base;

	if (argc > 1 && !strcmp(argv[1], "--qemu"))
		return true;
	if (argc < 1 || !argv[0])
		return false;
	base = strrchr(argv[0], '/');
	base = base ? base + 1 : argv[0];
	return !strcmp(base, QEMU_NAME) || !strcmp(base, "qemu-bridge-helper");	/* dpkg-divert, uml_net.8 */
}

/*
 * The one thing opened with the caller's privileges still ours: the tun
 * clone device (an fd that can do nothing until TUNSETIFF, which needs the
 * CAP_NET_ADMIN we keep). A setuid install then works with a 0600 node.
 */
static void open_clone(struct um_run *r)
{
	if (!r->check)
		r->clone_fd = hn_tun_open(HN_TUN_CLONE);
}

/*
 * Keep only CAP_NET_ADMIN (if we have it at all), as the caller's real uid
 * and gid. Setuid root: capng_change_id() moves every uid and gid to the
 * caller's and empties the bounding set. File capability: we already run
 * as the caller; just narrow the sets. --check keeps nothing.
 */
static int drop_privileges(bool keep)
{
	uid_t uid = getuid();
	gid_t gid = getgid();

	capng_get_caps_process();
	keep = keep && capng_have_capability(CAPNG_PERMITTED, CAP_NET_ADMIN);
	capng_clear(CAPNG_SELECT_BOTH);
	if (keep && capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED, CAP_NET_ADMIN) < 0)
		return -1;
	if (geteuid() != uid || getegid() != gid) {
		if (capng_change_id((int)uid, (int)gid, CAPNG_CLEAR_BOUNDING) < 0)
			return -1;
	} else if (capng_apply(CAPNG_SELECT_CAPS) < 0) {
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return -1;
	return 0;
}

/* Trust nothing of the above: every id is the caller's, no capability but NET_ADMIN. */
static int verify_privileges(bool keep)
{
	static const capng_type_t sets[] = { CAPNG_EFFECTIVE, CAPNG_PERMITTED, CAPNG_INHERITABLE };
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
		return -1;
	if (ru != eu || ru != su || rg != eg || rg != sg)
		return -1;
	if (capng_get_caps_process() < 0)
		return -1;
	for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++)
		for (unsigned int cap = 0; cap < 64; cap++)
			if (capng_have_capability(sets[s], cap) &&
			    (!keep || cap != CAP_NET_ADMIN || sets[s] == CAPNG_INHERITABLE))
				return -1;
	return 0;
}

static void load_caller(struct um_run *r)
{
	int n = getgroups(0, NULL);

	r->who.uid = getuid();
	r->who.gid = getgid();
	if (n > 0 && (r->groups = calloc((size_t)n, sizeof(gid_t))) != NULL) {
		n = getgroups(n, r->groups);
		r->who.groups = r->groups;
		r->who.ngroups = n > 0 ? (size_t)n : 0;
	}
}

/* ---- the policy file ----------------------------------------------------- */

static void policy_error(const char *msg, void *arg)
{
	struct um_run *r = arg;

	fprintf(stderr, PROG ": %s\n", msg);
	if (!r->policy_bad[0])
		snprintf(r->policy_bad, sizeof(r->policy_bad), "%s", msg);
}

/* doas's rule: the file counts only when root owns it and only root can write it. */
static int check_file(struct um_run *r, int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return snprintf(r->policy_bad, sizeof(r->policy_bad), "%s: %s",
				r->policy_path, strerror(errno)), -1;
	if (!S_ISREG(st.st_mode))
		return snprintf(r->policy_bad, sizeof(r->policy_bad), "%s: not a regular file",
				r->policy_path), -1;
	if (r->check_perms && (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))))
		return snprintf(r->policy_bad, sizeof(r->policy_bad),
				"%s: ignored: must be owned by root and writable by root only",
				r->policy_path), -1;
	return 0;
}

/* A directory on the policy's path: root's, and only root may write it. */
static int trusted_dir(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	return st.st_uid == 0 && !(st.st_mode & (S_IWGRP | S_IWOTH)) ? 0 : -EPERM;
}

/*
 * Open the policy as doas and sudo trust theirs: an absolute path walked one
 * component at a time from "/", no symbolic link anywhere (O_NOFOLLOW), every
 * directory on the way owned by root and writable by root only.
 * Return: the fd, or -errno (-EPERM: a directory fails the check, named in
 * @dir; -ELOOP or -ENOTDIR: a symbolic link).
 */
static int open_trusted(const char *path, char dir[PATH_MAX])
{
	char buf[PATH_MAX];
	char *name, *next;
	int at, fd, rc;

	if (path[0] != '/' || strlen(path) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, path);
	strcpy(dir, "/");
	if ((at = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	for (name = buf + 1; (next = strchr(name, '/')) != NULL; name = next + 1) {
		*next = '\0';
		if ((rc = trusted_dir(at)) < 0)
			return close(at), rc;
		fd = openat(at, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		rc = -errno;
		close(at);
		if (fd < 0)
			return rc;
		at = fd;
		snprintf(dir, PATH_MAX, "%.*s", (int)(next - buf), path);
	}
	if ((rc = trusted_dir(at)) < 0)
		return close(at), rc;
	fd = openat(at, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	rc = -errno;
	close(at);
	return fd < 0 ? rc : fd;
}

/* Open the policy; -errno on failure, with the reason in r->policy_bad. */
static int open_policy(struct um_run *r)
{
	char dir[PATH_MAX] = "";
	int fd;

	if (!r->check_perms) {	/* --check --config: the caller's own draft */
		fd = open(r->policy_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
		fd = fd < 0 ? -errno : fd;
	} else {
		fd = open_trusted(r->policy_path, dir);
	}
	if (fd == -ENOENT)
		snprintf(r->policy_bad, sizeof(r->policy_bad), "%s: no policy file, so nothing is permitted",
			 r->policy_path);
	else if (fd == -EPERM)
		snprintf(r->policy_bad, sizeof(r->policy_bad),
			 "%s: ignored: directory %s must be owned by root and writable by root only",
			 r->policy_path, dir);
	else if (fd == -ELOOP || fd == -ENOTDIR)
		snprintf(r->policy_bad, sizeof(r->policy_bad),
			 "%s: ignored: a symbolic link or a non-directory on its path", r->policy_path);
	else if (fd < 0)
		snprintf(r->policy_bad, sizeof(r->policy_bad), "%s: %s", r->policy_path, strerror(-fd));
	return fd;
}

static ssize_t read_all(int fd, char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = read(fd, buf + got, n - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

/*
 * Read and parse the policy. Any problem leaves the policy empty, which
 * denies everything, and records why in r->policy_bad; a syntax error also
 * makes the exit status 2.
 */
static void load_policy(struct um_run *r)
{
	static char buf[POLICY_FILE_MAX + 1];
	int fd;
	ssize_t n;

	policy_init(&r->pol, r->policy_path);
	if ((fd = open_policy(r)) < 0)
		return;
	if (check_file(r, fd) < 0 || (n = read_all(fd, buf, sizeof(buf))) < 0) {
		if (!r->policy_bad[0])
			snprintf(r->policy_bad, sizeof(r->policy_bad), "%s: %s",
				 r->policy_path, strerror(errno));
		close(fd);
		return;
	}
	if (policy_parse(&r->pol, buf, (size_t)n, policy_error, r) > 0) {
		policy_free(&r->pol);
		r->syntax_error = true;
	}
	close(fd);
}

/* ---- answers ------------------------------------------------------------- */

/*
 * sendmsg on fd 1 (an AF_UNIX socket, checked) without ever blocking: wait
 * for room at most ANSWER_WAIT_MS in all, then give up with -ETIMEDOUT. A
 * datagram goes whole; a stream answer (one iovec) may go in pieces.
 */
static int send_all(struct msghdr *m, bool stream)
{
	struct pollfd p = { .fd = 1, .events = POLLOUT };
	struct timespec end, now;
	long left;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += ANSWER_WAIT_MS / 1000;
	for (;;) {
		ssize_t k = sendmsg(1, m, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (k >= 0 && (!stream || (size_t)k == m->msg_iov[0].iov_len))
			return 0;
		if (k > 0) {
			m->msg_iov[0].iov_base = (char *)m->msg_iov[0].iov_base + k;
			m->msg_iov[0].iov_len -= (size_t)k;
			continue;
		}
		if (k < 0 && errno != EAGAIN && errno != EINTR)
			return -errno;
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (end.tv_sec - now.tv_sec) * 1000 + (end.tv_nsec - now.tv_nsec) / 1000000;
		if (left <= 0)
			return -ETIMEDOUT;
		poll(&p, 1, (int)left);
	}
}

/* int32 length counting the NUL, then the text and its NUL, in one write. */
static int send_block(const struct um_run *r, bool status_byte)
{
	char buf[1 + sizeof(int32_t) + sizeof(r->text)];
	int32_t n = (int32_t)r->len + 1;
	size_t off = 0;

	if (status_byte)
		buf[off++] = 0;
	struct iovec iov = { buf, off + sizeof(n) + (size_t)n };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };

	memcpy(buf + off, &n, sizeof(n));
	memcpy(buf + off + sizeof(n), r->text, (size_t)n);
	return send_all(&m, true);
}

/* Room for one fd in a control message, aligned as a cmsghdr wants. */
union fd_cmsg {
	char buf[CMSG_SPACE(sizeof(int))];
	struct cmsghdr align;
};

/* Make @m carry @fd by SCM_RIGHTS, in the control buffer @u. */
static void carry_fd(struct msghdr *m, union fd_cmsg *u, int fd)
{
	struct cmsghdr *c;

	memset(u, 0, sizeof(*u));
	m->msg_control = u->buf;
	m->msg_controllen = sizeof(u->buf);
	c = CMSG_FIRSTHDR(m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
}

/* One datagram: 16-byte name (empty when there is no fd), text with NUL, the fd. */
static int send_dgram(const struct um_run *r)
{
	union fd_cmsg u;
	char name[IFNAMSIZ] = "";
	struct iovec iov[2] = {
		{ name, r->tap_fd >= 0 ? IFNAMSIZ : 0 },
		{ (void *)r->text, r->len + 1 },
	};
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };

	if (r->tap_fd >= 0) {
		memcpy(name, r->tap, IFNAMSIZ);
		carry_fd(&m, &u, r->tap_fd);
	}
	return send_all(&m, false);
}

/*
 * QEMU's recv_fd(): one byte of data (its value unused) carrying the tap fd
 * by SCM_RIGHTS, on the stream socket --fd names. Blocks at most
 * ANSWER_WAIT_MS, like the other answers.
 */
static int send_qemu(const struct um_run *r)
{
	union fd_cmsg u;
	char byte = 0;
	struct iovec iov = { &byte, 1 };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct pollfd p = { .fd = r->req.fd, .events = POLLOUT };

	carry_fd(&m, &u, r->tap_fd);
	for (int waited = 0;; waited += 100) {
		if (sendmsg(r->req.fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL) == 1)
			return 0;
		if (errno != EAGAIN && errno != EINTR)
			return -errno;
		if (waited >= ANSWER_WAIT_MS)
			return -ETIMEDOUT;
		poll(&p, 1, 100);
	}
}

/* QEMU mode: silent with the fd sent, else the text on stderr and status 1. */
static int answer_qemu(const struct um_run *r)
{
	int rc;

	if (r->tap_fd < 0) {
		fputs(r->text, stderr);
		return 1;
	}
	rc = send_qemu(r);
	if (rc == 0)
		return 0;
	fprintf(stderr, PROG ": --fd=%d: %s\n", r->req.fd, rc == -ETIMEDOUT ?
		"the descriptor was not taken in time; given up" : strerror(-rc));
	return 1;
}

/* Deliver r->text the way r->wire says; a failed delivery makes the exit status 1. */
static int answer(const struct um_run *r, int status)
{
	int rc = 0;

	switch (r->wire) {
	case WIRE_STDERR:
		fputs(r->text, stderr);
		break;
	case WIRE_CHECK:
		fputs(r->text, stdout);
		break;
	case WIRE_DGRAM:
		rc = send_dgram(r);
		break;
	case WIRE_QEMU:
		return answer_qemu(r);
	case WIRE_BLOCK:
	case WIRE_ETHERTAP:
		rc = send_block(r, r->wire == WIRE_ETHERTAP);
		break;
	}
	if (rc == -ETIMEDOUT)
		fprintf(stderr, PROG ": descriptor 1: the answer was not taken within %d s; given up\n",
			ANSWER_WAIT_MS / 1000);
	else if (rc < 0)
		fprintf(stderr, PROG ": descriptor 1: %s\n", strerror(-rc));
	return rc < 0 ? 1 : status;
}

/* ---- main ----------------------------------------------------------------- */

/* Privileges half dropped: nothing more may run, not even the answer. */
static void __attribute__((noreturn)) die_undropped(void)
{
	static const char msg[] = PROG ": cannot drop privileges; nothing done\n";

	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

/*
 * A framed answer goes only to the AF_UNIX socket UML passes as fd 1,
 * never into a file or a pipe the caller chose: else refuse, unchanged.
 */
static int check_reply_fd(struct um_run *r)
{
	int domain = 0, type = 0;
	socklen_t n = sizeof(domain), tn = sizeof(type);

	if (r->wire == WIRE_STDERR || r->wire == WIRE_CHECK)
		return 0;
	if (r->wire == WIRE_QEMU) {
		if (r->req.fd > 2 &&
		    getsockopt(r->req.fd, SOL_SOCKET, SO_DOMAIN, &domain, &n) == 0 && domain == AF_UNIX &&
		    getsockopt(r->req.fd, SOL_SOCKET, SO_TYPE, &type, &tn) == 0 && type == SOCK_STREAM)
			return 0;
		fprintf(stderr, PROG ": --fd=%d: not a UNIX-domain stream socket above 2 "
			"(the helper is run by QEMU); nothing done\n", r->req.fd);
		um_audit(r, false, "--fd is not a UNIX-domain stream socket");
		return -1;
	}
	if (getsockopt(1, SOL_SOCKET, SO_DOMAIN, &domain, &n) == 0 && domain == AF_UNIX)
		return 0;
	fprintf(stderr, PROG ": descriptor 1: not a UNIX-domain socket (uml_net is run by UML); nothing done\n");
	um_audit(r, false, "descriptor 1 is not a UNIX-domain socket");
	return -1;
}

/* A request refused before the policy is even read: its first line is the reason. */
static void audit_bad(const struct um_run *r)
{
	char why[160];
	size_t n = strcspn(r->text, "\n");

	snprintf(why, sizeof(why), "%.*s", (int)(n < sizeof(why) ? n : sizeof(why) - 1), r->text);
	um_audit(r, false, why);
}

static void __attribute__((noreturn)) check_usage(void)
{
	fprintf(stderr, "usage: " PROG " --check [--config FILE] [4 <transport> <args>...]\n");
	exit(2);
}

/* --check [--config FILE]: returns how many argv words it used. */
static int parse_check(struct um_run *r, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--check"))
		return 0;
	r->check = true;
	if (argc > 2 && !strcmp(argv[2], "--config")) {
		if (argc < 4 || !argv[3][0])
			check_usage();
		r->policy_path = argv[3];
		r->check_perms = false;
		return 3;
	}
	return 1;
}

static int run_check(struct um_run *r, int argc, char **argv)
{
	int status;

	load_policy(r);
	if (r->syntax_error)
		return 2;
	if (argc == 1 && r->policy_bad[0]) {
		fprintf(stderr, PROG ": %s\n", r->policy_bad);
		return 1;
	}
	if (argc == 1) {
		printf("%s: %zu rules, syntax ok\n", r->policy_path, r->pol.n);
		return 0;
	}
	status = um_parse_request(r, argc, argv);
	if (status >= 0) {
		r->wire = WIRE_STDERR;
		return answer(r, status == 0 ? 2 : status);
	}
	r->wire = WIRE_CHECK;
	return answer(r, um_evaluate(r, true) ? 0 : 1);
}

int main(int argc, char **argv)
{
	static struct um_run r = { .lock_fd = -EBADF, .tap_fd = -1, .clone_fd = -EBADF, .policy_path = POLICY_PATH,
				   .check_perms = true };
	bool qemu = qemu_mode(argc, argv);
	int skip, status, rc;

	hn_log_setprog(PROG);
	reset_process();
	open_stdio();
	close_others(qemu ? um_qemu_fd(argc, argv) : -1);
	umask(077);
	clearenv();
	hn_nl_env_ignore();
	signal(SIGPIPE, SIG_IGN);
	skip = qemu ? 0 : parse_check(&r, argc, argv);
	open_clone(&r);
	um_lock_open(&r);
	if (drop_privileges(!r.check) < 0 || verify_privileges(!r.check) < 0)
		die_undropped();
	r.log_rc = hn_log_syslog_open(UML_NET_LOG);
	load_caller(&r);
	if ((rc = um_confine()) < 0 && rc != -EINVAL)
		die_undropped();
	if (r.check) {
		argv[skip] = argv[0];
		return run_check(&r, argc - skip, argv + skip);
	}
	status = qemu ? um_parse_qemu(&r, argc, argv) : um_parse_request(&r, argc, argv);
	if (r.req.op != UM_UP && r.req.op != UM_BRIDGE && r.clone_fd >= 0)
		close(r.clone_fd), r.clone_fd = -EBADF;	/* only tuntap up makes a tap */
	if (check_reply_fd(&r) < 0)
		return 1;
	if (status >= 0) {
		audit_bad(&r);
		return answer(&r, status);
	}
	load_policy(&r);
	hn_ctx_init(&r.ctx);
	status = um_act(&r);
	um_unlock(&r);
	status = answer(&r, status);
	hn_ctx_fini(&r.ctx);
	return status;
}
