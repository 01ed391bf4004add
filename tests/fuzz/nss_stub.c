/* nss_stub.c - fixed user and group tables for the fuzz targets, in place of NSS. */
#include <grp.h>
#include <pwd.h>
#include <stddef.h>
#include <string.h>

/*
 * NSS stubs: every user or group word of a policy went through nsswitch
 * (files, maybe sssd or LDAP), ~100x slower than the parser and dependent
 * on the host. These definitions in the executable take the place of
 * libc's, with a fixed table; unknown names are unknown, as in the real
 * lookup.
 */
static struct passwd pw_tab[] = {
	{ .pw_name = (char *)"root", .pw_uid = 0, .pw_gid = 0 },
	{ .pw_name = (char *)"alice", .pw_uid = 1000, .pw_gid = 1000 },
	{ .pw_name = (char *)"nobody", .pw_uid = 65534, .pw_gid = 65534 },
};
static struct group gr_tab[] = {
	{ .gr_name = (char *)"root", .gr_gid = 0 },
	{ .gr_name = (char *)"uml", .gr_gid = 100 },
	{ .gr_name = (char *)"nogroup", .gr_gid = 65534 },
};

struct passwd *getpwnam(const char *name)
{
	for (size_t i = 0; i < sizeof(pw_tab) / sizeof(pw_tab[0]); i++)
		if (!strcmp(pw_tab[i].pw_name, name))
			return &pw_tab[i];
	return NULL;
}

struct group *getgrnam(const char *name)
{
	for (size_t i = 0; i < sizeof(gr_tab) / sizeof(gr_tab[0]); i++)
		if (!strcmp(gr_tab[i].gr_name, name))
			return &gr_tab[i];
	return NULL;
}
