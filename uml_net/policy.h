/* policy.h - uml_net's access policy: the uml_net.conf(5) grammar and the decisions made from it. */
#ifndef UML_NET_POLICY_H
#define UML_NET_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <linux/if.h>

#define POLICY_LINE_MAX		1024	/* longer lines are an error, never truncated */
#define POLICY_FILE_MAX		(64 * 1024)
#define POLICY_TAPS_MAX		1024
#define POLICY_TAPS_DEFAULT	4	/* when no "taps" rule applies to the caller */
#define POLICY_WHY_MAX		192

enum policy_subject { POLICY_ALL, POLICY_USER, POLICY_GROUP };

enum policy_object {
	POLICY_EVERYTHING,	/* "deny <who>" with nothing after it */
	POLICY_GATE,
	POLICY_ROUTE,
	POLICY_PUBLISH,
	POLICY_BRIDGE,
	POLICY_TAPS,
	POLICY_FORWARD,
};

struct policy_rule {
	bool allow;
	enum policy_subject subject;
	uint32_t id;			/* uid or gid */
	enum policy_object object;
	struct in_addr net;		/* gate, route: network, host order bits masked */
	unsigned int len;		/* gate, route: prefix length */
	char ifname[IFNAMSIZ];		/* publish, bridge */
	unsigned long taps;		/* taps */
	unsigned int line;
};

struct policy {
	char file[256];			/* for "file:line" in reasons */
	struct policy_rule *rules;
	size_t n, cap;
};

/* Who asks: the real uid, real gid and supplementary groups. */
struct policy_caller {
	uid_t uid;
	gid_t gid;
	const gid_t *groups;
	size_t ngroups;
};

/* Receives each "file:line: what" parse error. */
typedef void (*policy_error_cb)(const char *msg, void *arg);

void policy_init(struct policy *p, const char *file);
void policy_free(struct policy *p);
int policy_parse(struct policy *p, const char *text, size_t len,
		 policy_error_cb cb, void *arg);

bool policy_gate(const struct policy *p, const struct policy_caller *c,
		 struct in_addr a, char *why, size_t n);
bool policy_route(const struct policy *p, const struct policy_caller *c,
		  struct in_addr a, char *why, size_t n);
bool policy_publish(const struct policy *p, const struct policy_caller *c,
		    const char *ifname, char *why, size_t n);
bool policy_bridge(const struct policy *p, const struct policy_caller *c,
		   char bridge[IFNAMSIZ]);
bool policy_bridge_allowed(const struct policy *p, const struct policy_caller *c,
			   const char *bridge, char *why, size_t n);
unsigned long policy_max_taps(const struct policy *p, const struct policy_caller *c);
bool policy_forward(const struct policy *p, const struct policy_caller *c,
		    char *why, size_t n);

#endif
