/*
 * SSH_ORIGINAL_COMMAND, typed by any user who logged in: the parser
 * accepts only the documented forms, and what it accepts names a VM with
 * no blank or control character in it.
 */
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "fuzz_support.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet_logs();
	return 0;
}

/* Returns the number of blank-separated words in s. */
static size_t
count_words(const char *s)
{
	size_t n = 0;

	for (;;) {
		s += strspn(s, " \t");
		if (*s == '\0')
			return n;
		n++;
		s += strcspn(s, " \t");
	}
}

/* Returns 1 when s holds a byte < 0x20 other than a tab, or DEL. */
static int
has_c0_or_del(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return 1;
	return 0;
}

/* Aborts unless an accepted cmd is consistent with the text it came from. */
static void
check_command(const char *text, const struct helper_command *cmd)
{
	size_t words = count_words(text);

	FUZZ_CHECK(strlen(text) <= COMMAND_MAX_LEN, "length within the cap");
	FUZZ_CHECK(!has_c0_or_del(text), "no control character but tabs");
	switch (cmd->kind) {
	case COMMAND_PICKER:
		FUZZ_CHECK(words == 0, "the picker only for nothing typed");
		break;
	case COMMAND_LIST:
		FUZZ_CHECK(words == (cmd->json ? 2u : 1u), "list [--format]");
		break;
	case COMMAND_HELP:
	case COMMAND_VERSION:
		FUZZ_CHECK(words == 1, "help and version are one word");
		break;
	case COMMAND_CONNECT:
		FUZZ_CHECK(cmd->vm != NULL && cmd->vm[0] != '\0',
		    "a connect names a VM");
		FUZZ_CHECK(strpbrk(cmd->vm, " \t") == NULL,
		    "the VM is one word");
		FUZZ_CHECK(strstr(text, cmd->vm) != NULL,
		    "the VM comes from the text");
		FUZZ_CHECK(words >= 1 && words <= COMMAND_MAX_WORDS,
		    "at most COMMAND_MAX_WORDS words");
		FUZZ_CHECK(!cmd->force || strstr(text, "--force") != NULL,
		    "--force only when typed");
		if (cmd->target == TARGET_ID_OR_NAME)
			FUZZ_CHECK(cmd->vm[0] != '-',
			    "an option is not taken for a VM");
		return;
	default:
		FUZZ_CHECK(0, "a known command kind");
	}
	FUZZ_CHECK(cmd->vm == NULL && !cmd->force, "no VM outside connect");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct helper_command cmd;
	char *text;

	if (size > 4 * COMMAND_MAX_LEN)
		return 0;
	text = fuzz_strdup(data, size);
	if (command_parse(text, &cmd) == 0) {
		check_command(text, &cmd);
		command_free(&cmd);
	} else
		FUZZ_CHECK(cmd.vm == NULL, "a refused command holds nothing");
	FUZZ_CHECK(command_parse(NULL, &cmd) == 0 &&
	    cmd.kind == COMMAND_PICKER, "no command is the picker");
	command_free(&cmd);
	free(text);
	return 0;
}
