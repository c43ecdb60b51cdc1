/*
 * Expansion of the manager URL templates with values from sshd (user,
 * key type, fingerprint, key) and from the manager (entity id). The input
 * is split on newlines: the template, then the five values. Each value
 * must land percent-encoded, so it can add no path, query or fragment.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "url_template.h"

#define PARTS	6

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet_logs();
	return 0;
}

/* Returns the value of a hex digit, or -1. */
static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Aborts unless enc is the unreserved-only percent-encoding of s. */
static void
check_encoding(const char *s, const char *enc)
{
	const unsigned char *p = (const unsigned char *)s;
	int hi, lo;

	for (; *enc != '\0'; p++) {
		if (*enc == '%') {
			hi = hex_value(enc[1]);
			FUZZ_CHECK(hi >= 0, "upper-case hex after %");
			lo = hex_value(enc[2]);
			FUZZ_CHECK(lo >= 0, "two hex digits after %");
			FUZZ_CHECK(*p == (unsigned)(hi << 4 | lo),
			    "the encoded byte is the byte");
			enc += 3;
			continue;
		}
		FUZZ_CHECK(strchr("-._~", *enc) != NULL ||
		    (*enc >= 'a' && *enc <= 'z') || (*enc >= 'A' && *enc <= 'Z') ||
		    (*enc >= '0' && *enc <= '9'), "only unreserved kept");
		FUZZ_CHECK(*p == (unsigned char)*enc, "kept bytes unchanged");
		enc++;
	}
	FUZZ_CHECK(*p == '\0', "every byte encoded");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *parts[PARTS], *url, *enc;
	struct manager_request req;
	size_t i;

	if (size > 64 * 1024)
		return 0;
	fuzz_split(data, size, '\n', parts, PARTS);
	req.user = parts[1];
	req.keytype = parts[2];
	req.fingerprint = parts[3];
	req.key = parts[4];
	req.entityid = parts[5][0] != '\0' ? parts[5] : NULL;
	url = url_template_expand(parts[0], &req);
	if (url != NULL) {
		FUZZ_CHECK(strchr(parts[0], '}') != NULL ||
		    strcmp(url, parts[0]) == 0, "no placeholder, no change");
		FUZZ_CHECK(strchr(url, '{') == NULL && strchr(url, '}') == NULL,
		    "every brace was a placeholder");
	}
	for (i = 1; i < PARTS; i++) {
		enc = url_encode(parts[i]);
		FUZZ_CHECK(enc != NULL, "url_encode succeeds");
		check_encoding(parts[i], enc);
		free(enc);
	}
	free(url);
	fuzz_free_parts(parts, PARTS);
	return 0;
}
