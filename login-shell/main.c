/*
 * vmconsole-login-shell: the login shell of the console service account.
 *
 * sshd runs every session of the account as "SHELL -c COMMAND", whatever
 * credential it accepted and whatever its configuration (drop-ins
 * included) says. This program runs COMMAND only when it is exactly the
 * console helper's command line as vmconsole-authkeys writes it, with
 * valid entity values, and then execs the helper itself: no shell ever
 * parses anything. Everything else (an interactive login, a command the
 * user typed, a subsystem) is refused with one line and exit status 1.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fd_write.h"
#include "forced_command.h"
#include "log.h"

#define REFUSAL "vmconsole-login-shell: this account only opens consoles\n"

int
main(int argc, char **argv)
{
	struct forced_command fc;
	const char *why = NULL;

	memset(&fc, 0, sizeof(fc));
	log_open("vmconsole-login-shell", false);
	if (argc != 3 || strcmp(argv[1], "-c") != 0) {
		log_error("refused: %s", argc < 2 ? "interactive login" :
		    "not run as SHELL -c COMMAND");
		goto fail;
	}
	if (forced_command_parse(argv[2], VMCONSOLE_HELPER_PATH, &fc,
	    &why) != 0) {
		log_error("refused command \"%s\": %s", argv[2], why);
		goto fail;
	}
	execv(fc.argv[0], fc.argv);
	log_error("cannot run %s: %s", fc.argv[0], strerror(errno));
 fail:
	forced_command_free(&fc);
	/* nothing more to say when stderr is gone */
	if (fd_write_all(STDERR_FILENO, REFUSAL, sizeof(REFUSAL) - 1) != 0)
		return 1;
	return 1;
}
