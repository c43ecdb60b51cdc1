/*
 * Strict parsing of the command a user typed after the host name.
 *
 * A command is one verb or VM word (the operand) and options written
 * --name or --name=VALUE, in any order: "web01 --force" and "--force web01"
 * mean the same. Order-free options matter because OpenSSH takes a first
 * remote word that starts with '-' for one of its own options, so users
 * type them after the VM. Each option is a row of option_table; a new one
 * needs a row and a field, no parsing code.
 */
#include "command.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

/* The commands an option may be given with, as a bit set. */
#define FOR_CONNECT	(1u << COMMAND_CONNECT)
#define FOR_LIST	(1u << COMMAND_LIST)

struct command_option {
	const char *name;	/* "--force"; a value is written name=VALUE */
	bool has_value;
	unsigned int commands;	/* FOR_* the option is accepted with */
	/* stores the option into cmd; returns 0, or -1 for a bad value */
	int (*store)(struct helper_command *cmd, const char *value);
};

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

static int
store_force(struct helper_command *cmd, const char *value)
{
	(void)value;
	cmd->force = true;
	return 0;
}

static int
store_watch(struct helper_command *cmd, const char *value)
{
	(void)value;
	cmd->watch = true;
	return 0;
}

/* Stores N of --replay=N: digits only, at most COMMAND_REPLAY_MAX. */
static int
store_replay(struct helper_command *cmd, const char *value)
{
	char *end = NULL;

	if (*value < '0' || *value > '9' || strlen(value) > 6)
		return -1;
	cmd->replay = strtol(value, &end, 10);
	return *end == '\0' && cmd->replay <= COMMAND_REPLAY_MAX ? 0 : -1;
}

static int
store_format(struct helper_command *cmd, const char *value)
{
	if (strcmp(value, "json") != 0)
		return -1;
	cmd->json = true;
	return 0;
}

/* Stores the VM of a connect form, which only one option may name. */
static int
store_target(struct helper_command *cmd, enum command_target target,
    const char *value)
{
	if (cmd->vm != NULL || *value == '\0')
		return -1;
	if ((cmd->vm = strdup(value)) == NULL) {
		log_error("out of memory");
		return -1;
	}
	cmd->target = target;
	return 0;
}

static int
store_vm_id(struct helper_command *cmd, const char *value)
{
	return store_target(cmd, TARGET_ID, value);
}

static int
store_vm_name(struct helper_command *cmd, const char *value)
{
	return store_target(cmd, TARGET_NAME, value);
}

static const struct command_option option_table[] = {
	{ "--force",	false,	FOR_CONNECT,	store_force },
	{ "--watch",	false,	FOR_CONNECT,	store_watch },
	{ "--replay",	true,	FOR_CONNECT,	store_replay },
	{ "--vm-id",	true,	FOR_CONNECT,	store_vm_id },
	{ "--vm-name",	true,	FOR_CONNECT,	store_vm_name },
	{ "--format",	true,	FOR_LIST,	store_format },
};
#define OPTION_COUNT (sizeof(option_table) / sizeof(option_table[0]))

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
 * Finds the option word names, and its value in *value (NULL for an
 * option without one). Returns its index in option_table, or -1 for an
 * unknown option or a value given or missing where it should not be.
 */
static int
find_option(const char *word, const char **value)
{
	const char *eq = strchr(word, '=');
	size_t len = eq != NULL ? (size_t)(eq - word) : strlen(word);
	size_t i;

	for (i = 0; i < OPTION_COUNT; i++) {
		if (strlen(option_table[i].name) != len ||
		    strncmp(option_table[i].name, word, len) != 0)
			continue;
		if (option_table[i].has_value != (eq != NULL))
			return -1;
		*value = eq != NULL ? eq + 1 : NULL;
		return (int)i;
	}
	return -1;
}

/* Returns the command the operand word names; anything else is a VM. */
static enum command_kind
operand_kind(const char *word)
{
	if (word == NULL)
		return COMMAND_PICKER;
	if (strcmp(word, "list") == 0)
		return COMMAND_LIST;
	if (strcmp(word, "help") == 0)
		return COMMAND_HELP;
	if (strcmp(word, "version") == 0)
		return COMMAND_VERSION;
	return COMMAND_CONNECT;
}

/*
 * Parses n words (n >= 1): the one operand, then the options against what
 * that operand accepts. Returns 0 or -1.
 */
static int
parse_words(char **words, int n, struct helper_command *cmd)
{
	unsigned int seen = 0;
	const char *operand = NULL, *value;
	int i, opt;

	/* "--help" alone is help, as most programs have it */
	if (n == 1 && strcmp(words[0], "--help") == 0) {
		cmd->kind = COMMAND_HELP;
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (words[i][0] == '-')
			continue;
		if (operand != NULL)
			return -1;
		operand = words[i];
	}
	cmd->kind = operand_kind(operand);
	for (i = 0; i < n; i++) {
		if (words[i] == operand)
			continue;
		if ((opt = find_option(words[i], &value)) < 0 ||
		    (seen & (1u << opt)) != 0 ||
		    (option_table[opt].commands & (1u << cmd->kind)) == 0)
			return -1;
		seen |= 1u << opt;
		if (option_table[opt].store(cmd, value) != 0)
			return -1;
	}
	if (cmd->kind != COMMAND_CONNECT)
		return 0;
	/* taking the console over and only watching it contradict */
	if (cmd->force && cmd->watch)
		return -1;
	/* "connect" needs --vm-id or --vm-name; a VM word needs neither */
	if (strcmp(operand, "connect") == 0)
		return cmd->vm != NULL ? 0 : -1;
	if (cmd->vm != NULL)
		return -1;
	cmd->target = TARGET_ID_OR_NAME;
	if ((cmd->vm = strdup(operand)) == NULL) {
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
	cmd->replay = -1;
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
	} else
		ret = parse_words(words, n, cmd);
 out:
	if (ret != 0)
		command_free(cmd);
	free(buf);
	return ret;
}
