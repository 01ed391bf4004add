/* cmd.c - slirp 1.0's command language (argv words and ~/.slirprc lines): pure code. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "words.h"

#define MAXWORDS 8

struct words {
	char *buf;
	char *w[MAXWORDS];
	int n;
};

typedef enum sl_cmd_rc (*cmd_fn)(struct sl_conf *c, struct words *ws, char *why, size_t wl);

/* Split a copy of @line into words (hn_words_split's rule); -ENOMEM or -E2BIG. */
static int split(const char *line, struct words *ws)
{
	ws->buf = strdup(line);
	if (!ws->buf)
		return -ENOMEM;
	ws->n = hn_words_split(ws->buf, ws->w, MAXWORDS);
	return ws->n < 0 ? ws->n : 0;
}

static bool port(const char *s, uint16_t *p)
{
	char *end;
	unsigned long v;

	if (s[0] < '0' || s[0] > '9')
		return false;
	v = strtoul(s, &end, 10);
	if (*end || v < 1 || v > 65535)
		return false;
	*p = (uint16_t)v;
	return true;
}

static bool addr4(const char *s, uint32_t *a)
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1)
		return false;
	*a = in.s_addr;
	return true;
}

/* The reason: pre, then arg quoted and escaped when there is one, then post. */
static enum sl_cmd_rc errq(char *why, size_t wl, const char *pre, const char *arg, const char *post)
{
	char q[64];

	if (!arg)
		snprintf(why, wl, "%s%s", pre, post);
	else {
		sl_escape(arg, q, sizeof(q));
		snprintf(why, wl, "%s\"%s\"%s", pre, q, post);
	}
	return SL_CMD_ERR;
}

static enum sl_cmd_rc err(char *why, size_t wl, const char *msg)
{
	return errq(why, wl, msg, NULL, "");
}

/* [ADDR:]GUESTPORT */
static enum sl_cmd_rc guest(struct sl_redir *r, const char *s, char *why, size_t wl)
{
	const char *colon = strrchr(s, ':');
	char a[64];

	if (colon) {
		if ((size_t)(colon - s) >= sizeof(a))
			return errq(why, wl, "bad guest address ", s, "");
		memcpy(a, s, (size_t)(colon - s));
		a[colon - s] = '\0';
		if (!addr4(a, &r->gaddr) || r->gaddr == 0)
			return errq(why, wl, "bad guest address ", a, "");
		s = colon + 1;
	}
	if (!port(s, &r->gport))
		return errq(why, wl, "bad guest port ", s, " (1-65535)");
	return SL_CMD_OK;
}

/* redir [once|time] [tcp|udp] HOSTPORT [to] [ADDR:]GUESTPORT */
static enum sl_cmd_rc cmd_redir(struct sl_conf *c, struct words *ws, char *why, size_t wl)
{
	struct sl_redir r = { 0 };
	int i = 1;

	if (i < ws->n && !strcmp(ws->w[i], "X"))
		return err(why, wl, "not supported: X forwarding (use ssh -X in the guest)");
	if (i < ws->n && !strcmp(ws->w[i], "once"))
		r.mode = SL_REDIR_ONCE, i++;
	else if (i < ws->n && !strcmp(ws->w[i], "time"))
		r.mode = SL_REDIR_TIME, i++;
	if (i < ws->n && (!strcmp(ws->w[i], "tcp") || !strcmp(ws->w[i], "udp")))
		r.udp = !strcmp(ws->w[i++], "udp");
	if (r.mode == SL_REDIR_ONCE && r.udp)
		return err(why, wl, "\"once\" is for tcp only");
	if (r.mode == SL_REDIR_TIME && !r.udp)
		return err(why, wl, "\"time\" is for udp only (write: redir time udp ...)");
	if (i >= ws->n)
		return err(why, wl, "missing host port");
	if (!port(ws->w[i], &r.hport))
		return errq(why, wl, "bad host port ", ws->w[i], " (1-65535)");
	i++;
	if (i < ws->n && !strcmp(ws->w[i], "to"))
		i++;
	if (i >= ws->n)
		return err(why, wl, "missing guest port");
	if (guest(&r, ws->w[i++], why, wl) != SL_CMD_OK)
		return SL_CMD_ERR;
	if (i < ws->n)
		return errq(why, wl, "unexpected ", ws->w[i], "");
	for (unsigned int k = 0; k < c->nredir; k++)
		if (c->redir[k].udp == r.udp && c->redir[k].hport == r.hport)
			return err(why, wl, "host port already redirected");
	if (c->nredir == SL_REDIR_MAX)
		return err(why, wl, "too many redirections");
	c->redir[c->nredir++] = r;
	return SL_CMD_OK;
}

