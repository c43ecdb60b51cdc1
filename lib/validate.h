/*
 * Validation of every value that comes from outside (the manager, sshd's
 * arguments, the cache) before it is used. Each function returns true when
 * the value is acceptable; otherwise it returns false and, when why is not
 * NULL, sets *why to a static phrase saying what is wrong, for a log line.
 */
#ifndef VMCONSOLE_VALIDATE_H
#define VMCONSOLE_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#define VALIDATE_ENTITY_MAX		128
#define VALIDATE_FROM_MAX		1024
#define VALIDATE_HOST_MAX		253
#define VALIDATE_VM_MAX			256
#define VALIDATE_CONSOLE_MAX		64
#define VALIDATE_FINGERPRINT_MAX	128
/* Base64 text of a key blob; large RSA certificates stay well below. */
#define VALIDATE_KEYBLOB_MAX		32768
/* "YYYYMMDDhhmmssZ" and its NUL */
#define VALIDATE_EXPIRY_LEN		16

/* Entity ids and names: [A-Za-z0-9._@+-]{1,128}. */
bool validate_entity(const char *s, const char **why);

/* A public key type OpenSSH accepts in authorized_keys (what %t gives). */
bool validate_key_type(const char *s, const char **why);

/*
 * A strict base64 key blob (alphabet, padding, length) whose decoded
 * content is framed like an OpenSSH key: a big-endian uint32 length and a
 * key type string equal to type.
 */
bool validate_key_blob(const char *type, const char *blob, const char **why);

/*
 * An sshd from="..." pattern list: comma-separated entries of
 * [-0-9A-Za-z.:/?*], each optionally negated by a leading '!', no empty
 * entry, at most VALIDATE_FROM_MAX characters.
 */
bool validate_from(const char *s, const char **why);

/*
 * An RFC 3339 UTC time "YYYY-MM-DDThh:mm:ssZ" (or "+00:00" instead of
 * "Z"). On success writes sshd's expiry-time= form "YYYYMMDDhhmmssZ" to out.
 */
bool validate_expiry(const char *s, char out[VALIDATE_EXPIRY_LEN],
    const char **why);

/*
 * Returns true when s is sshd's expiry-time form "YYYYMMDDhhmmssZ", as
 * validate_expiry() writes it.
 */
bool validate_expiry_time(const char *s);

/* A host name of RFC 1123 labels, an IPv4 or an IPv6 address literal. */
bool validate_host(const char *s, const char **why);

/* A VM id: 1..256 bytes of printable ASCII without blanks. */
bool validate_vmid(const char *s, const char **why);

/*
 * A VM name: 1..256 bytes of valid UTF-8. Control characters are allowed
 * here; whoever displays a name neutralises them (termsafe.h).
 */
bool validate_vm_name(const char *s, const char **why);

/* A console device alias: [A-Za-z0-9._-]{1,64}. */
bool validate_console_name(const char *s, const char **why);

/* A key fingerprint as sshd's %f gives it ("SHA256:...", "MD5:..."). */
bool validate_fingerprint(const char *s, const char **why);

/*
 * Decodes strict, canonical, padded base64 of length len into out (room
 * for len / 4 * 3 bytes). Returns the decoded length, or -1.
 */
long validate_base64_decode(const char *in, size_t len, unsigned char *out);

/* Returns true when the len bytes at s are valid UTF-8 without NUL. */
bool validate_utf8(const char *s, size_t len);

#endif
