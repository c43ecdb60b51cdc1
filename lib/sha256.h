/*
 * SHA-256 (FIPS 180-4), small and self-contained so that naming cache
 * entries needs no cryptographic library loaded.
 */
#ifndef VMCONSOLE_SHA256_H
#define VMCONSOLE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32
/* Room for the digest in lower-case hexadecimal and its NUL. */
#define SHA256_HEX_LEN (2 * SHA256_DIGEST_LEN + 1)

struct sha256_ctx {
	uint32_t state[8];
	uint64_t bytes;
	unsigned char block[64];
	size_t fill;
};

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
void sha256_final(struct sha256_ctx *ctx,
    unsigned char digest[SHA256_DIGEST_LEN]);

/* Writes the hexadecimal digest of data into hex; returns hex. */
char *sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN]);

#endif