static enum sl_cmd_rc cmd_dns(struct sl_conf *c, struct words *ws, char *why, size_t wl)
{
	if (ws->n != 2)
		return err(why, wl, "usage: dns ADDR");
	if (!addr4(ws->w[1], &c->dns) || c->dns == 0 || c->dns == 0xffffffffu)
		return errq(why, wl, "bad address ", ws->w[1], "");
	return SL_CMD_OK;
}

static enum sl_cmd_rc cmd_mtu(struct sl_conf *c, struct words *ws, char *why, size_t wl)
{
	char *end;
	unsigned long v;

	if (ws->n != 2)
		return err(why, wl, "usage: mtu N");
	v = strtoul(ws->w[1], &end, 10);
	if (ws->w[1][0] < '0' || ws->w[1][0] > '9' || *end || v < 68 || v > 1500)
		return errq(why, wl, "bad MTU ", ws->w[1],
			" (68-1500: UML's slip device takes 1500 at most)");
	c->mtu = (unsigned int)v;
	return SL_CMD_OK;
}

/* Serial-line settings: nothing to do on a socket pair. */
static enum sl_cmd_rc cmd_ignore(struct sl_conf *c, struct words *ws, char *why, size_t wl)
{
	(void)c;
	return snprintf(why, wl, "ignored: \"%s\" meant something only on a serial line",
		ws->w[0]), SL_CMD_IGNORED;
}

static enum sl_cmd_rc cmd_unsupported(struct sl_conf *c, struct words *ws, char *why, size_t wl)
{
	(void)c;
	return errq(why, wl, "not supported: ", ws->w[0], " (see COMPATIBILITY in slirp(1))");
}

static const struct {
	const char *name;
	cmd_fn fn;
} cmds[] = {
	{ "redir", cmd_redir },
	{ "dns", cmd_dns },
	{ "mtu", cmd_mtu },
	{ "baudrate", cmd_ignore },
	{ "mru", cmd_ignore },
	{ "ppp", cmd_ignore },
	{ "asyncmap", cmd_ignore },
	{ "escape", cmd_ignore },
	{ "keepalive", cmd_ignore },
	{ "nozeros", cmd_ignore },
	{ "host", cmd_unsupported },
	{ "add", cmd_unsupported },
	{ "socket", cmd_unsupported },
	{ "shell", cmd_unsupported },
	{ "tty", cmd_unsupported },
};

/* The command named by the first word. */
static enum sl_cmd_rc run(struct sl_conf *c, struct words *ws, char *why, size_t wl)
{
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(ws->w[0], cmds[i].name))
			return cmds[i].fn(c, ws, why, wl);
	return errq(why, wl, "unknown command ", ws->w[0], "");
}

/**
 * sl_cmd_parse - parse one slirp 1.0 command into the configuration
 * @c: the configuration, changed only on SL_CMD_OK
 * @line: one argv word or one ~/.slirprc line (words and comment as hn_words_split() says)
 * @why: receives the reason on SL_CMD_ERR, the warning on SL_CMD_IGNORED
 * @whylen: its size
 *
 * Return: SL_CMD_OK, SL_CMD_IGNORED (a serial-line setting: warn once) or
 * SL_CMD_ERR (unknown, unsupported or malformed command).
 */
enum sl_cmd_rc sl_cmd_parse(struct sl_conf *c, const char *line, char *why, size_t whylen)
{
	struct words ws;
	enum sl_cmd_rc rc;
	int e = split(line, &ws);

	if (e == -ENOMEM)
		return err(why, whylen, "out of memory");
	if (e < 0)
		rc = err(why, whylen, "too long");
	else if (ws.n == 0)
		rc = err(why, whylen, "empty command");
	else
		rc = run(c, &ws, why, whylen);
	free(ws.buf);
	return rc;
}

/**
 * sl_cmd_blank - whether a ~/.slirprc line holds no command: blanks and a
 * comment at most (hn_words_split()'s rule, the one of slirp(1))
 *
 * Return: true for a line to skip; false for a command, or when out of
 * memory (sl_cmd_parse() then says so).
 */
bool sl_cmd_blank(const char *line)
{
	char *copy = strdup(line);
	bool blank = copy && hn_words_split(copy, NULL, 0) == 0;

	free(copy);
	return blank;
}

/**
 * sl_escape - copy a string for a diagnostic, cut with "..." when it does not
 * fit; the bytes themselves are escaped once, where the message is printed
 * (hn_log_escape() in the tool's log functions), so they are not here
 * @in: the string
 * @out: the buffer
 * @outlen: its size (at least 8)
 *
 * Return: the length written.
 */
size_t sl_escape(const char *in, char *out, size_t outlen)
{
	size_t n = strlen(in);

	if (n + 1 <= outlen) {
		memcpy(out, in, n + 1);
		return n;
	}
	memcpy(out, in, outlen - 4);
	memcpy(out + outlen - 4, "...", 4);
	return outlen - 1;
}
