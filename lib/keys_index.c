/* The on-disk lookup structure of the keys document. */
#include "keys_index.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "validate.h"

#define INDEX_MAGIC "VKI1"
#define INDEX_HEAD 8		/* magic and count */
#define INDEX_SLOT 16		/* hash and offset */
#define RECORD_FIELDS 6

/* Returns the FNV-1a hash of "type blob": which slot a key is in. */
static uint64_t
key_hash(const char *type, const char *blob)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *p;

	for (p = type; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	h = (h ^ ' ') * 0x100000001b3ULL;
	for (p = blob; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	return h;
}

struct slot {
	uint64_t hash;
	uint64_t offset;
};

/* qsort comparison: by hash, then by offset (document order). */
static int
slot_order(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* Returns the six fields of e in record order. */
static void
record_fields(const struct key_entry *e, const char *f[RECORD_FIELDS])
{
	f[0] = e->keytype;
	f[1] = e->keyblob;
	f[2] = e->entityid;
	f[3] = e->entity;
	f[4] = e->expiry != NULL ? e->expiry : "";
	f[5] = e->from != NULL ? e->from : "";
}

int
keys_index_build(const struct key_list *all, char **out, size_t *len)
{
	const char *f[RECORD_FIELDS];
	struct slot *slots = NULL;
	size_t total, off, i, j, n;
	uint32_t count;
	char *buf = NULL;
	int ret = -1;

	*out = NULL;
	*len = 0;
	if (all->count > UINT32_MAX)
		goto out;
	count = (uint32_t)all->count;
	if ((slots = calloc(all->count + 1, sizeof(*slots))) == NULL)
		goto out;
	total = INDEX_HEAD + all->count * INDEX_SLOT;
	for (i = 0; i < all->count; i++) {
		slots[i].hash = key_hash(all->entries[i].keytype,
		    all->entries[i].keyblob);
		slots[i].offset = total;
		record_fields(&all->entries[i], f);
		for (j = 0; j < RECORD_FIELDS; j++)
			total += strlen(f[j]) + 1;
	}
	qsort(slots, all->count, sizeof(*slots), slot_order);
	if ((buf = malloc(total)) == NULL)
		goto out;
	memcpy(buf, INDEX_MAGIC, 4);
	memcpy(buf + 4, &count, 4);
	for (i = 0; i < all->count; i++) {
		memcpy(buf + INDEX_HEAD + i * INDEX_SLOT, &slots[i].hash, 8);
		memcpy(buf + INDEX_HEAD + i * INDEX_SLOT + 8, &slots[i].offset,
		    8);
	}
	off = INDEX_HEAD + all->count * INDEX_SLOT;
	for (i = 0; i < all->count; i++) {
		record_fields(&all->entries[i], f);
		for (j = 0; j < RECORD_FIELDS; j++) {
			n = strlen(f[j]) + 1;
			memcpy(buf + off, f[j], n);
			off += n;
		}
	}
	*out = buf;
	*len = total;
	buf = NULL;
	ret = 0;
 out:
	free(buf);
	free(slots);
	return ret;
}

/* Reads slot i of the index at base. */
static struct slot
read_slot(const char *base, size_t i)
{
	struct slot s;

	memcpy(&s.hash, base + INDEX_HEAD + i * INDEX_SLOT, 8);
	memcpy(&s.offset, base + INDEX_HEAD + i * INDEX_SLOT + 8, 8);
	return s;
}

/*
 * Splits the record at off into its fields, each checked to end inside
 * the index. Returns 0 or -1 for a damaged record.
 */
static int
read_record(const char *base, size_t len, uint64_t off,
    const char *f[RECORD_FIELDS])
{
	const char *nul;
	size_t i;

	for (i = 0; i < RECORD_FIELDS; i++) {
		if (off >= len || (nul = memchr(base + off, '\0',
		    len - (size_t)off)) == NULL)
			return -1;
		f[i] = base + off;
		off = (uint64_t)(nul - base) + 1;
	}
	return 0;
}

/*
 * Checks the fields of a record as keys_doc.c checks an entry and copies
 * them into e. Returns 0, or -1 with *why set.
 */
static int
record_to_entry(const char *f[RECORD_FIELDS], struct key_entry *e,
    const char **why)
{
	memset(e, 0, sizeof(*e));
	if (!validate_key_type(f[0], why) ||
	    !validate_key_blob(f[0], f[1], why) ||
	    !validate_entity(f[2], why) || !validate_entity(f[3], why) ||
	    (f[5][0] != '\0' && !validate_from(f[5], why)))
		return -1;
	if (f[4][0] != '\0' && !validate_expiry_time(f[4])) {
		*why = "damaged expiry";
		return -1;
	}
	*why = "out of memory";
	if ((e->keytype = strdup(f[0])) == NULL ||
	    (e->keyblob = strdup(f[1])) == NULL ||
	    (e->entityid = strdup(f[2])) == NULL ||
	    (e->entity = strdup(f[3])) == NULL ||
	    (f[4][0] != '\0' && (e->expiry = strdup(f[4])) == NULL) ||
	    (f[5][0] != '\0' && (e->from = strdup(f[5])) == NULL))
		return -1;
	return 0;
}

/* Frees the strings of e. */
static void
entry_strings_free(struct key_entry *e)
{
	free(e->keytype);
	free(e->keyblob);
	free(e->entityid);
	free(e->entity);
	free(e->expiry);
	free(e->from);
}

/*
 * Checks the record f and appends it to out, or skips it with a warning
 * when it does not pass. Returns 0, or -1 on ENOMEM.
 */
static int
take_record(const char *f[RECORD_FIELDS], struct key_list *out)
{
	struct key_entry e, *grown;
	const char *why;

	if (record_to_entry(f, &e, &why) != 0) {
		log_warning("cached keys index: skipping an entry: %s", why);
		entry_strings_free(&e);
		return 0;
	}
	if ((grown = realloc(out->entries, (out->count + 2) *
	    sizeof(*grown))) == NULL) {
		entry_strings_free(&e);
		return -1;
	}
	out->entries = grown;
	out->entries[out->count++] = e;
	memset(&out->entries[out->count], 0, sizeof(e));
	return 0;
}

/*
 * Checks the head of the index and starts *out empty. Returns the entry
 * count, or -1 with the reason in err.
 */
static long
open_index(const char *base, size_t len, struct key_list *out, char *err,
    size_t errlen)
{
	uint32_t count;

	memset(out, 0, sizeof(*out));
	if (len < INDEX_HEAD || memcmp(base, INDEX_MAGIC, 4) != 0) {
		snprintf(err, errlen, "not a keys index");
		return -1;
	}
	memcpy(&count, base + 4, 4);
	if ((len - INDEX_HEAD) / INDEX_SLOT < count) {
		snprintf(err, errlen, "the keys index is truncated");
		return -1;
	}
	if ((out->entries = calloc(1, sizeof(*out->entries))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return (long)count;
}

int
keys_index_lookup(const void *index, size_t len, const char *keytype,
    const char *blob, struct key_list *out, char *err, size_t errlen)
{
	const char *base = index, *f[RECORD_FIELDS];
	size_t lo, hi, mid, i, count, found = 0;
	long n;
	uint64_t h;
	int ret = -1;

	if ((n = open_index(base, len, out, err, errlen)) < 0)
		goto out;
	count = (size_t)n;
	h = key_hash(keytype, blob);
	/* the first slot whose hash is not below h */
	for (lo = 0, hi = count; lo < hi;) {
		mid = lo + (hi - lo) / 2;
		if (read_slot(base, mid).hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < count && read_slot(base, i).hash == h; i++) {
		if (read_record(base, len, read_slot(base, i).offset, f) != 0) {
			snprintf(err, errlen, "the keys index is damaged");
			goto out;
		}
		if (strcmp(f[0], keytype) != 0 || strcmp(f[1], blob) != 0)
			continue;
		found++;
		if (take_record(f, out) != 0) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	}
	log_debug("keys index: %zu entries, %zu for the offered key",
	    count, found);
	ret = 0;
 out:
	if (ret != 0)
		key_list_free(out);
	return ret;
}

int
keys_index_find_entity(const void *index, size_t len, const char *entityid,
    struct key_list *out, char *err, size_t errlen)
{
	const char *base = index, *f[RECORD_FIELDS];
	size_t i, count;
	long n;
	int ret = -1;

	if ((n = open_index(base, len, out, err, errlen)) < 0)
		goto out;
	count = (size_t)n;
	/* a scan: only logins by certificate with cert_check_manager ask */
	for (i = 0; i < count; i++) {
		if (read_record(base, len, read_slot(base, i).offset, f) != 0) {
			snprintf(err, errlen, "the keys index is damaged");
			goto out;
		}
		if (strcmp(f[2], entityid) == 0 && take_record(f, out) != 0) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
	}
	ret = 0;
 out:
	if (ret != 0)
		key_list_free(out);
	return ret;
}
