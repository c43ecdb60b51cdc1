/* Neutralising control characters and invalid UTF-8 in untrusted strings. */
#include "termsafe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fd_write.h"

/*
 * Returns 1 for the invisible formatting characters that reorder or hide
 * what follows them (bidirectional embeddings, overrides, isolates and
 * marks): a VM name must not be able to make a picker line read as
 * something else.
 */
static int
is_bidi_control(unsigned int cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * Returns 1 for the characters that take no room on the screen (zero-width
 * space, joiners, word joiner, byte order mark, soft hyphen) or break a
 * line (line and paragraph separators): with them two different names can
 * look alike in the picker.
 */
static int
is_invisible(unsigned int cp)
{
	return cp == 0x00ad || (cp >= 0x200b && cp <= 0x200d) ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x2060 || cp == 0xfeff;
}

/*
 * Returns the length of the valid, printable UTF-8 sequence starting at s
 * (1 for printable ASCII), or 0 when the byte at s must be escaped.
 * Overlong forms, surrogates, C1 controls (U+0080..U+009F),
 * bidirectional controls and invisible characters are rejected.
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
	    (cp >= 0x80 && cp <= 0x9f) || is_bidi_control(cp) ||
	    is_invisible(cp))
		return 0;
	return len;
}

/* Takes n bytes of the rendering at p; returns 0, or -1 to stop. */
typedef int (*termsafe_sink)(void *ctx, const char *p, size_t n);

/*
 * Hands the terminal-safe rendering of in to put, one character or escape
 * at a time, so a sink that stops never splits either. Returns 0, or -1
 * when put stopped.
 */
static int
termsafe_render(const char *in, termsafe_sink put, void *ctx)
{
	const unsigned char *s = (const unsigned char *)in;
	char hex[5];
	size_t n;

	while (*s != '\0') {
		if ((n = utf8_printable_len(s)) > 0) {
			if (put(ctx, (const char *)s, n) != 0)
				return -1;
			s += n;
			continue;
		}
		snprintf(hex, sizeof(hex), "\\x%02x", *s);
		if (put(ctx, hex, 4) != 0)
			return -1;
		s++;
	}
	return 0;
}

/* A buffer that takes what fits, keeping room for the NUL. */
struct buffer_sink {
	char *out;
	size_t len, size;
};

/* termsafe_sink into a buffer_sink; returns -1 once n bytes do not fit. */
static int
put_buffer(void *ctx, const char *p, size_t n)
{
	struct buffer_sink *b = ctx;

	if (b->len + n >= b->size)
		return -1;
	memcpy(b->out + b->len, p, n);
	b->len += n;
	return 0;
}

size_t
termsafe_escape(const char *in, char *out, size_t outlen)
{
	struct buffer_sink b = { out, 0, outlen };

	if (outlen == 0)
		return 0;
	(void)termsafe_render(in, put_buffer, &b);	/* -1: truncated */
	out[b.len] = '\0';
	return b.len;
}

/* termsafe_sink into a stdio stream; returns 0 or -1. */
static int
put_stream(void *ctx, const char *p, size_t n)
{
	return fwrite(p, 1, n, ctx) == n ? 0 : -1;
}

int
termsafe_fputs(const char *s, FILE *out)
{
	return termsafe_render(s, put_stream, out);
}

/*
 * Gathers the rendering for one write(2) per buffer full rather than one
 * per character.
 */
struct fd_sink {
	int fd;
	size_t len;
	char buf[512];
};

/* termsafe_sink into an fd_sink; returns 0, or -1 with errno set. */
static int
put_fd(void *ctx, const char *p, size_t n)
{
	struct fd_sink *k = ctx;

	if (k->len + n > sizeof(k->buf)) {
		if (fd_write_all(k->fd, k->buf, k->len) != 0)
			return -1;
		k->len = 0;
	}
	memcpy(k->buf + k->len, p, n);
	k->len += n;
	return 0;
}

int
termsafe_dputs(const char *s, int fd)
{
	struct fd_sink k;

	k.fd = fd;
	k.len = 0;
	if (termsafe_render(s, put_fd, &k) != 0)
		return -1;
	return fd_write_all(fd, k.buf, k.len);
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
