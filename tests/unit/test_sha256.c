/* Unit tests for lib/sha256.c against the FIPS 180-4 example vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sha256.h"

static void
test_known_vectors(void **state)
{
	char hex[SHA256_HEX_LEN];
	const char *two_blocks =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	(void)state;
	assert_string_equal(sha256_hex("", 0, hex),
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_string_equal(sha256_hex("abc", 3, hex),
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_string_equal(sha256_hex(two_blocks, strlen(two_blocks), hex),
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* A million 'a' fed in uneven pieces: the block buffering is exercised. */
static void
test_million_a_in_pieces(void **state)
{
	static const char expect[] =
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	static const char hexdigits[] = "0123456789abcdef";
	unsigned char d[SHA256_DIGEST_LEN];
	char a[997], hex[SHA256_HEX_LEN];
	struct sha256_ctx ctx;
	size_t done = 0, n, i;

	(void)state;
	memset(a, 'a', sizeof(a));
	sha256_init(&ctx);
	for (i = 1; done < 1000000; i = i % (sizeof(a) - 7) + 7) {
		n = i < 1000000 - done ? i : 1000000 - done;
		sha256_update(&ctx, a, n);
		done += n;
	}
	sha256_final(&ctx, d);
	for (i = 0; i < SHA256_DIGEST_LEN; i++) {
		hex[2 * i] = hexdigits[d[i] >> 4];
		hex[2 * i + 1] = hexdigits[d[i] & 0xf];
	}
	hex[2 * SHA256_DIGEST_LEN] = '\0';
	assert_string_equal(hex, expect);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_vectors),
		cmocka_unit_test(test_million_a_in_pieces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
