/*
 * The keys document from the manager, and the authorized_keys lines made
 * from it: whatever the manager sends, every accepted entry must become
 * exactly one line that forces the console helper with the entry's own
 * entity and adds no option sshd would honour beyond the expected ones.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "keys_doc.h"
#include "render.h"

#define HELPER	"/usr/libexec/vmconsole-proxy/vmconsole-console-helper"
#define CONF	"/etc/vmconsole-proxy/vmconsole.conf"
#define PREFIX	"restrict,pty,command=\""

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet_logs();
	return 0;
}

/*
 * Returns a pointer past the word w at *p followed by end (a byte), or
 * NULL when the text there differs.
 */
static const char *
expect(const char *p, const char *w, char end)
{
	size_t n = strlen(w);

	if (strncmp(p, w, n) != 0 || p[n] != end)
		return NULL;
	return p + n + 1;
}

/*
 * Returns a pointer past a quoted option value at p ("value"), checking
 * that the value equals want; NULL otherwise.
 */
static const char *
expect_quoted(const char *p, const char *want)
{
	size_t n = strlen(want);

	if (*p != '"' || strncmp(p + 1, want, n) != 0 || p[n + 1] != '"')
		return NULL;
	return p + n + 2;
}

/* Aborts unless line is the one authorized_keys line e must give. */
static void
check_line(const char *line, const struct key_entry *e)
{
	const char *p, *q;
	size_t n = strlen(line), i;

	FUZZ_CHECK(n > 0 && line[n - 1] == '\n', "line ends in a newline");
	for (i = 0; i + 1 < n; i++)
		FUZZ_CHECK((unsigned char)line[i] >= 0x20 &&
		    (unsigned char)line[i] < 0x7f, "printable ASCII only");
	FUZZ_CHECK(strncmp(line, PREFIX, strlen(PREFIX)) == 0,
	    "line starts with the forced command");
	/* the quoted command: exactly five words, the last two ours */
	p = line + strlen(PREFIX);
	q = strchr(p, '"');
	FUZZ_CHECK(q != NULL, "command is quoted");
	FUZZ_CHECK(memchr(p, '\\', (size_t)(q - p)) == NULL,
	    "no backslash in the command");
	p = expect(p, HELPER, ' ');
	FUZZ_CHECK(p != NULL, "command starts with the helper path");
	p = expect(p, "-c", ' ');
	FUZZ_CHECK(p != NULL, "then -c");
	p = expect(p, CONF, ' ');
	FUZZ_CHECK(p != NULL, "then the configuration path");
	FUZZ_CHECK(strncmp(p, "--entity-id=", 12) == 0, "then --entity-id=");
	p = expect(p + 12, e->entityid, ' ');
	FUZZ_CHECK(p != NULL, "with the entry's entity id");
	FUZZ_CHECK(strncmp(p, "--entity=", 9) == 0, "then --entity=");
	p = expect(p + 9, e->entity, '"');
	FUZZ_CHECK(p != NULL && p == q + 1, "with the entry's entity, last");
	/* the options that may follow, in order, then the key */
	if (e->expiry != NULL) {
		FUZZ_CHECK(strncmp(p, ",expiry-time=", 13) == 0,
		    "expiry-time= present");
		p = expect_quoted(p + 13, e->expiry);
		FUZZ_CHECK(p != NULL, "expiry-time= holds the expiry");
	}
	if (e->from != NULL) {
		FUZZ_CHECK(strncmp(p, ",from=", 6) == 0, "from= present");
		p = expect_quoted(p + 6, e->from);
		FUZZ_CHECK(p != NULL, "from= holds the patterns");
	}
	FUZZ_CHECK(*p == ' ', "options end before the key");
	p = expect(p + 1, e->keytype, ' ');
	FUZZ_CHECK(p != NULL, "key type follows the options");
	p = expect(p, e->keyblob, '\n');
	FUZZ_CHECK(p != NULL && *p == '\0', "key blob ends the line");
	FUZZ_CHECK(strchr(e->keyblob, ' ') == NULL &&
	    strchr(e->keytype, ' ') == NULL, "type and blob are one word");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct key_list list = { NULL, 0 };
	char err[256], *line = NULL, *all = NULL, *joined = NULL;
	size_t i, len = 0, used = 0;

	if (size > FUZZ_INPUT_MAX)
		return 0;
	memset(err, 'x', sizeof(err));
	if (keys_doc_parse((const char *)data, size, "fuzz", &list, err,
	    sizeof(err)) != 0) {
		FUZZ_CHECK(list.count == 0 && list.entries == NULL,
		    "a rejected document leaves the list empty");
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) != NULL,
		    "the reason is a string");
		return 0;
	}
	if ((joined = calloc(1, 1)) == NULL)
		abort();
	for (i = 0; i < list.count; i++) {
		line = authkeys_render_line(&list.entries[i], HELPER, CONF);
		FUZZ_CHECK(line != NULL, "an accepted entry renders");
		check_line(line, &list.entries[i]);
		if ((joined = realloc(joined, used + strlen(line) + 1)) == NULL)
			abort();
		memcpy(joined + used, line, strlen(line) + 1);
		used += strlen(line);
		free(line);
		line = NULL;
	}
	FUZZ_CHECK(authkeys_render_list(&list, HELPER, CONF, &all, &len) == 0,
	    "the list renders");
	FUZZ_CHECK(len == used && memcmp(all, joined, used + 1) == 0,
	    "the list is the lines one after another");
	free(all);
	free(joined);
	key_list_free(&list);
	return 0;
}
