/*
 * The command a user typed after the host name (SSH_ORIGINAL_COMMAND),
 * parsed strictly: words split on blanks, no quoting, a fixed grammar of
 * one verb or VM word plus options in any position.
 */
#ifndef VMCONSOLE_COMMAND_H
#define VMCONSOLE_COMMAND_H

#include <stdbool.h>

/* Longest command accepted; console names and ids are far shorter. */
#define COMMAND_MAX_LEN 1024
/* More words than any accepted form has, with room for new options. */
#define COMMAND_MAX_WORDS 8

enum command_kind {
	COMMAND_PICKER,		/* nothing typed: choose from the list */
	COMMAND_CONNECT,	/* a named console */
	COMMAND_LIST,
	COMMAND_HELP,
	COMMAND_VERSION,
};

enum command_target {
	TARGET_ID_OR_NAME,	/* "<vm>": a vmid, else a VM name */
	TARGET_ID,		/* connect --vm-id=ID */
	TARGET_NAME,		/* connect --vm-name=NAME */
};

struct helper_command {
	enum command_kind kind;
	enum command_target target;	/* COMMAND_CONNECT only */
	char *vm;			/* COMMAND_CONNECT only, owned */
	bool force;			/* take over a busy console */
	bool watch;			/* attach read-only */
	long replay;			/* lines replayed; -1: the default */
	bool json;			/* COMMAND_LIST: --format=json */
};

/*
 * Parses text (NULL or empty: the picker) into cmd. Returns 0, or -1 when
 * the text is not one of the accepted forms; cmd is then left empty.
 */
int command_parse(const char *text, struct helper_command *cmd);

void command_free(struct helper_command *cmd);

/* Returns the one-line usage message, without a trailing newline. */
const char *command_usage(void);

#endif
