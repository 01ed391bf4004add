/* run.h - one uml_net call's state: the parsed request, the answer being built, the policy and caller. */
#ifndef UML_NET_RUN_H
#define UML_NET_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <linux/if.h>

#include "nl.h"
#include "policy.h"

#ifndef UML_NET_LOG
#define UML_NET_LOG	"/dev/log"	/* syslog; the test build's is under its /run directory */
#endif

#define UM_TEXT_MAX 2048	/* well below UML's 4095 - 16 byte datagram limit */

/* How UML expects the answer: tuntap up, one datagram (16-byte name, text, the
 * fd by SCM_RIGHTS); add/del, a length word then that many bytes of text. */
enum wire {
	WIRE_STDERR,		/* refusals before any protocol: text on stderr only */
	WIRE_DGRAM,		/* tuntap up: one datagram, name + text + the tap fd */
	WIRE_BLOCK,		/* add, del, slip: int32 length + NUL-terminated text */
	WIRE_ETHERTAP,		/* one status byte, then a block */
	WIRE_CHECK,		/* --check: a verdict on stdout */
	WIRE_QEMU,		/* qemu-bridge-helper: one byte + the tap fd on --fd, text on stderr */
};

enum um_op { UM_NONE, UM_UP, UM_ADD, UM_DEL, UM_SLIP_UP, UM_SLIP_DOWN, UM_ETHERTAP,
	     UM_BRIDGE /* QEMU's helper: a tap on bridge dev */ };

/* The arguments, validated: nothing here is used before it is parsed. */
struct um_req {
	enum um_op op;
	bool has_gate;
	struct in_addr gate;		/* tuntap up, slip up */
	char dev[IFNAMSIZ];		/* add, del; the bridge for UM_BRIDGE */
	int fd;				/* UM_BRIDGE: --fd, QEMU's socket */
	bool vnet;			/* UM_BRIDGE: --use-vnet */
	struct in_addr addr, mask;	/* add, del */
	unsigned int masklen;
	char line[256];			/* the request as printable text, for logs */
};

struct um_run {
	struct um_req req;
	int wire;			/* how the answer goes back (main.c) */
	char text[UM_TEXT_MAX];		/* the answer, always NUL-terminated */
	size_t len;
	struct policy pol;
	struct policy_caller who;
	gid_t *groups;
	struct hn_ctx ctx;
	const char *policy_path;
	bool check, check_perms, syntax_error;
	char policy_bad[POLICY_WHY_MAX + 64];	/* why the policy is empty, or "" */
	int log_rc;			/* 0, or why the syslog socket could not be opened */
	int lock_fd;			/* UML_NET_LOCK (lock.c), or -errno */
	int clone_fd;			/* /dev/net/tun, opened before the drop, or -errno */
	int tap_fd;			/* tuntap up: the fd sent back, or -1 */
	char tap[IFNAMSIZ];
};

#endif
