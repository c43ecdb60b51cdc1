/* The consoles document of the manager API v1 (docs/manager-api.md). */
#ifndef VMCONSOLE_CONSOLES_DOC_H
#define VMCONSOLE_CONSOLES_DOC_H

#include <stddef.h>

#include "manager.h"

/*
 * Parses a consoles document. Returns 0 with every valid entry in *out
 * (not yet filtered by entity); each invalid entry is logged (origin,
 * index, field, reason) and skipped. Returns -1 with the reason in err, and
 * *out empty, when the document as a whole is unacceptable.
 */
int consoles_doc_parse(const char *body, size_t len, const char *origin,
    struct console_list *out, char *err, size_t errlen);

#endif
