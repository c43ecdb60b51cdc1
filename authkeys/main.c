/*
 * vmconsole-authkeys: sshd's AuthorizedKeysCommand. Prints authorized_keys
 * lines, from the manager's keys document, that force the console helper.
 *
 * Exit status: 0 with the lines (none when nothing matches or USER is not
 * the login user), 1 after logging an error, 2 for a usage error. sshd
 * ignores the output of a command that exits non-zero.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fd_write.h"
#include "invocation.h"
#include "log.h"
#include "manager.h"
#include "principals.h"
#include "render.h"
#include "validate.h"

#define USAGE "usage: vmconsole-authkeys [-c FILE] [-v] " \
	"USER KEYTYPE FINGERPRINT KEYBLOB"

/* Returns 0 when sshd's arguments are well formed, else 1 after logging. */
static int
check_arguments(const char *keytype, const char *fingerprint,
    const char *blob)
{
	const char *why = NULL;

	if (!validate_key_type(keytype, &why)) {
		log_error("key type \"%s\": %s", keytype, why);
		return 1;
	}
	if (!validate_fingerprint(fingerprint, &why)) {
		log_error("fingerprint \"%s\": %s", fingerprint, why);
		return 1;
	}
	if (!validate_key_blob(keytype, blob, &why)) {
		log_error("key %s: %s", fingerprint, why);
		return 1;
	}
	return 0;
}

/* Returns the exit status described at the top of this file. */
int
main(int argc, char **argv)
{
	struct vmconsole_config cfg;
	struct key_list keys = { NULL, 0 };
	struct manager_request req;
	struct invocation inv = { NULL, false, NULL };
	char *out = NULL;
	size_t len = 0;
	int ret = 1;

	config_init(&cfg);
	log_open("vmconsole-authkeys", isatty(STDERR_FILENO) == 1);
	/* certificates: sshd's AuthorizedPrincipalsCommand */
	if (argc > 1 && strcmp(argv[1], "--principals") == 0) {
		ret = principals_main(argc - 1, argv + 1);
		goto out;
	}
	if ((ret = invocation_start(argc, argv, 4, USAGE, &inv, &cfg)) != 0)
		goto out;
	ret = 1;
	memset(&req, 0, sizeof(req));
	req.user = inv.args[0];
	req.keytype = inv.args[1];
	req.fingerprint = inv.args[2];
	req.key = inv.args[3];
	if (check_arguments(req.keytype, req.fingerprint, req.key) != 0)
		goto out;
	if (strcmp(req.user, cfg.login_user) != 0) {
		log_verbose("user \"%s\" is not %s: no keys", req.user,
		    cfg.login_user);
		ret = 0;
		goto out;
	}
	if (manager_fetch_keys(&cfg, &req, &keys) != 0)
		goto out;
	if (authkeys_render_list(&keys, VMCONSOLE_HELPER_PATH, inv.conf_path,
	    &out, &len) != 0)
		goto out;
	if (fd_write_all(STDOUT_FILENO, out, len) != 0) {
		log_error("cannot write the key lines: %s", strerror(errno));
		goto out;
	}
	log_verbose("key %s %s: %zu matching entr%s", req.keytype,
	    req.fingerprint, keys.count, keys.count == 1 ? "y" : "ies");
	ret = 0;
 out:
	free(out);
	invocation_free(&inv);
	key_list_free(&keys);
	config_free(&cfg);
	return ret;
}
