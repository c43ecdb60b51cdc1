/* The keys document of the manager API v1 (docs/manager-api.md). */
#ifndef VMCONSOLE_KEYS_DOC_H
#define VMCONSOLE_KEYS_DOC_H

#include <stddef.h>

#include "manager.h"

/*
 * Parses a keys document. Returns 0 with every valid entry in *out; each
 * invalid entry is logged (origin, index, field, reason) and skipped.
 * Returns -1 with the reason in err, and *out empty, when the document as a
 * whole is unacceptable (not JSON, wrong version or content, no "keys").
 */
int keys_doc_parse(const char *body, size_t len, const char *origin,
    struct key_list *out, char *err, size_t errlen);

#endif
