/*
 * The validators every value from outside passes through. The input is
 * split on newlines: a key type, a key blob, then values that each go
 * through every other validator. Whatever a validator accepts must be
 * safe where it is used next: inside a quoted authorized_keys option, a
 * log line, a terminal or a URL.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "validate.h"

#define PARTS	6

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet_logs();
	return 0;
}

/* Returns 1 when every byte of s is an ASCII letter, digit or in extra. */
static int
only(const char *s, const char *extra)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr(extra, *s) != NULL))
			return 0;
	return 1;
}

/* Aborts unless an accepted key blob is canonical base64 text. */
static void
check_key(const char *type, const char *blob)
{
	const char *why = NULL;
	size_t len = strlen(blob), pad;

	if (!validate_key_blob(type, blob, &why)) {
		FUZZ_CHECK(why != NULL, "a refused blob says why");
		return;
	}
	for (pad = 0; pad < len && blob[len - 1 - pad] == '='; pad++)
		continue;
	FUZZ_CHECK(len % 4 == 0 && len <= VALIDATE_KEYBLOB_MAX,
	    "blob length is whole base64 groups within the cap");
	FUZZ_CHECK(pad <= 2 && strcspn(blob, "=") == len - pad &&
	    only(blob, "+/="),
	    "blob is base64 with padding only at the end");
}

/* Aborts unless an accepted expiry maps to sshd's form of the same time. */
static void
check_expiry(const char *s)
{
	char out[VALIDATE_EXPIRY_LEN];
	const char *why = NULL;

	memset(out, 'x', sizeof(out));
	if (!validate_expiry(s, out, &why)) {
		FUZZ_CHECK(why != NULL, "a refused expiry says why");
		return;
	}
	FUZZ_CHECK(strcmp(s + 19, "Z") == 0 || strcmp(s + 19, "+00:00") == 0,
	    "UTC only");
	FUZZ_CHECK(strlen(out) == 15 && out[14] == 'Z' &&
	    strspn(out, "0123456789") == 14, "YYYYMMDDhhmmssZ");
	FUZZ_CHECK(memcmp(out, s, 4) == 0 && memcmp(out + 4, s + 5, 2) == 0 &&
	    memcmp(out + 6, s + 8, 2) == 0 && memcmp(out + 8, s + 11, 2) == 0 &&
	    memcmp(out + 10, s + 14, 2) == 0 && memcmp(out + 12, s + 17, 2) == 0,
	    "the same instant");
}

/* Runs s through every single-value validator and checks what passes. */
static void
check_value(const char *s)
{
	size_t len = strlen(s);

	if (validate_from(s, NULL))
		FUZZ_CHECK(len >= 1 && len <= VALIDATE_FROM_MAX &&
		    only(s, ".:/*?!-,") && strstr(s, ",,") == NULL &&
		    s[0] != ',' && s[len - 1] != ',',
		    "from= patterns stay inside their quotes");
	if (validate_host(s, NULL))
		FUZZ_CHECK(len >= 1 && len <= VALIDATE_HOST_MAX &&
		    only(s, ".-:%"), "a host name or address");
	if (validate_entity(s, NULL))
		FUZZ_CHECK(len >= 1 && len <= VALIDATE_ENTITY_MAX &&
		    only(s, "._@+-"), "an entity is one safe word");
	if (validate_vmid(s, NULL))
		FUZZ_CHECK(len >= 1 && len <= VALIDATE_VM_MAX &&
		    !fuzz_has_control(s) && strpbrk(s, " ") == NULL &&
		    validate_utf8(s, len), "a vmid is printable ASCII");
	if (validate_vm_name(s, NULL))
		FUZZ_CHECK(len >= 1 && len <= VALIDATE_VM_MAX &&
		    validate_utf8(s, len), "a VM name is UTF-8");
	if (validate_console_name(s, NULL))
		FUZZ_CHECK(len >= 1 && len <= VALIDATE_CONSOLE_MAX &&
		    only(s, "._-"), "a console alias is one safe word");
	if (validate_fingerprint(s, NULL))
		FUZZ_CHECK(len >= 1 && len <= VALIDATE_FINGERPRINT_MAX &&
		    only(s, ":+/=._-"), "a fingerprint is one safe word");
	(void)validate_key_type(s, NULL);
	check_expiry(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *parts[PARTS];
	size_t i;

	if (size > 2 * VALIDATE_KEYBLOB_MAX)
		return 0;
	(void)validate_utf8((const char *)data, size);
	fuzz_split(data, size, '\n', parts, PARTS);
	check_key(parts[0], parts[1]);
	for (i = 0; i < PARTS; i++)
		check_value(parts[i]);
	fuzz_free_parts(parts, PARTS);
	return 0;
}
