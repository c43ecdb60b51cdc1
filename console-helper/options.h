/*
 * Command line of vmconsole-console-helper as the authorized_keys line of
 * vmconsole-authkeys writes it:
 *     -c CONF --entity-id=ID --entity=NAME
 *         [--cert-serial=N [--cert-key-id=ID]] [-v]
 * (the certificate options come from vmconsole-authkeys --principals).
 */
#ifndef VMCONSOLE_OPTIONS_H
#define VMCONSOLE_OPTIONS_H

#include <stdbool.h>

struct helper_options {
	const char *config_path;	/* points into argv or a constant */
	const char *entity_id;		/* validated, points into argv */
	const char *entity;		/* validated, points into argv */
	const char *cert_serial;	/* validated, or NULL */
	const char *cert_key_id;	/* validated, or NULL */
	bool verbose;			/* copy log lines to stderr */
};

/*
 * Parses argv. Returns 0, or -1 after logging what is wrong (an unknown or
 * repeated option, a missing or invalid entity).
 */
int options_parse(int argc, char **argv, struct helper_options *opts);

#endif
