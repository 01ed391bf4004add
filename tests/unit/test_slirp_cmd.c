/* test_slirp_cmd.c - slirp 1.0's command language: redir forms, dns, mtu, ignored and refused commands. */
#include <arpa/inet.h>
#include <string.h>

#include "unit.h"
#include "../../slirp/cmd.h"

static struct sl_conf c;
static char why[256];

static enum sl_cmd_rc parse(const char *line)
{
	why[0] = '\0';
	return sl_cmd_parse(&c, line, why, sizeof(why));
}

static void test_redir(void)
{
	uint32_t a;

	is_int(parse("redir 80 80"), SL_CMD_OK, "seed 000: redir 80 80");
	is_int(parse("redir 23 2323"), SL_CMD_OK, "seed 000: redir 23 2323");
	ok(c.nredir == 2 && c.redir[1].hport == 23 && c.redir[1].gport == 2323 && !c.redir[1].udp &&
		c.redir[1].gaddr == 0, "first port the host's, second the guest's; tcp; default address");
	is_int(parse("redir tcp 5021 to 21"), SL_CMD_OK, "1.0's example with tcp and to");
	is_int(parse("redir udp 5353 10.0.2.14:53"), SL_CMD_OK, "udp with an address");
	inet_pton(AF_INET, "10.0.2.14", &a);
	ok(c.redir[3].udp && c.redir[3].gaddr == a && c.redir[3].gport == 53, "parsed into the struct");
	is_int(parse("redir once 6000 22"), SL_CMD_OK, "once (tcp default)");
	is_int(c.redir[4].mode, SL_REDIR_ONCE, "mode once");
	is_int(parse("redir time udp 6001 22"), SL_CMD_OK, "time udp");
	is_int(parse("redir\ttcp  6002\tto   22"), SL_CMD_OK, "tabs and runs of blanks");
	is_int(parse("redir 80 81"), SL_CMD_ERR, "a host port twice");
	is_str(why, "host port already redirected", "says why");
	is_int(parse("redir udp 80 81"), SL_CMD_OK, "the same port for udp is another forward");
	is_int(parse("redir 80 eighty"), SL_CMD_ERR, "bad guest port");
	is_str(why, "bad guest port \"eighty\" (1-65535)", "names the word");
	is_int(parse("redir 0 80"), SL_CMD_ERR, "host port 0");
	is_int(parse("redir 65536 80"), SL_CMD_ERR, "host port over 65535");
	is_int(parse("redir 8080 +80"), SL_CMD_ERR, "a sign");
	is_int(parse("redir 8080"), SL_CMD_ERR, "missing guest port");
	is_int(parse("redir 8080 80 extra"), SL_CMD_ERR, "trailing word");
	is_int(parse("redir once udp 8081 80"), SL_CMD_ERR, "once is tcp only");
	is_int(parse("redir time 8082 80"), SL_CMD_ERR, "time is udp only");
	is_int(parse("redir 8083 300.0.2.15:80"), SL_CMD_ERR, "bad address");
	is_int(parse("redir 8083 0.0.0.0:80"), SL_CMD_ERR, "address 0");
	is_int(parse("redir X"), SL_CMD_ERR, "redir X refused");
	ok(strstr(why, "not supported") != NULL, "as not supported");
	is_int(parse("redir 8084 \x01"), SL_CMD_ERR, "control byte");
	is_str(why, "bad guest port \"\001\" (1-65535)", "the reason quotes it as it is (printing escapes)");
}

static void test_others(void)
{
	uint32_t a;

	is_int(parse("dns 192.0.2.1"), SL_CMD_OK, "dns ADDR");
	inet_pton(AF_INET, "192.0.2.1", &a);
	is_int(c.dns, a, "stored");
	is_int(parse("dns"), SL_CMD_ERR, "dns without address");
	is_int(parse("dns example.org"), SL_CMD_ERR, "dns with a name");
	is_int(parse("mtu 1500"), SL_CMD_OK, "mtu 1500");
	is_int(parse("mtu 576"), SL_CMD_OK, "mtu 576");
	is_int(c.mtu, 576, "stored");
	is_int(parse("mtu 1501"), SL_CMD_ERR, "mtu over UML's 1500");
	is_int(parse("mtu 67"), SL_CMD_ERR, "mtu under 68");
	is_int(parse("mtu 1e3"), SL_CMD_ERR, "mtu junk");
	is_int(parse("baudrate 115200"), SL_CMD_IGNORED, "baudrate ignored");
	ok(strstr(why, "serial line") != NULL, "with the reason");
	is_int(parse("mru 1500"), SL_CMD_IGNORED, "mru ignored");
	is_int(parse("ppp"), SL_CMD_IGNORED, "ppp ignored");
	is_int(parse("host addr 192.0.2.9"), SL_CMD_ERR, "host addr refused");
	is_str(why, "not supported: \"host\" (see COMPATIBILITY in slirp(1))", "pointing at the man page");
	is_int(parse("add exec /bin/sh:23"), SL_CMD_ERR, "add exec refused");
	is_int(parse("redirect 80 80"), SL_CMD_ERR, "no prefix matching");
	is_str(why, "unknown command \"redirect\"", "unknown command named");
	is_int(parse(""), SL_CMD_ERR, "empty");
	is_int(parse("   "), SL_CMD_ERR, "blank");
	is_int(parse("# redir 80 80"), SL_CMD_ERR, "a comment alone is no command");
	is_int(parse("mtu 1400 # for the tunnel"), SL_CMD_OK, "a comment after a command");
	is_int(c.mtu, 1400, "the command before it kept");
	is_int(parse("mtu 1300#x"), SL_CMD_OK, "'#' inside a word starts the comment");
	is_int(parse("redir 1 2 3 4 5 6 7 8"), SL_CMD_ERR, "more than 8 words");
	is_str(why, "too long", "said as before");
	ok(sl_cmd_blank("") && sl_cmd_blank(" \t\r") && sl_cmd_blank("  # x"), "blank and comment lines skipped");
	ok(!sl_cmd_blank("mtu 1500") && !sl_cmd_blank(" mtu#"), "a line with a word is a command");
	char longl[400];
	memset(longl, 'a', sizeof(longl) - 1);
	longl[sizeof(longl) - 1] = '\0';
	is_int(parse(longl), SL_CMD_ERR, "overlong line refused, not truncated");
}

static void test_escape(void)
{
	char out[16];

	sl_escape("a\nb", out, sizeof(out));
	is_str(out, "a\nb", "copied as it is: printing escapes");
	sl_escape("0123456789abcdefghij", out, sizeof(out));
	is_str(out, "0123456789ab...", "long strings end in ...");
}

int main(void)
{
	test_redir();
	test_others();
	test_escape();
	return done_testing();
}
