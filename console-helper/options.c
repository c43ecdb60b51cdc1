/* Parsing and validation of the helper's own command line. */
#include "options.h"

#include <string.h>

#include "forced_command.h"
#include "log.h"
#include "validate.h"

/*
 * Stores value in *slot unless it is already set. Returns 0, or -1 after
 * logging a repeated option.
 */
static int
set_once(const char **slot, const char *value, const char *option)
{
	if (*slot != NULL) {
		log_error("option %s given more than once", option);
		return -1;
	}
	*slot = value;
	return 0;
}

/* Returns 0 when the entity value is valid, else -1 after logging. */
static int
check_entity(const char *value, const char *option)
{
	const char *why = NULL;

	if (value == NULL) {
		log_error("missing option %s", option);
		return -1;
	}
	if (!validate_entity(value, &why)) {
		log_error("invalid %s \"%s\": %s", option, value,
		    why != NULL ? why : "not allowed");
		return -1;
	}
	return 0;
}

int
options_parse(int argc, char **argv, struct helper_options *opts)
{
	const char *config_path = NULL;
	int i;

	memset(opts, 0, sizeof(*opts));
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "-c") == 0) {
			if (i + 1 >= argc) {
				log_error("option -c needs a file name");
				return -1;
			}
			if (set_once(&config_path, argv[++i], "-c") != 0)
				return -1;
		} else if (strncmp(arg, "--entity-id=", 12) == 0) {
			if (set_once(&opts->entity_id, arg + 12,
			    "--entity-id") != 0)
				return -1;
		} else if (strncmp(arg, "--entity=", 9) == 0) {
			if (set_once(&opts->entity, arg + 9, "--entity") != 0)
				return -1;
		} else if (strncmp(arg, "--cert-serial=", 14) == 0) {
			if (set_once(&opts->cert_serial, arg + 14,
			    "--cert-serial") != 0)
				return -1;
		} else if (strncmp(arg, "--cert-key-id=", 14) == 0) {
			if (set_once(&opts->cert_key_id, arg + 14,
			    "--cert-key-id") != 0)
				return -1;
		} else if (strcmp(arg, "-v") == 0) {
			opts->verbose = true;
		} else {
			log_error("unknown argument \"%s\"", arg);
			return -1;
		}
	}
	opts->config_path = config_path != NULL ? config_path :
	    VMCONSOLE_CONF_FILE;
	if (check_entity(opts->entity_id, "--entity-id") != 0 ||
	    check_entity(opts->entity, "--entity") != 0)
		return -1;
	if (opts->cert_serial != NULL &&
	    !forced_command_valid_serial(opts->cert_serial)) {
		log_error("invalid --cert-serial \"%s\"", opts->cert_serial);
		return -1;
	}
	if (opts->cert_key_id != NULL && (opts->cert_serial == NULL ||
	    !forced_command_valid_key_id(opts->cert_key_id))) {
		log_error("invalid --cert-key-id \"%s\" (or no --cert-serial)",
		    opts->cert_key_id);
		return -1;
	}
	return 0;
}
