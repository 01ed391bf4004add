/* test_words.c - unit tests for lib/words.c: blanks, the '#' rule, the word limit. */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "words.h"

static char buf[256];
static char *w[8];

/* Split @s (copied) with room for @max words; the words joined by '|'. */
static const char *split(const char *s, int max, int *n)
{
	static char out[256];

	snprintf(buf, sizeof(buf), "%s", s);
	*n = hn_words_split(buf, w, max);
	out[0] = '\0';
	for (int i = 0; i < *n; i++) {
		strcat(out, i ? "|" : "");
		strcat(out, w[i]);
	}
	return out;
}

int main(void)
{
	int n;

	is_str(split("bridge br0 stp off", 8, &n), "bridge|br0|stp|off", "words at single spaces");
	is_int(n, 4, "four words");
	is_str(split(" \t a\t\tb \r\n", 8, &n), "a|b", "spaces, tabs, CR and the newline are blanks");
	is_int(n, 2, "two words");
	split("", 8, &n);
	is_int(n, 0, "an empty line has no word");
	split(" \t\r\n", 8, &n);
	is_int(n, 0, "a blank line has no word");
	split("# bridge br0", 8, &n);
	is_int(n, 0, "a comment line has no word");
	split("   # indented comment", 8, &n);
	is_int(n, 0, "an indented comment line has no word");
	is_str(split("tap t0 # user alice", 8, &n), "tap|t0", "a comment after the words");
	is_str(split("tap t0#user alice", 8, &n), "tap|t0", "'#' inside a word starts the comment too");
	is_str(split("a#b c", 8, &n), "a", "\"a#b\" is the word \"a\"");
	is_str(split("a\vb\fc", 8, &n), "a\vb\fc", "vertical tab and form feed are not blanks");
	is_str(split("\"a b\" c\\ d", 8, &n), "\"a|b\"|c\\|d", "no quoting, no escapes");
	is_str(split("1 2 3 4 5 6 7 8", 8, &n), "1|2|3|4|5|6|7|8", "exactly the room: all words");
	is_int(n, 8, "eight");
	split("1 2 3 4 5 6 7 8 9", 8, &n);
	is_int(n, -E2BIG, "one word more than the room: -E2BIG");
	split("1 2 3 4 5 6 7 8 # 9 10", 8, &n);
	is_int(n, 8, "words in the comment do not count");
	split("1 2 3 4 5 6 7 8   ", 8, &n);
	is_int(n, 8, "trailing blanks do not count");
	snprintf(buf, sizeof(buf), "x");
	is_int(hn_words_split(buf, NULL, 0), -E2BIG, "max 0: a line with a word says so");
	snprintf(buf, sizeof(buf), " # x");
	is_int(hn_words_split(buf, NULL, 0), 0, "max 0: a comment line has none");
	snprintf(buf, sizeof(buf), "ab cd");
	hn_words_split(buf, w, 8);
	ok(w[0] == buf && w[1] == buf + 3, "words point into the line, in place");
	return done_testing();
}
