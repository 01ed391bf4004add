/* sw.h - the uml_switch daemon's state, shared by main.c, sock.c, daemon.c and status.c. */
#ifndef SW_SW_H
#define SW_SW_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/un.h>
#include <net/if.h>
#include <time.h>

#include "core.h"
#include "req.h"

#define SW_CTL_DEFAULT	"/tmp/uml.ctl"		/* UML's CONFIG_UML_NET_DAEMON_DEFAULT_SOCK */
#define SW_DATA_V0	"/tmp/uml.data"		/* -compat-v0's data socket */
#define SW_PORTS_DEFAULT 64
#define SW_PENDING_MAX	16			/* connections not yet attached or answered */

struct sw_opts {
	const char *ctl;	/* control socket path */
	const char *data;	/* -compat-v0: data socket path; else NULL (abstract) */
	const char *tap;
	bool hub, daemon, compat_v0, status, json;
	unsigned int ports;
	unsigned int ageing;
};

enum sw_port_kind { SW_PORT_FREE, SW_PORT_UNIX, SW_PORT_TAP };

struct sw_port {
	enum sw_port_kind kind;
	int ctl;			/* control connection; -1 for the tap */
	int version;
	struct sockaddr_un addr;	/* data address, normalised (see sock.c) */
	pid_t pid;
	uid_t uid;
	time_t since;
	bool noisy;			/* already logged stray control bytes */
	int32_t hnext;			/* address hash chain */
	unsigned long long rx, tx, drops;
};

struct sw_conn {
	int fd;				/* -1: slot free */
	pid_t pid;
	uid_t uid;
	uint64_t seq;			/* accept order: the oldest pending is dropped first */
	char *out;			/* status reply still to send */
	size_t len, off;
};

struct sw_stats {
	unsigned long long frames, unicast, flooded, local, runt, giant, unknown_src, send_err;
};

struct sw {
	struct sw_opts o;
	char ctl_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int lfd, dfd, tfd, efd, sfd;
	struct sockaddr_un daddr;	/* our data address, as replied */
	dev_t ctl_dev;			/* the control socket file we made, to unlink only it */
	ino_t ctl_ino;
	dev_t data_dev;			/* the same for -compat-v0's data socket */
	ino_t data_ino;
	unsigned int nports;		/* attached */
	unsigned int tap_port;
	struct sw_port *port;		/* o.ports entries */
	int32_t *abucket;		/* address hash: o.ports buckets */
	struct sw_conn conn[SW_PENDING_MAX];
	uint64_t seq;
	struct sw_core core;
	struct sw_stats st;
	time_t started;
};

/* main.c */
void sw_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
extern bool sw_use_syslog;
const char *sw_shown(const char *str);

/* sock.c */
int sw_bind_path(int fd, const char *path, dev_t *dev, ino_t *ino, const char **why);
void sw_unlink_ours(const char *path, dev_t dev, ino_t ino);
int sw_check_client_path(const struct sockaddr_un *a, uid_t uid, const char **why);
void sw_addr_normalise(struct sockaddr_un *a);
unsigned int sw_addr_hash(const struct sockaddr_un *a, unsigned int n);
time_t sw_now(void);

/* daemon.c */
int sw_setup(struct sw *s);
int sw_run(struct sw *s);
void sw_teardown(struct sw *s);

/* status.c */
int sw_status_render(const struct sw *s, bool json, char **buf, size_t *len);
int sw_status_query(const char *ctl, bool json);

#endif
