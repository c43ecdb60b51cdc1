/* Validation of values from the manager, from sshd and from the cache. */
#include "validate.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const known_key_types[] = {
	"ssh-ed25519",
	"ssh-rsa",
	"ecdsa-sha2-nistp256",
	"ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521",
	"sk-ssh-ed25519@openssh.com",
	"sk-ecdsa-sha2-nistp256@openssh.com",
	"ssh-ed25519-cert-v01@openssh.com",
	"ssh-rsa-cert-v01@openssh.com",
	"ecdsa-sha2-nistp256-cert-v01@openssh.com",
	"ecdsa-sha2-nistp384-cert-v01@openssh.com",
	"ecdsa-sha2-nistp521-cert-v01@openssh.com",
	"sk-ssh-ed25519-cert-v01@openssh.com",
	"sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
};

/* Sets *why when the caller asked for it; returns false for tail calls. */
static bool
reject(const char **why, const char *reason)
{
	if (why != NULL)
		*why = reason;
	return false;
}

/* Returns true for an ASCII letter or digit, whatever the locale. */
static bool
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* Returns true when every byte of s is alphanumeric or in extra. */
static bool
only_chars(const char *s, const char *extra)
{
	for (; *s != '\0'; s++)
		if (!is_alnum((unsigned char)*s) && strchr(extra, *s) == NULL)
			return false;
	return true;
}

bool
validate_entity(const char *s, const char **why)
{
	size_t len = strlen(s);

	if (len == 0)
		return reject(why, "empty");
	if (len > VALIDATE_ENTITY_MAX)
		return reject(why, "longer than 128 characters");
	if (!only_chars(s, "._@+-"))
		return reject(why, "characters outside [A-Za-z0-9._@+-]");
	return true;
}

bool
validate_key_type(const char *s, const char **why)
{
	size_t i;

	for (i = 0; i < sizeof(known_key_types) / sizeof(known_key_types[0]);
	    i++)
		if (strcmp(s, known_key_types[i]) == 0)
			return true;
	return reject(why, "unknown key type");
}

/* Returns the 6-bit value of a base64 character, or -1. */
static int
base64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Decodes strict, canonical, padded base64 of length len into out (room
 * for len / 4 * 3 bytes). Returns the decoded length, or -1.
 */
static long
base64_decode(const char *in, size_t len, unsigned char *out)
{
	size_t i, pad = 0, o = 0;
	uint32_t acc;
	int v, j;

	if (len == 0 || len % 4 != 0)
		return -1;
	if (in[len - 1] == '=')
		pad = in[len - 2] == '=' ? 2 : 1;
	for (i = 0; i < len; i += 4) {
		acc = 0;
		for (j = 0; j < 4; j++) {
			if (i + j >= len - pad) {
				acc <<= 6;
				continue;
			}
			if ((v = base64_value((unsigned char)in[i + j])) < 0)
				return -1;
			acc = (acc << 6) | (uint32_t)v;
		}
		out[o++] = (unsigned char)(acc >> 16);
		out[o++] = (unsigned char)(acc >> 8);
		out[o++] = (unsigned char)acc;
	}
	/* Canonical form: the bits hidden by the padding must be zero. */
	if ((pad == 1 && (acc & 0xff) != 0) ||
	    (pad == 2 && (acc & 0xffff) != 0))
		return -1;
	return (long)(o - pad);
}

long
validate_base64_decode(const char *in, size_t len, unsigned char *out)
{
	return base64_decode(in, len, out);
}

bool
validate_key_blob(const char *type, const char *blob, const char **why)
{
	unsigned char *raw = NULL;
	size_t len = strlen(blob), tlen = strlen(type);
	uint32_t framed;
	long n;
	bool ok = false;

	if (len == 0) {
		reject(why, "empty key blob");
		goto out;
	}
	if (len > VALIDATE_KEYBLOB_MAX) {
		reject(why, "key blob longer than 32768 characters");
		goto out;
	}
	if ((raw = malloc(len / 4 * 3 + 3)) == NULL) {
		reject(why, "out of memory");
		goto out;
	}
	if ((n = base64_decode(blob, len, raw)) < 0) {
		reject(why, "key blob is not canonical padded base64");
		goto out;
	}
	if (n < 4) {
		reject(why, "key blob too short");
		goto out;
	}
	framed = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 |
	    (uint32_t)raw[2] << 8 | raw[3];
	if (framed != tlen || (size_t)n <= 4 + tlen ||
	    memcmp(raw + 4, type, tlen) != 0) {
		reject(why, "key blob does not hold a key of the stated type");
		goto out;
	}
	ok = true;
 out:
	free(raw);
	return ok;
}

bool
validate_from(const char *s, const char **why)
{
	const char *p, *entry = s;
	size_t len = strlen(s);

	if (len == 0)
		return reject(why, "empty");
	if (len > VALIDATE_FROM_MAX)
		return reject(why, "longer than 1024 characters");
	for (p = s;; p++) {
		if (*p == ',' || *p == '\0') {
			if (p == entry || (p == entry + 1 && *entry == '!'))
				return reject(why, "empty pattern");
			if (*p == '\0')
				break;
			entry = p + 1;
			continue;
		}
		if (*p == '!' && p != entry)
			return reject(why, "'!' inside a pattern");
		if (!is_alnum((unsigned char)*p) &&
		    strchr(".:/*?!-", *p) == NULL)
			return reject(why,
			    "characters outside [0-9A-Za-z.:/*?!-,]");
	}
	return true;
}

