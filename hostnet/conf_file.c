/* conf_file.c - hostnet.conf read from disk: the file, the files it includes, and where a line is. */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "vec.h"
#include "conf_check.h"
#include "conf_file.h"

/* The whole of @path in a malloc'ed buffer. Return: 0 or -errno. */
static int read_all(const char *path, char **out, size_t *outlen)
{
	size_t len = 0, cap = 0;
	char *buf = NULL, *nb;
	ssize_t r = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	do {
		if (len == cap) {
			nb = realloc(buf, cap = cap ? cap * 2 : 65536);
			if (!nb) {
				rc = -ENOMEM;
				break;
			}
			buf = nb;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno != EINTR)
			rc = -errno;
		else if (r > 0)
			len += (size_t)r;
	} while (!rc && r != 0);
	close(fd);
	if (rc) {
		free(buf);
		return rc;
	}
	*out = buf;
	*outlen = len;
	return 0;
}

/* As conf_parse_buf() counts them: a last line without '\n' is a line. */
static int count_lines(const char *buf, size_t len)
{
	int n = 0;

	for (size_t i = 0; i < len; i++)
		n += buf[i] == '\n';
	return n + (len && buf[len - 1] != '\n');
}

/* The file that global line @line belongs to, or NULL. */
static const struct conf_src *src_of(const struct conf *c, int line)
{
	for (size_t i = 0; i < c->nsrcs; i++)
		if (line > c->srcs[i].base && line <= c->srcs[i].base + c->srcs[i].nlines)
			return &c->srcs[i];
	return NULL;
}

/**
 * conf_where - "file:line" of global line @line of @c
 * @buf: receives the text
 *
 * Line numbers run on across the files read (conf_load() and include);
 * each error and each object keeps its global number, and this says which
 * file and which line of it that is. Without files (conf_parse_buf()
 * alone), the name given to conf_init().
 *
 * Return: @buf.
 */
const char *conf_where(const struct conf *c, int line, char *buf, size_t len)
{
	const struct conf_src *s = src_of(c, line);

	if (s)
		snprintf(buf, len, "%s:%d", s->path, line - s->base);
	else if (line)
		snprintf(buf, len, "%s:%d", c->file, line);
	else
		snprintf(buf, len, "%s", c->file);
	return buf;
}

/**
 * conf_ref - how an error of line @from names another line @line: "line N"
 * in the same file, "FILE:N" in another one (an included file)
 *
 * Return: a static buffer, good until the next call.
 */
const char *conf_ref(const struct conf *c, int from, int line)
{
	static char buf[PATH_MAX + 16];
	const struct conf_src *s = src_of(c, line);
	size_t len = sizeof(buf);

	if (!s || s == src_of(c, from))
		snprintf(buf, len, "line %d", s ? line - s->base : line);
	else
		conf_where(c, line, buf, len);
	return buf;
}

/** conf_free_files - forget the files read; safe twice. */
void conf_free_files(struct conf *c)
{
	for (size_t i = 0; i < c->nsrcs; i++)
		free(c->srcs[i].path);
	HN_VEC_FREE(c->srcs, c->nsrcs, c->csrcs);
}

/* Has a file of this identity been read already? (An include loop, or twice.) */
static bool seen(const struct conf *c, const char *real)
{
	char other[PATH_MAX];

	for (size_t i = 0; i < c->nsrcs; i++)
		if (realpath(c->srcs[i].path, other) && !strcmp(other, real))
			return true;
	return false;
}

/*
 * Read and parse @path; @from is the line of the include naming it (0 for
 * the top file). A file that cannot be read is an error of that line.
 */
static int load_file(struct conf *c, const char *path, int from)
{
	char real[PATH_MAX], *buf = NULL;
	struct conf_src *s;
	size_t len = 0;
	int rc, saved = c->base;

	if (from && realpath(path, real) && seen(c, real)) {
		conf_error(c, from, "include %s: read already (an include loop?)", path);
		return 0;
	}
	rc = read_all(path, &buf, &len);
	if (rc && from) {
		conf_error(c, from, "include %s: %s", path, strerror(-rc));
		return rc == -ENOMEM ? rc : 0;
	}
	if (rc)
		return rc;
	s = HN_VEC_PUSH(c->srcs, c->nsrcs, c->csrcs);
	if (!s || !(s->path = strdup(path))) {
		c->nsrcs -= s != NULL;
		free(buf);
		return -ENOMEM;
	}
	s->base = c->nlines;
	s->nlines = count_lines(buf, len);
	c->nlines += s->nlines;
	c->base = s->base;
	c->depth++;
	rc = conf_parse_buf(c, buf, len);
	c->depth--;
	c->base = saved;
	free(buf);
	return rc;
}

/* @pattern relative to the directory of the file holding @line, into @out. */
static int resolve(const struct conf *c, int line, const char *pattern, char *out, size_t len)
{
	const struct conf_src *s = src_of(c, line);
	const char *slash = s ? strrchr(s->path, '/') : NULL;
	int n;

	if (pattern[0] == '/' || !slash)
		n = snprintf(out, len, "%s", pattern);
	else
		n = snprintf(out, len, "%.*s/%s", (int)(slash - s->path), s->path, pattern);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/**
 * conf_include - the `include PATTERN` line: read the files it names
 *
 * PATTERN is a glob(7) pattern, relative to the directory of the file it is
 * in; the files it matches are read in name order, as if their lines stood
 * there, and checked with the rest. A pattern with a wildcard may match
 * nothing (an empty hostnet.d/); a plain name must exist. Errors: a file
 * read twice (a loop), more than CONF_INCLUDE_DEPTH levels, an unreadable
 * file; all are errors of the include line.
 *
 * Return: 0 (errors recorded in @c) or -ENOMEM.
 */
int conf_include(struct conf *c, int line, const char *kw, int n, char **tok)
{
	char path[PATH_MAX];
	glob_t g;
	int rc = 0, grc;

	if (n != 1) {
		conf_error(c, line, "%s: expected one file name or pattern", kw);
		return 0;
	}
	if (!c->files) {
		conf_error(c, line, "%s: only in a file read from disk", kw);
		return 0;
	}
	if (c->depth > CONF_INCLUDE_DEPTH) {
		conf_error(c, line, "include %s: more than %d levels of include", tok[0],
			   CONF_INCLUDE_DEPTH);
		return 0;
	}
	if (resolve(c, line, tok[0], path, sizeof(path)) < 0) {
		conf_error(c, line, "include %s: path too long", tok[0]);
		return 0;
	}
	grc = glob(path, GLOB_ERR, NULL, &g);
	if (grc == GLOB_NOMATCH && !strpbrk(tok[0], "*?["))
		conf_error(c, line, "include %s: %s", tok[0], strerror(ENOENT));
	else if (grc == GLOB_NOSPACE)
		rc = -ENOMEM;
	else if (grc && grc != GLOB_NOMATCH)
		conf_error(c, line, "include %s: cannot read the directory", tok[0]);
	for (size_t i = 0; !grc && !rc && i < g.gl_pathc; i++)
		rc = load_file(c, g.gl_pathv[i], line);
	if (grc != GLOB_NOMATCH && grc != GLOB_NOSPACE)
		globfree(&g);
	return rc;
}

/**
 * conf_load - read and parse @path and every file it includes, then check
 * the whole configuration as one
 *
 * Return: 0 (see c->nerrs for errors), -errno when @path cannot be read.
 */
int conf_load(struct conf *c, const char *path)
{
	int rc;

	c->files = true;
	rc = load_file(c, path, 0);
	if (!rc)
		conf_check(c);
	return rc;
}
