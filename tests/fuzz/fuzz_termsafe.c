/*
 * Terminal-safe escaping of untrusted names: the output never holds a C0
 * control, DEL, a C1 or a bidirectional control, is valid UTF-8, keeps
 * printable text as it is, and a truncated rendering is a prefix of the
 * full one.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "termsafe.h"
#include "validate.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet_logs();
	return 0;
}

/* Aborts unless out is a safe rendering. */
static void
check_safe(const char *out, size_t len)
{
	FUZZ_CHECK(strlen(out) == len, "the length returned is the length");
	FUZZ_CHECK(validate_utf8(out, len), "the output is valid UTF-8");
	FUZZ_CHECK(!fuzz_has_control(out), "no control character");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in, *full, *part;
	size_t outlen, n, full_len;

	if (size < 1 || size > 64 * 1024)
		return 0;
	/* the first byte picks the size of a small output buffer */
	outlen = data[0];
	in = fuzz_strdup(data + 1, size - 1);
	full = termsafe_dup(in);
	FUZZ_CHECK(full != NULL, "termsafe_dup succeeds");
	full_len = strlen(full);
	check_safe(full, full_len);
	FUZZ_CHECK(full_len <= 4 * strlen(in), "at most four bytes per byte");
	if (validate_utf8(in, strlen(in)) && !fuzz_has_control(in))
		FUZZ_CHECK(strcmp(in, full) == 0, "safe text is kept as is");
	/* an exactly sized heap buffer, so an overflow is caught */
	if ((part = malloc(outlen > 0 ? outlen : 1)) == NULL)
		abort();
	n = termsafe_escape(in, part, outlen);
	if (outlen == 0)
		FUZZ_CHECK(n == 0, "nothing fits in no room");
	else {
		FUZZ_CHECK(n < outlen, "room is left for the NUL");
		check_safe(part, n);
		FUZZ_CHECK(strncmp(full, part, n) == 0,
		    "a truncated rendering is a prefix of the full one");
	}
	free(part);
	free(full);
	free(in);
	return 0;
}