/* Parses exactly n decimal digits at s; returns the value or -1. */
static int
digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Returns the number of days of month (1..12) in the Gregorian year. */
static int
days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

bool
validate_expiry(const char *s, char out[VALIDATE_EXPIRY_LEN],
    const char **why)
{
	int year, mon, day, hour, min, sec;
	size_t len = strlen(s);

	/* YYYY-MM-DDThh:mm:ss followed by Z or +00:00 */
	if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		return reject(why, "expected YYYY-MM-DDThh:mm:ssZ");
	if (strcmp(s + 19, "Z") != 0 && strcmp(s + 19, "+00:00") != 0)
		return reject(why, "only UTC times (Z or +00:00) are accepted");
	year = digits(s, 4);
	mon = digits(s + 5, 2);
	day = digits(s + 8, 2);
	hour = digits(s + 11, 2);
	min = digits(s + 14, 2);
	sec = digits(s + 17, 2);
	if (year < 0 || mon < 0 || day < 0 || hour < 0 || min < 0 || sec < 0)
		return reject(why, "expected YYYY-MM-DDThh:mm:ssZ");
	if (year < 1970 || mon < 1 || mon > 12 || day < 1 ||
	    day > days_in_month(year, mon) || hour > 23 || min > 59 ||
	    sec > 59)
		return reject(why, "no such date or time");
	memcpy(out, s, 4);
	memcpy(out + 4, s + 5, 2);
	memcpy(out + 6, s + 8, 2);
	memcpy(out + 8, s + 11, 2);
	memcpy(out + 10, s + 14, 2);
	memcpy(out + 12, s + 17, 2);
	out[14] = 'Z';
	out[15] = '\0';
	return true;
}

/* RFC 1123 label: 1..63 of [A-Za-z0-9-], not starting or ending in '-'. */
static bool
valid_label(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > 63 || s[0] == '-' || s[len - 1] == '-')
		return false;
	for (i = 0; i < len; i++)
		if (!is_alnum((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

bool
validate_host(const char *s, const char **why)
{
	unsigned char addr[16];
	const char *label, *dot;
	size_t len = strlen(s);
	bool numeric = true;

	if (len == 0)
		return reject(why, "empty");
	if (inet_pton(AF_INET, s, addr) == 1 ||
	    inet_pton(AF_INET6, s, addr) == 1)
		return true;
	if (len > VALIDATE_HOST_MAX)
		return reject(why, "longer than 253 characters");
	for (label = s;; label = dot + 1) {
		dot = strchr(label, '.');
		if (dot == NULL)
			dot = s + len;
		if (!valid_label(label, (size_t)(dot - label)))
			return reject(why,
			    "not an RFC 1123 host name or an IP address");
		if (*dot == '\0')
			break;
	}
	/*
	 * An all-digit last label would make resolvers read the name as a
	 * (possibly abbreviated) IPv4 address, such as "10.1".
	 */
	for (; *label != '\0'; label++)
		if (*label < '0' || *label > '9')
			numeric = false;
	if (numeric)
		return reject(why, "looks like an incomplete IPv4 address");
	return true;
}

bool
validate_vmid(const char *s, const char **why)
{
	size_t len = strlen(s);
	const char *p;

	if (len == 0)
		return reject(why, "empty");
	if (len > VALIDATE_VM_MAX)
		return reject(why, "longer than 256 bytes");
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return reject(why,
			    "only printable ASCII without blanks is allowed");
	return true;
}

bool
validate_vm_name(const char *s, const char **why)
{
	size_t len = strlen(s);

	if (len == 0)
		return reject(why, "empty");
	if (len > VALIDATE_VM_MAX)
		return reject(why, "longer than 256 bytes");
	if (!validate_utf8(s, len))
		return reject(why, "not valid UTF-8");
	return true;
}

bool
validate_console_name(const char *s, const char **why)
{
	size_t len = strlen(s);

	if (len == 0)
		return reject(why, "empty");
	if (len > VALIDATE_CONSOLE_MAX)
		return reject(why, "longer than 64 characters");
	if (!only_chars(s, "._-"))
		return reject(why, "characters outside [A-Za-z0-9._-]");
	return true;
}

bool
validate_fingerprint(const char *s, const char **why)
{
	size_t len = strlen(s);

	if (len == 0)
		return reject(why, "empty");
	if (len > VALIDATE_FINGERPRINT_MAX)
		return reject(why, "longer than 128 characters");
	if (!only_chars(s, ":+/=._-"))
		return reject(why, "characters outside [A-Za-z0-9:+/=._-]");
	return true;
}

bool
validate_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n, k;
	uint32_t cp;

	while (i < len) {
		if (p[i] == 0)
			return false;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xc2 && p[i] <= 0xdf) {
			n = 2;
			cp = p[i] & 0x1f;
		} else if (p[i] >= 0xe0 && p[i] <= 0xef) {
			n = 3;
			cp = p[i] & 0x0f;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			n = 4;
			cp = p[i] & 0x07;
		} else
			return false;
		if (len - i < n)
			return false;
		for (k = 1; k < n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n;
	}
	return true;
}

bool
validate_expiry_time(const char *s)
{
	size_t i;

	if (strlen(s) != VALIDATE_EXPIRY_LEN - 1 || s[14] != 'Z')
		return false;
	for (i = 0; i < 14; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}
