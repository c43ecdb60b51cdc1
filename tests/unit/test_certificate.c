/* Unit tests for authkeys/certificate.c: real certificates and broken ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cert_fixtures.h"
#include "certificate.h"
#include "validate.h"

static void
test_ed25519(void **state)
{
	struct certificate c;
	const char *why = NULL;

	(void)state;
	assert_int_equal(certificate_parse(CERT_ED25519, &c, &why), 0);
	assert_string_equal(c.type, "ssh-ed25519-cert-v01@openssh.com");
	assert_int_equal(c.serial, 77);
	assert_int_equal(c.cert_type, CERTIFICATE_TYPE_USER);
	assert_string_equal(c.key_id, "alice");
	assert_int_equal(c.nprincipals, 4);
	assert_string_equal(c.principals[0], "u-42");
	assert_string_equal(c.principals[1], "vmconsole");
	assert_string_equal(c.principals[2], "bad\"p");
	assert_string_equal(c.principals[3], "x y");
	assert_null(c.principals[4]);
	certificate_free(&c);
}

static void
test_rsa_and_ecdsa(void **state)
{
	struct certificate c;
	const char *why = NULL;

	(void)state;
	assert_int_equal(certificate_parse(CERT_RSA, &c, &why), 0);
	assert_string_equal(c.type, "ssh-rsa-cert-v01@openssh.com");
	assert_true(c.serial == UINT64_MAX);
	assert_string_equal(c.key_id, "Alice Smith");
	assert_int_equal(c.nprincipals, 1);
	assert_string_equal(c.principals[0], "u-7");
	certificate_free(&c);
	assert_int_equal(certificate_parse(CERT_ECDSA, &c, &why), 0);
	assert_string_equal(c.type, "ecdsa-sha2-nistp256-cert-v01@openssh.com");
	assert_int_equal(c.serial, 0);
	assert_string_equal(c.key_id, "");
	assert_int_equal(c.nprincipals, 2);
	certificate_free(&c);
	assert_int_equal(certificate_parse(CERT_HOST, &c, &why), 0);
	assert_int_equal(c.cert_type, 2);
	certificate_free(&c);
}

/* Encodes len bytes as padded base64 into a new string. */
static char *
base64(const unsigned char *in, size_t len)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc(len / 3 * 4 + 8), *o = out;
	size_t i;
	uint32_t v;

	assert_non_null(out);
	for (i = 0; i < len; i += 3) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = i + 1 < len ? tab[(v >> 6) & 63] : '=';
		*o++ = i + 2 < len ? tab[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

/* Every truncation of a real certificate is refused, none crashes. */
static void
test_truncated(void **state)
{
	unsigned char raw[1024];
	struct certificate c;
	const char *why = NULL;
	long n, cut;
	char *b;

	(void)state;
	n = validate_base64_decode(CERT_ED25519, strlen(CERT_ED25519), raw);
	assert_true(n > 100);
	/* up to the end of the principals every cut loses a field */
	for (cut = 1; cut < 150; cut++) {
		b = base64(raw, (size_t)cut);
		assert_int_equal(certificate_parse(b, &c, &why), -1);
		assert_non_null(why);
		free(b);
	}
}

/* A length field pointing past the end, and a principal with a NUL. */
static void
test_hostile_lengths(void **state)
{
	unsigned char raw[1024];
	struct certificate c;
	const char *why = NULL;
	long n;
	char *b;
	size_t off;

	(void)state;
	n = validate_base64_decode(CERT_ED25519, strlen(CERT_ED25519), raw);
	/* type(4+32) nonce(4+32) pk(4+32) serial(8) type(4) = 120 */
	off = 120;
	raw[off] = 0x7f;	/* key id length far past the end */
	b = base64(raw, (size_t)n);
	assert_int_equal(certificate_parse(b, &c, &why), -1);
	assert_string_equal(why, "truncated certificate");
	free(b);
	n = validate_base64_decode(CERT_ED25519, strlen(CERT_ED25519), raw);
	/* key id "alice" at 124..128; principals string at 129, first
	 * principal length at 133, "u-42" at 137 */
	raw[138] = '\0';
	b = base64(raw, (size_t)n);
	assert_int_equal(certificate_parse(b, &c, &why), -1);
	assert_string_equal(why, "a principal holds a NUL byte");
	free(b);
	assert_int_equal(certificate_parse("", &c, &why), -1);
	assert_int_equal(certificate_parse("AAAA", &c, &why), -1);
	assert_int_equal(certificate_parse("not base64!", &c, &why), -1);
	/* a plain key is not a certificate */
	assert_int_equal(certificate_parse("AAAAC3NzaC1lZDI1NTE5AAAAIPya8IKG"
	    "URXWudGgSi6WDGO1OTPFFvFp8muqpPlYM78N", &c, &why), -1);
	assert_string_equal(why, "not a known certificate type");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ed25519),
		cmocka_unit_test(test_rsa_and_ecdsa),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_hostile_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
