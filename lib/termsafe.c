/* Neutralising control characters and invalid UTF-8 in untrusted strings. */
#include "termsafe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Returns the length of the valid, printable UTF-8 sequence starting at s
 * (1 for printable ASCII), or 0 when the byte at s must be escaped.
 * Overlong forms, surrogates and C1 controls (U+0080..U+009F) are rejected.
 */
static size_t
utf8_printable_len(const unsigned char *s)
{
	unsigned int cp;
	size_t len, i;

	if (s[0] >= 0x20 && s[0] < 0x7f)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return len;
}

size_t
termsafe_escape(const char *in, char *out, size_t outlen)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t o = 0, n;

	if (outlen == 0)
		return 0;
	while (*s != '\0') {
		n = utf8_printable_len(s);
		if (n > 0) {
			if (o + n >= outlen)
				break;
			memcpy(out + o, s, n);
			o += n;
			s += n;
			continue;
		}
		if (o + 4 >= outlen)
			break;
		snprintf(out + o, outlen - o, "\\x%02x", *s);
		o += 4;
		s++;
	}
	out[o] = '\0';
	return o;
}

char *
termsafe_dup(const char *in)
{
	size_t outlen = strlen(in) * 4 + 1;
	char *out = malloc(outlen);

	if (out == NULL)
		return NULL;
	termsafe_escape(in, out, outlen);
	return out;
}
