/* words.c - one line's words: the tokenizer and comment rule of every line format in the tree. */
#include <errno.h>
#include <stdbool.h>

#include "words.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/**
 * hn_words_split - split one line into its words, in place
 * @line: the line, NUL-terminated; NULs are written after each word and
 *        over the '#' of a comment
 * @words: receives pointers into @line, in order (may be NULL when @max is
 *         0: the return value then says whether the line has any word)
 * @max: the room in @words
 *
 * The one rule of hostnet.conf(5), uml_net.conf(5), natctl(8)'s batch lines
 * and slirp(1)'s commands, which their man pages state in the same words:
 * words are separated by blanks - spaces, tabs and carriage returns (and the
 * newline getline() leaves at the end of a line); a '#' anywhere on the
 * line, even inside a word, starts a comment that runs to the end of the
 * line, so "a#b" is the word "a". There is no quoting and no escape.
 *
 * Return: the number of words (0 for a blank or comment-only line), or
 * -E2BIG when the line has more than @max words (@line is then partly split
 * and @words holds the first @max).
 */
int hn_words_split(char *line, char **words, int max)
{
	char *p = line;
	int n = 0;

	for (;;) {
		while (blank(*p))
			p++;
		if (!*p || *p == '#') {
			*p = '\0';
			return n;
		}
		if (n == max)
			return -E2BIG;
		words[n++] = p;
		while (*p && *p != '#' && !blank(*p))
			p++;
		if (blank(*p))
			*p++ = '\0';
	}
}
