/*
 * vmconsole-authkeys: sshd's AuthorizedKeysCommand. Prints authorized_keys
 * lines, from the manager's keys document, that force the console helper.
 *
 * Exit status: 0 with the lines (none when nothing matches or USER is not
 * the login user), 1 after logging an error, 2 for a usage error. sshd
 * ignores the output of a command that exits non-zero.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fd_write.h"
#include "log.h"
#include "manager.h"
#include "principals.h"
#include "render.h"
#include "validate.h"

#define USAGE "usage: vmconsole-authkeys [-c FILE] [-v] " \
	"USER KEYTYPE FINGERPRINT KEYBLOB"

/*
 * Returns a newly allocated absolute form of path (relative paths are
 * taken from the working directory, symbolic links kept, so that
 * path.d/ is the directory the console helper reads too), or NULL.
 */
static char *
absolute_path(const char *path)
{
	char cwd[PATH_MAX], *out = NULL;
	size_t n;

	if (path[0] == '/')
		return strdup(path);
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return NULL;
	n = strlen(cwd) + strlen(path) + 2;
	if ((out = malloc(n)) != NULL)
		snprintf(out, n, "%s/%s", cwd, path);
	return out;
}

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
	const char *conf_arg = VMCONSOLE_CONF_FILE;
	char *conf_path = NULL, *out = NULL;
	bool verbose = false;
	size_t len = 0;
	int ch, ret = 1;

	config_init(&cfg);
	log_open("vmconsole-authkeys", isatty(STDERR_FILENO) == 1);
	/* certificates: sshd's AuthorizedPrincipalsCommand */
	if (argc > 1 && strcmp(argv[1], "--principals") == 0) {
		ret = principals_main(argc - 1, argv + 1);
		goto out;
	}
	while ((ch = getopt(argc, argv, "+c:v")) != -1) {
		switch (ch) {
		case 'c':
			conf_arg = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			fprintf(stderr, "%s\n", USAGE);
			ret = 2;
			goto out;
		}
	}
	/* an option-like USER from sshd also ends here: wrong count */
	if (argc - optind != 4) {
		log_error("%s", USAGE);
		ret = 2;
		goto out;
	}
	if (verbose) {
		log_set_stderr(true);
		log_set_level(LOG_LEVEL_DEBUG);
	}
	memset(&req, 0, sizeof(req));
	req.user = argv[optind];
	req.keytype = argv[optind + 1];
	req.fingerprint = argv[optind + 2];
	req.key = argv[optind + 3];
	if (check_arguments(req.keytype, req.fingerprint, req.key) != 0)
		goto out;
	if ((conf_path = absolute_path(conf_arg)) == NULL) {
		log_error("%s: cannot make the path absolute: %s", conf_arg,
		    strerror(errno));
		goto out;
	}
	if (!authkeys_safe_path(conf_path)) {
		log_error("configuration path \"%s\" has characters outside "
		    "[A-Za-z0-9/._+-]", conf_path);
		goto out;
	}
	if (config_load(&cfg, conf_path) != 0)
		goto out;
	if (!verbose)
		log_set_level(cfg.log_level);
	if (strcmp(req.user, cfg.login_user) != 0) {
		log_verbose("user \"%s\" is not %s: no keys", req.user,
		    cfg.login_user);
		ret = 0;
		goto out;
	}
	if (manager_fetch_keys(&cfg, &req, &keys) != 0)
		goto out;
	if (authkeys_render_list(&keys, VMCONSOLE_HELPER_PATH, conf_path,
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
	free(conf_path);
	key_list_free(&keys);
	config_free(&cfg);
	return ret;
}
