/*
 * The consoles document from the manager: whatever it holds, accepted
 * entries satisfy the documented field rules, and the picker lines made
 * from them reach the terminal without a control character.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console_select.h"
#include "consoles_doc.h"
#include "fuzz_support.h"
#include "libvirt_uri.h"
#include "picker.h"
#include "validate.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet_logs();
	return 0;
}

/* Aborts unless e holds only values the validators accept. */
static void
check_entry(const struct console_entry *e)
{
	char **p;

	FUZZ_CHECK(e->vmid != NULL && validate_vmid(e->vmid, NULL),
	    "vmid is valid");
	FUZZ_CHECK(e->vm != NULL && validate_vm_name(e->vm, NULL),
	    "vm is valid");
	FUZZ_CHECK(e->host != NULL && validate_host(e->host, NULL),
	    "host is valid");
	FUZZ_CHECK(e->console == NULL ||
	    validate_console_name(e->console, NULL), "console is valid");
	for (p = e->entities; p != NULL && *p != NULL; p++)
		FUZZ_CHECK(validate_entity(*p, NULL), "entity is valid");
}

/*
 * Aborts unless the host of e lands in the libvirt URI as one authority,
 * adding no user, port, path or query of its own.
 */
static void
check_libvirt_uri(const struct console_entry *e)
{
	char *uri = libvirt_uri_expand("qemu+tls://{host}/system", e->host);
	size_t n = strlen(e->host);

	FUZZ_CHECK(uri != NULL, "a valid host expands");
	if (strchr(e->host, ':') != NULL)
		FUZZ_CHECK(strncmp(uri + 11, "[", 1) == 0 &&
		    strncmp(uri + 12, e->host, n) == 0 &&
		    strcmp(uri + 12 + n, "]/system") == 0,
		    "an IPv6 host is bracketed");
	else
		FUZZ_CHECK(strncmp(uri + 11, e->host, n) == 0 &&
		    strcmp(uri + 11 + n, "/system") == 0,
		    "the host is the whole authority");
	FUZZ_CHECK(strpbrk(e->host, "@/?#[]") == NULL, "no URI delimiter");
	free(uri);
}

/* Aborts unless the picker lines for list are safe for a terminal. */
static void
check_picker_lines(const struct console_list *list)
{
	char *text = NULL, *line, *next;
	size_t len = 0, lines = 0;
	FILE *f;

	if ((f = open_memstream(&text, &len)) == NULL)
		abort();
	FUZZ_CHECK(picker_render(f, list) == 0, "the picker renders");
	if (fclose(f) != 0)
		abort();
	FUZZ_CHECK(strlen(text) == len, "no NUL byte in the picker");
	FUZZ_CHECK(validate_utf8(text, len), "the picker is valid UTF-8");
	for (line = text; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		FUZZ_CHECK(next != NULL, "every picker line ends");
		*next++ = '\0';
		FUZZ_CHECK(!fuzz_has_control(line),
		    "no control character in a picker line");
		lines++;
	}
	FUZZ_CHECK(lines == list->count, "one picker line per console");
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct console_list list = { NULL, 0 };
	char err[256];
	size_t i;

	if (size > FUZZ_INPUT_MAX)
		return 0;
	memset(err, 'x', sizeof(err));
	if (consoles_doc_parse((const char *)data, size, "fuzz", &list, err,
	    sizeof(err)) != 0) {
		FUZZ_CHECK(list.count == 0 && list.entries == NULL,
		    "a rejected document leaves the list empty");
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL,
		    "the reason is a string");
		return 0;
	}
	for (i = 0; i < list.count; i++) {
		check_entry(&list.entries[i]);
		check_libvirt_uri(&list.entries[i]);
	}
	console_select_sort(&list);
	for (i = 1; i < list.count; i++)
		FUZZ_CHECK(strcmp(list.entries[i - 1].vm,
		    list.entries[i].vm) <= 0, "sorted by VM name");
	check_picker_lines(&list);
	console_list_free(&list);
	return 0;
}
