/*
 * The keys index kept in the cache: built from any keys document the
 * manager sends, every key must find exactly its own entries, in document
 * order; and any bytes read as an index (a damaged cache file) must be
 * refused or give entries that pass the document's validation.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "keys_doc.h"
#include "keys_index.h"
#include "validate.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet_logs();
	return 0;
}

/* Returns 1 when a and b are the same entry. */
static int
same_entry(const struct key_entry *a, const struct key_entry *b)
{
	return strcmp(a->entityid, b->entityid) == 0 &&
	    strcmp(a->entity, b->entity) == 0 &&
	    strcmp(a->keytype, b->keytype) == 0 &&
	    strcmp(a->keyblob, b->keyblob) == 0 &&
	    (a->expiry == NULL) == (b->expiry == NULL) &&
	    (a->expiry == NULL || strcmp(a->expiry, b->expiry) == 0) &&
	    (a->from == NULL) == (b->from == NULL) &&
	    (a->from == NULL || strcmp(a->from, b->from) == 0);
}

/* Any bytes as an index: no crash, and what comes out is valid. */
static void
raw_index(const uint8_t *data, size_t size)
{
	static const char blob[] =
	    "AAAAC3NzaC1lZDI1NTE5AAAAIPya8IKGURXWudGgSi6WDGO1OTPFFvFp"
	    "8muqpPlYM78N";
	struct key_list out;
	const char *why;
	char err[256];
	size_t i;

	if (keys_index_lookup(data, size, "ssh-ed25519", blob, &out, err,
	    sizeof(err)) != 0) {
		FUZZ_CHECK(out.count == 0 && out.entries == NULL,
		    "a refused index gives nothing");
		return;
	}
	for (i = 0; i < out.count; i++) {
		FUZZ_CHECK(strcmp(out.entries[i].keyblob, blob) == 0,
		    "only the key looked up");
		FUZZ_CHECK(validate_entity(out.entries[i].entityid, &why) &&
		    validate_entity(out.entries[i].entity, &why),
		    "entities are valid");
		FUZZ_CHECK(out.entries[i].from == NULL ||
		    validate_from(out.entries[i].from, &why),
		    "from= is valid");
	}
	key_list_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct key_list all = { NULL, 0 }, out;
	char err[256], *index = NULL;
	size_t len, i, j, k;

	if (size > FUZZ_INPUT_MAX)
		return 0;
	if (size >= 4 && memcmp(data, "VKI1", 4) == 0) {
		raw_index(data, size);
		return 0;
	}
	if (keys_doc_parse((const char *)data, size, "fuzz", &all, err,
	    sizeof(err)) != 0)
		return 0;
	FUZZ_CHECK(keys_index_build(&all, &index, &len) == 0,
	    "a parsed document indexes");
	for (i = 0; i < all.count; i++) {
		FUZZ_CHECK(keys_index_lookup(index, len, all.entries[i].keytype,
		    all.entries[i].keyblob, &out, err, sizeof(err)) == 0,
		    "its own index is accepted");
		/* the entries of that key, in document order */
		for (j = 0, k = 0; j < all.count; j++) {
			if (strcmp(all.entries[j].keytype,
			    all.entries[i].keytype) != 0 ||
			    strcmp(all.entries[j].keyblob,
			    all.entries[i].keyblob) != 0)
				continue;
			FUZZ_CHECK(k < out.count &&
			    same_entry(&out.entries[k], &all.entries[j]),
			    "every entry of the key, in order");
			k++;
		}
		FUZZ_CHECK(k == out.count, "nothing but the key's entries");
		key_list_free(&out);
	}
	/* a truncated index is refused or gives a subset, never more */
	if (len > 8 && all.count > 0) {
		if (keys_index_lookup(index, len / 2, all.entries[0].keytype,
		    all.entries[0].keyblob, &out, err, sizeof(err)) == 0)
			key_list_free(&out);
	}
	free(index);
	key_list_free(&all);
	return 0;
}
