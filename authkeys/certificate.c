/* Reading the fields of an OpenSSH certificate that sshd passed on. */
#include "certificate.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "validate.h"

/* Key types and how many strings of public key material follow the nonce. */
static const struct {
	const char *type;
	int fields;
} cert_types[] = {
	{ "ssh-ed25519-cert-v01@openssh.com", 1 },
	{ "ssh-rsa-cert-v01@openssh.com", 2 },
	{ "ssh-dss-cert-v01@openssh.com", 4 },
	{ "ecdsa-sha2-nistp256-cert-v01@openssh.com", 2 },
	{ "ecdsa-sha2-nistp384-cert-v01@openssh.com", 2 },
	{ "ecdsa-sha2-nistp521-cert-v01@openssh.com", 2 },
	{ "sk-ssh-ed25519-cert-v01@openssh.com", 2 },
	{ "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", 3 },
};

/* A read position in the decoded blob. */
struct reader {
	const unsigned char *p;
	size_t left;
};

/* Reads a big-endian uint32; returns false when the blob ends first. */
static bool
read_u32(struct reader *r, uint32_t *v)
{
	if (r->left < 4)
		return false;
	*v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 |
	    (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->left -= 4;
	return true;
}

/* Reads a big-endian uint64; returns false when the blob ends first. */
static bool
read_u64(struct reader *r, uint64_t *v)
{
	uint32_t hi, lo;

	if (!read_u32(r, &hi) || !read_u32(r, &lo))
		return false;
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

/*
 * Reads a length-prefixed string, pointing *s at it in the blob. Returns
 * false when the length runs past the end.
 */
static bool
read_string(struct reader *r, const unsigned char **s, size_t *len)
{
	uint32_t n;

	if (!read_u32(r, &n) || n > r->left)
		return false;
	*s = r->p;
	*len = n;
	r->p += n;
	r->left -= n;
	return true;
}

/* Returns a NUL-terminated copy of len bytes without NUL, or NULL. */
static char *
copy_text(const unsigned char *s, size_t len)
{
	char *out;

	if (memchr(s, '\0', len) != NULL || (out = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

/* Reads the packed principals; returns NULL or the reason they are bad. */
static const char *
read_principals(const unsigned char *s, size_t len, struct certificate *c)
{
	struct reader r = { s, len };
	const unsigned char *name;
	size_t n;

	if ((c->principals = calloc(CERTIFICATE_PRINCIPALS_MAX + 1,
	    sizeof(*c->principals))) == NULL)
		return "out of memory";
	while (r.left > 0) {
		if (c->nprincipals == CERTIFICATE_PRINCIPALS_MAX)
			return "too many principals";
		if (!read_string(&r, &name, &n))
			return "truncated principals";
		if ((c->principals[c->nprincipals] = copy_text(name, n)) ==
		    NULL)
			return "a principal holds a NUL byte";
		c->nprincipals++;
	}
	return NULL;
}

int
certificate_parse(const char *base64, struct certificate *out,
    const char **why)
{
	struct certificate c;
	struct reader r;
	unsigned char *raw = NULL;
	const unsigned char *s;
	size_t len = strlen(base64), n, i;
	long got;
	int fields = -1, ret = -1;

	memset(&c, 0, sizeof(c));
	memset(out, 0, sizeof(*out));
	*why = "out of memory";
	if (len == 0 || len > VALIDATE_KEYBLOB_MAX) {
		*why = "certificate blob empty or too long";
		goto out;
	}
	if ((raw = malloc(len / 4 * 3 + 3)) == NULL)
		goto out;
	if ((got = validate_base64_decode(base64, len, raw)) < 0) {
		*why = "certificate blob is not canonical padded base64";
		goto out;
	}
	r.p = raw;
	r.left = (size_t)got;
	*why = "truncated certificate";
	if (!read_string(&r, &s, &n))
		goto out;
	if ((c.type = copy_text(s, n)) == NULL) {
		*why = "certificate type holds a NUL byte";
		goto out;
	}
	for (i = 0; i < sizeof(cert_types) / sizeof(cert_types[0]); i++)
		if (strcmp(c.type, cert_types[i].type) == 0)
			fields = cert_types[i].fields;
	if (fields < 0) {
		*why = "not a known certificate type";
		goto out;
	}
	*why = "truncated certificate";
	if (!read_string(&r, &s, &n))	/* nonce */
		goto out;
	for (; fields > 0; fields--)
		if (!read_string(&r, &s, &n))
			goto out;
	if (!read_u64(&r, &c.serial) || !read_u32(&r, &c.cert_type) ||
	    !read_string(&r, &s, &n))
		goto out;
	if ((c.key_id = copy_text(s, n)) == NULL) {
		*why = "key id holds a NUL byte";
		goto out;
	}
	c.key_id_len = n;
	if (!read_string(&r, &s, &n))
		goto out;
	if ((*why = read_principals(s, n, &c)) != NULL)
		goto out;
	*why = NULL;
	*out = c;
	memset(&c, 0, sizeof(c));
	ret = 0;
 out:
	certificate_free(&c);
	free(raw);
	return ret;
}

void
certificate_free(struct certificate *cert)
{
	size_t i;

	free(cert->type);
	free(cert->key_id);
	for (i = 0; cert->principals != NULL && i < cert->nprincipals; i++)
		free(cert->principals[i]);
	free(cert->principals);
	memset(cert, 0, sizeof(*cert));
}
