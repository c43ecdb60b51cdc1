/*
 * Reading an OpenSSH user certificate (PROTOCOL.certkeys) as sshd hands it
 * to the AuthorizedPrincipalsCommand (%k, base64). sshd has already checked
 * its signature and CA; this reads the fields the principals lines need,
 * with every length checked against the blob.
 */
#ifndef VMCONSOLE_AUTHKEYS_CERTIFICATE_H
#define VMCONSOLE_AUTHKEYS_CERTIFICATE_H

#include <stddef.h>
#include <stdint.h>

/* More principals than this make the certificate unreadable here. */
#define CERTIFICATE_PRINCIPALS_MAX	256

struct certificate {
	char *type;		/* e.g. "ssh-ed25519-cert-v01@openssh.com" */
	uint64_t serial;
	uint32_t cert_type;	/* 1: user, 2: host */
	char *key_id;		/* raw bytes, NUL-terminated */
	size_t key_id_len;
	char **principals;	/* NULL-terminated, raw bytes each */
	size_t nprincipals;
};

#define CERTIFICATE_TYPE_USER	1

/*
 * Parses the base64 certificate blob. Returns 0 with *out filled (free
 * with certificate_free()), or -1 with *why saying what is wrong. Key ids
 * and principals holding a NUL byte are refused.
 */
int certificate_parse(const char *base64, struct certificate *out,
    const char **why);

void certificate_free(struct certificate *cert);

#endif
