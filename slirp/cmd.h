/* cmd.h - slirp 1.0's command language (argv words and ~/.slirprc lines): pure code. */
#ifndef HN_SLIRP_CMD_H
#define HN_SLIRP_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sl_redir_mode { SL_REDIR_KEEP, SL_REDIR_ONCE, SL_REDIR_TIME };

struct sl_redir {
	bool udp;
	enum sl_redir_mode mode;
	uint16_t hport, gport;
	uint32_t gaddr;		/* network order; 0: the default guest address */
};

#define SL_REDIR_MAX 64

struct sl_conf {
	struct sl_redir redir[SL_REDIR_MAX];
	unsigned int nredir;
	uint32_t dns;		/* `dns ADDR`, network order; 0: libslirp's /etc/resolv.conf */
	unsigned int mtu;	/* `mtu N`; 0: not given */
};

enum sl_cmd_rc { SL_CMD_OK, SL_CMD_IGNORED, SL_CMD_ERR };

enum sl_cmd_rc sl_cmd_parse(struct sl_conf *c, const char *line, char *why, size_t whylen);
bool sl_cmd_blank(const char *line);
size_t sl_escape(const char *in, char *out, size_t outlen);

#endif
