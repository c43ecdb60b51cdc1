/*
 * What both modes of vmconsole-authkeys (keys and --principals) do with
 * sshd's command line before their own work: options -c FILE and -v,
 * a fixed count of arguments, and the configuration, loaded from an
 * absolute path because that path is written into every forced command.
 */
#ifndef VMCONSOLE_AUTHKEYS_INVOCATION_H
#define VMCONSOLE_AUTHKEYS_INVOCATION_H

#include <stdbool.h>

#include "config.h"

struct invocation {
	char	 *conf_path;	/* absolute, safe to write into a command */
	bool	  verbose;	/* -v: debug log to stderr */
	char	**args;		/* sshd's arguments, as many as asked for */
};

/*
 * Parses argv (argv[0] is the program or mode name) expecting nargs
 * arguments after the options, then loads *cfg from the -c file or the
 * default. Returns 0, 2 after printing usage, or 1 after logging an
 * error. *inv is to be freed with invocation_free() in every case.
 */
int invocation_start(int argc, char **argv, int nargs, const char *usage,
    struct invocation *inv, struct vmconsole_config *cfg);

void invocation_free(struct invocation *inv);

#endif
