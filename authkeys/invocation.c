/* sshd's command line for both modes of vmconsole-authkeys. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "invocation.h"
#include "log.h"
#include "render.h"

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

int
invocation_start(int argc, char **argv, int nargs, const char *usage,
    struct invocation *inv, struct vmconsole_config *cfg)
{
	const char *conf_arg = VMCONSOLE_CONF_FILE;
	int ch;

	memset(inv, 0, sizeof(*inv));
	/* 0, not 1: only then does glibc reset all of its scanning state */
	optind = 0;
	while ((ch = getopt(argc, argv, "+c:v")) != -1) {
		switch (ch) {
		case 'c':
			conf_arg = optarg;
			break;
		case 'v':
			inv->verbose = true;
			break;
		default:
			fprintf(stderr, "%s\n", usage);
			return 2;
		}
	}
	/* an option-like USER from sshd also ends here: wrong count */
	if (argc - optind != nargs) {
		log_error("%s", usage);
		return 2;
	}
	inv->args = argv + optind;
	if (inv->verbose) {
		log_set_stderr(true);
		log_set_level(LOG_LEVEL_DEBUG);
	}
	if ((inv->conf_path = absolute_path(conf_arg)) == NULL) {
		log_error("%s: cannot make the path absolute: %s", conf_arg,
		    strerror(errno));
		return 1;
	}
	if (!authkeys_safe_path(inv->conf_path)) {
		log_error("configuration path \"%s\" has characters outside "
		    "[A-Za-z0-9/._+-]", inv->conf_path);
		return 1;
	}
	if (config_load(cfg, inv->conf_path) != 0)
		return 1;
	if (!inv->verbose)
		log_set_level(cfg->log_level);
	return 0;
}

void
invocation_free(struct invocation *inv)
{
	free(inv->conf_path);
	inv->conf_path = NULL;
}
