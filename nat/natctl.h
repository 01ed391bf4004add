/* natctl.h - natctl's internal interfaces: the command table, parsed operations, runners. */
#ifndef NATCTL_H
#define NATCTL_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/if.h>

#include "nftnat.h"
#include "out.h"
#include "parse.h"

#define PROG "natctl"

/* Exit statuses (natctl.8, EXIT STATUS). */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct cmd;
struct hn_ctx;
struct hn_nft_batch;

/* One parsed command line: what to do, with every argument validated. */
struct op {
	const struct cmd *cmd;
	const char *where;		/* "FILE:LINE: " in a batch, else "" */
	int family;
	bool on, replace;
	char dev[IFNAMSIZ];
	struct hn_addr addr;
	struct hn_nftnat_item item;	/* nftables commands */
};

struct undo;

/* The changes made so far outside nftables, to take back if the batch fails. */
struct journal {
	struct undo *v;
	size_t n, cap;
	size_t done;			/* entries of commands that succeeded */
};

/* Everything one natctl run shares. */
struct run {
	struct hn_ctx *ctx;
	struct hn_out out;
	bool json;
	struct hn_nftnat_state st;	/* natctl's tables as read, then as planned */
	struct journal journal;
};

/*
 * A command: "<object> <verb>" and its argument count, a parser that
 * fills an op (and prints "what: why" on failure), and what applies it.
 * nft commands, those with no run, are collected into one transaction;
 * the others run alone.
 */
struct cmd {
	const char *obj, *verb;
	int min, max;
	int (*parse)(struct op *op, int argc, char **argv);
	int (*run)(struct run *r, struct op *op);	/* NULL for nft commands */
	bool del;
	bool change;				/* run changes the host (journaled) */
	const char *args;			/* synopsis, for help */
};

/* An nftables command: planned into the one transaction, never run alone. */
static inline bool cmd_is_nft(const struct cmd *c)
{
	return !c->run;
}

extern const struct cmd natctl_cmds[];
extern const size_t natctl_ncmds;

void op_err(const struct op *op, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int op_fail(const struct op *op, struct hn_ctx *ctx, int rc);

/* parse.c: one per grammar shape; 0 or -EINVAL after printing why. */
int parse_none(struct op *op, int argc, char **argv);
int parse_forwarding(struct op *op, int argc, char **argv);
int parse_proxy(struct op *op, int argc, char **argv);
int parse_addr_dev(struct op *op, int argc, char **argv);
int parse_nat(struct op *op, int argc, char **argv);

int nat_plan(struct hn_nftnat_state *st, struct op *op, struct hn_nft_batch *b);
int nat_check_devs(struct run *r, struct op *ops, size_t n);
int nat_list(struct run *r, struct op *op);
int publish_list(struct run *r, struct op *op);
int route_list(struct run *r, struct op *op);
int nat_doctor(struct run *r, struct op *op);
/* journal.c: note each change before or after it is made; undo newest first. */
int journal_sysctl(struct run *r, const struct op *op, const char *name);
int journal_forwarding(struct run *r, const struct op *op, const char *name);
int journal_route(struct run *r, const struct op *op, bool added, const char *old_dev);
int journal_publish(struct run *r, const struct op *op);
size_t journal_undo(struct run *r);
void journal_free(struct journal *j);

void nat_print_item(struct hn_out *o, const struct hn_nftnat_item *it);

#endif
