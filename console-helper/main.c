/*
 * vmconsole-console-helper: the forced command of the console sshd. Gives
 * the entity named on the command line the consoles the manager lists for
 * it, and nothing else: it never runs a shell or anything the user names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "command.h"
#include "config.h"
#include "dispatch.h"
#include "exit_status.h"
#include "log.h"
#include "options.h"

int
main(int argc, char **argv)
{
	struct helper_options opts;
	struct helper_command cmd;
	struct vmconsole_config cfg;
	struct audit_context audit;
	int status = EXIT_STATUS_USAGE, have_config = 0;

	memset(&cmd, 0, sizeof(cmd));
	log_open("vmconsole-console-helper", false);
	/*
	 * libvirt's own log lines (a failed certificate check, say) go to
	 * stderr by default, which is the user's terminal; the helper says
	 * the cause in its own one line and logs it. Its syslog output is no
	 * way out: it re-opens syslog with its own facility and options,
	 * which would move the audit lines out of AUTHPRIV. An operator's
	 * setting (sshd's SetEnv) wins.
	 */
	if (setenv("LIBVIRT_LOG_OUTPUTS", "4:file:/dev/null", 0) != 0)
		log_warning("cannot redirect libvirt's log: out of memory");
	if (options_parse(argc, argv, &opts) != 0) {
		fprintf(stderr, "vmconsole-console-helper: invalid invocation "
		    "(see the system log)\n");
		goto out;
	}
	if (opts.verbose) {
		log_set_stderr(true);
		log_set_level(LOG_LEVEL_DEBUG);
	}
	audit_context_init(&audit, opts.entity_id, opts.entity,
	    getenv("SSH_CONNECTION"));
	if (opts.cert_serial != NULL)
		audit_context_set_certificate(&audit, opts.cert_serial,
		    opts.cert_key_id);
	if (command_parse(getenv("SSH_ORIGINAL_COMMAND"), &cmd) != 0) {
		log_verbose("entity %s: rejected command \"%s\"",
		    opts.entity_id, getenv("SSH_ORIGINAL_COMMAND"));
		fprintf(stderr, "%s\n", command_usage());
		goto out;
	}
	if (dispatch_needs_config(&cmd)) {
		config_init(&cfg);
		have_config = 1;
		if (config_load(&cfg, opts.config_path) != 0) {
			fprintf(stderr, "vmconsole-console-helper: cannot "
			    "read the configuration (see the system log)\n");
			status = EXIT_STATUS_NOT_FOUND;
			goto out;
		}
		if (!opts.verbose)
			log_set_level(cfg.log_level);
	}
	status = dispatch_command(have_config ? &cfg : NULL, &audit, &cmd);
 out:
	command_free(&cmd);
	if (have_config)
		config_free(&cfg);
	return status;
}
