/*
 * test_uri.c — file URIs and local paths: percent-decoding and -encoding,
 * the characters a file name may hold that a URI may not ('#', '?', '%',
 * spaces, non-ASCII), what is no local file, and the round trip over
 * every byte.
 */
#include "harness.h"
#include "uri.h"
#include "util.h"

#include <stdlib.h>

/* URIs as a client sends them, and the path each names (NULL: none). */
static const struct {
	const char *uri, *path;
} to_path[] = {
	{ "file:///a/b.md", "/a/b.md" },
	{ "file:///a/b%20c.md", "/a/b c.md" },
	{ "file:///a/b c.md", "/a/b c.md" },              /* unencoded: as it is */
	{ "file:///", "/" },
	{ "file://localhost/a/b.md", "/a/b.md" },
	{ "file://localhost/", "/" },
	/* Query and fragment are not part of the path. */
	{ "file:///a/b.md?x=1", "/a/b.md" },
	{ "file:///a/b.md#L3", "/a/b.md" },
	{ "file:///a/b.md?#", "/a/b.md" },
	/* ... but encoded they are file name characters. */
	{ "file:///a/%23b.md", "/a/#b.md" },
	{ "file:///a/%3Fb%3f.md", "/a/?b?.md" },
	{ "file:///a/100%25.md", "/a/100%.md" },
	{ "file:///a%2Fb", "/a/b" },
	/* VS Code encodes a drive's colon. */
	{ "file:///c%3A/Users/x.md", "/c:/Users/x.md" },
	/* Non-ASCII: encoded in either case of hex, or raw. */
	{ "file:///caf%C3%A9.md", "/caf\xc3\xa9.md" },
	{ "file:///caf%c3%a9.md", "/caf\xc3\xa9.md" },
	{ "file:///caf\xc3\xa9.md", "/caf\xc3\xa9.md" },
	{ "file:///%E6%BC%A2%E5%AD%97/%F0%9F%A7%8A.md", "/\xe6\xbc\xa2\xe5\xad\x97/\xf0\x9f\xa7\x8a.md" },
	/* A decomposed é (e + U+0301) stays decomposed. */
	{ "file:///Cafe%CC%81.md", "/Cafe\xcc\x81.md" },
	/* Escapes that are not escapes are kept as written. */
	{ "file:///a%", "/a%" },
	{ "file:///a%2", "/a%2" },
	{ "file:///a%zz", "/a%zz" },
	{ "file:///a%%20", "/a% " },
	{ "file:///a%g0", "/a%g0" },
	/* A NUL can't be in a path. */
	{ "file:///a%00b", NULL },
	/* Not a local file. */
	{ "", NULL },
	{ "file:", NULL },
	{ "file://", NULL },
	{ "file:/a/b.md", NULL },
	{ "file://host/a/b.md", NULL },
	{ "file://localhost", NULL },
	{ "file://localhostx/a", NULL },
	{ "http://example.com/a.md", NULL },
	{ "untitled:Untitled-1", NULL },
	{ "vscode-notebook-cell:/a.ipynb#W0", NULL },
};

/* Paths, and the URI each becomes. */
static const struct {
	const char *path, *uri;
} from_path[] = {
	{ "/a/b.md", "file:///a/b.md" },
	{ "/a/b c.md", "file:///a/b%20c.md" },
	{ "/a#b?c.md", "file:///a%23b%3Fc.md" },
	{ "/100%.md", "file:///100%25.md" },
	{ "/x-y_z.~/", "file:///x-y_z.~/" },              /* unreserved: kept */
	{ "/Q&A+(1),[2]!.md", "file:///Q%26A%2B%281%29%2C%5B2%5D%21.md" },
	{ "/c:/u@h;=$'", "file:///c%3A/u%40h%3B%3D%24%27" },
	{ "/caf\xc3\xa9.md", "file:///caf%C3%A9.md" },
	{ "/\xe6\xbc\xa2\xe5\xad\x97", "file:///%E6%BC%A2%E5%AD%97" },
	{ "/\xf0\x9f\xa7\x8a", "file:///%F0%9F%A7%8A" },
	{ "/\xff\x80", "file:///%FF%80" },                /* invalid UTF-8: bytes */
	{ "/tab\there\n", "file:///tab%09here%0A" },
	{ "", "file://" },
};

static void test_to_path(void)
{
	for (size_t i = 0; i < sizeof(to_path) / sizeof(to_path[0]); i++) {
		char *p = uri_to_path(to_path[i].uri);
		if (to_path[i].path)
			STR_EQ(p, to_path[i].path);
		else if (p)
			fprintf(stderr, "%s: expected no path, got \"%s\"\n", to_path[i].uri, p);
		if (!to_path[i].path)
			OK(p == NULL);
		free(p);
	}
}

static void test_from_path(void)
{
	for (size_t i = 0; i < sizeof(from_path) / sizeof(from_path[0]); i++) {
		char *u = uri_from_path(from_path[i].path);
		STR_EQ(u, from_path[i].uri);
		free(u);
	}
}

static void test_round_trip(void)
{
	/* Every path of the tables comes back as it was. */
	for (size_t i = 0; i < sizeof(from_path) / sizeof(from_path[0]); i++) {
		if (!from_path[i].path[0])
			continue;
		char *u = uri_from_path(from_path[i].path);
		char *p = uri_to_path(u);
		STR_EQ(p, from_path[i].path);
		free(p);
		free(u);
	}
	/* Every byte but NUL, in one file name. */
	char path[260];
	size_t n = 0;
	path[n++] = '/';
	for (int c = 1; c < 256; c++)
		path[n++] = (char)c;
	path[n] = '\0';
	char *u = uri_from_path(path);
	/* Only unreserved characters and '/' are left unencoded. */
	bool clean = true;
	for (const char *s = u + 7; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      strchr("-._~/%", *s)))
			clean = false;
	OK(clean);
	char *p = uri_to_path(u);
	STR_EQ(p, path);
	free(p);
	free(u);

	/* And a URI that is already canonical comes back the same. */
	static const char *const uris[] = { "file:///a/b%20c.md", "file:///%F0%9F%A7%8A/x%23y.md",
					    "file:///" };
	for (size_t i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
		char *pp = uri_to_path(uris[i]);
		char *uu = pp ? uri_from_path(pp) : NULL;
		STR_EQ(uu, uris[i]);
		free(uu);
		free(pp);
	}
}

int main(void)
{
	test_to_path();
	test_from_path();
	test_round_trip();
	return harness_done("test_uri");
}
