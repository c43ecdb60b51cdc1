/*
 * The keys document as a lookup structure: built once per version of the
 * document from its valid entries, stored in the cache, and read through a
 * mapping so that a login touches only the entries of its own key.
 *
 * Layout (host byte order, the cache is this machine's): "VKI1", the
 * entry count (uint32), then one slot per entry sorted by hash (uint64
 * FNV-1a of "TYPE BLOB") and offset (uint64, from the start of the index)
 * of a record of six NUL-terminated strings: type, blob, entity id,
 * entity, expiry and from (empty when absent).
 */
#ifndef VMCONSOLE_KEYS_INDEX_H
#define VMCONSOLE_KEYS_INDEX_H

#include <stddef.h>

#include "manager.h"

/*
 * Builds the index of the entries of all. Returns 0 with a newly
 * allocated index in *out and its length in *len, or -1 on ENOMEM.
 */
int keys_index_build(const struct key_list *all, char **out, size_t *len);

/*
 * Looks up the entries for keytype and blob in the index of len bytes at
 * index. Every record found is checked again as the document parser
 * checks entries (a damaged one is skipped with a warning) before it is
 * returned in *out. Returns 0, or -1 with the reason in err when the index
 * is damaged or memory runs out.
 */
int keys_index_lookup(const void *index, size_t len, const char *keytype,
    const char *blob, struct key_list *out, char *err, size_t errlen);

/*
 * Like keys_index_lookup(), for the entries of the entity entityid
 * whatever their key. Reads the whole index.
 */
int keys_index_find_entity(const void *index, size_t len,
    const char *entityid, struct key_list *out, char *err, size_t errlen);

#endif
