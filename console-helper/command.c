/* Strict parsing of the command a user typed after the host name. */
#include "command.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

/* More words than any accepted form has. */
#define COMMAND_MAX_WORDS 6
/* The most lines --replay=N may ask for. */
#define COMMAND_REPLAY_MAX 100000

static const char usage_text[] =
    "usage: VM [OPTIONS] | connect --vm-id=ID [OPTIONS] | "
    "connect --vm-name=NAME [OPTIONS] | list [--format=json] | help | "
    "version (nothing: choose from a list); OPTIONS: --force, --watch, "
    "--replay=N";

const char *
command_usage(void)
{
	return usage_text;
}

void
command_free(struct helper_command *cmd)
{
	free(cmd->vm);
	memset(cmd, 0, sizeof(*cmd));
}

/*
 * Splits buf in place on blanks into at most max words. Returns the number
 * of words, or -1 when there are more than max.
 */
static int
split_words(char *buf, char **words, int max)
{
	char *p = buf;
	int n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return n;
		if (n == max)
			return -1;
		words[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

/* Returns 1 when text holds a control character other than a blank. */
static int
has_control_chars(const char *text)
{
	const unsigned char *p;

	for (p = (const unsigned char *)text; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return 1;
	return 0;
}

/*
 * Parses the target of a connect form: "--vm-id=ID" or "--vm-name=NAME".
 * Returns 0 and fills cmd, or -1.
 */
static int
parse_connect_target(const char *word, struct helper_command *cmd)
{
	const char *value;

	if (strncmp(word, "--vm-id=", 8) == 0) {
		cmd->target = TARGET_ID;
		value = word + 8;
	} else if (strncmp(word, "--vm-name=", 10) == 0) {
		cmd->target = TARGET_NAME;
		value = word + 10;
	} else
		return -1;
	if (*value == '\0')
		return -1;
	if ((cmd->vm = strdup(value)) == NULL) {
		log_error("out of memory");
		return -1;
	}
	return 0;
}

/*
 * Takes the session options (--force, --watch, --replay=N) out of words,
 * wherever they stand, and returns how many words are left, or -1 when an
 * option is repeated, malformed or contradicts another.
 */
static int
take_session_options(char **words, int n, struct helper_command *cmd)
{
	bool force = false, watch = false;
	char *end = NULL;
	int i, left = 0;

	cmd->replay = -1;
	for (i = 0; i < n; i++) {
		if (strcmp(words[i], "--force") == 0 && !force)
			force = true;
		else if (strcmp(words[i], "--watch") == 0 && !watch)
			watch = true;
		else if (strncmp(words[i], "--replay=", 9) == 0 &&
		    cmd->replay < 0) {
			if (words[i][9] < '0' || words[i][9] > '9' ||
			    strlen(words[i] + 9) > 6)
				return -1;
			cmd->replay = strtol(words[i] + 9, &end, 10);
			if (*end != '\0' || cmd->replay > COMMAND_REPLAY_MAX)
				return -1;
		} else if (strcmp(words[i], "--force") == 0 ||
		    strcmp(words[i], "--watch") == 0 ||
		    strncmp(words[i], "--replay=", 9) == 0)
			return -1;
		else
			words[left++] = words[i];
	}
	if (force && watch)
		return -1;
	cmd->force = force;
	cmd->watch = watch;
	return left;
}

/* Parses the words of a connect form; returns 0 or -1. */
static int
parse_connect(char **words, int n, struct helper_command *cmd)
{
	int i = 0;

	cmd->kind = COMMAND_CONNECT;
	if ((n = take_session_options(words, n, cmd)) < 0)
		return -1;
	if (i < n && strcmp(words[i], "--force") == 0) {
		cmd->force = true;
		i++;
	}
	if (i < n && strcmp(words[i], "connect") == 0) {
		i++;
		if (!cmd->force && i < n && strcmp(words[i], "--force") == 0) {
			cmd->force = true;
			i++;
		}
		if (n - i != 1)
			return -1;
		return parse_connect_target(words[i], cmd);
	}
	/* "<vm>": a leading '-' is a mistyped option, not a VM */
	if (n - i != 1 || words[i][0] == '-')
		return -1;
	cmd->target = TARGET_ID_OR_NAME;
	if ((cmd->vm = strdup(words[i])) == NULL) {
		log_error("out of memory");
		return -1;
	}
	return 0;
}

int
command_parse(const char *text, struct helper_command *cmd)
{
	char *buf = NULL, *words[COMMAND_MAX_WORDS];
	int n, ret = -1;

	memset(cmd, 0, sizeof(*cmd));
	if (text == NULL)
		text = "";
	if (strlen(text) > COMMAND_MAX_LEN || has_control_chars(text))
		goto out;
	if ((buf = strdup(text)) == NULL) {
		log_error("out of memory");
		goto out;
	}
	if ((n = split_words(buf, words, COMMAND_MAX_WORDS)) < 0)
		goto out;
	if (n == 0) {
		cmd->kind = COMMAND_PICKER;
		ret = 0;
	} else if (strcmp(words[0], "list") == 0) {
		cmd->kind = COMMAND_LIST;
		if (n == 1)
			ret = 0;
		else if (n == 2 && strcmp(words[1], "--format=json") == 0) {
			cmd->json = true;
			ret = 0;
		}
	} else if (n == 1 && (strcmp(words[0], "help") == 0 ||
	    strcmp(words[0], "--help") == 0)) {
		cmd->kind = COMMAND_HELP;
		ret = 0;
	} else if (n == 1 && strcmp(words[0], "version") == 0) {
		cmd->kind = COMMAND_VERSION;
		ret = 0;
	} else
		ret = parse_connect(words, n, cmd);
 out:
	if (ret != 0)
		command_free(cmd);
	free(buf);
	return ret;
}
