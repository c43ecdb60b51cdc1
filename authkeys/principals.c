/* Principals lines for the certificates sshd asks about. */
#include "principals.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fd_write.h"
#include "forced_command.h"
#include "invocation.h"
#include "log.h"
#include "manager.h"
#include "validate.h"

#define USAGE "usage: vmconsole-authkeys --principals [-c FILE] [-v] " \
	"USER CERTTYPE CERTBLOB KEYID SERIAL"

/* Appends s to the buffer *buf of *used bytes; returns 0 or -1 (ENOMEM). */
static int
append(char **buf, size_t *used, const char *s)
{
	size_t n = strlen(s);
	char *grown;

	if ((grown = realloc(*buf, *used + n + 1)) == NULL)
		return -1;
	memcpy(grown + *used, s, n + 1);
	*buf = grown;
	*used += n;
	return 0;
}

/*
 * Returns the newly allocated line binding principal, or NULL after
 * logging. name, serial and key_id are already checked.
 */
static char *
principal_line(const char *principal, const char *name, const char *serial,
    const char *key_id, const char *helper_path, const char *conf_path)
{
	char *cmd = NULL, *line = NULL;
	size_t n;

	if ((cmd = forced_command_format(helper_path, conf_path, principal,
	    name, serial, key_id)) == NULL)
		goto out;
	n = strlen(cmd) + strlen(principal) + 32;
	if ((line = malloc(n)) == NULL) {
		log_error("out of memory");
		goto out;
	}
	snprintf(line, n, "restrict,pty,command=\"%s\" %s\n", cmd, principal);
 out:
	free(cmd);
	return line;
}

int
principals_render(const struct certificate *cert,
    const char *helper_path, const char *conf_path, principal_check check,
    void *ctx, char **out, size_t *len)
{
	char key_id[FORCED_COMMAND_KEY_ID_ENC_MAX + 1], serial[24];
	char *buf = NULL, *line = NULL;
	const char *name, *why = NULL, *p;
	size_t used = 0, honoured = 0, i;
	int ret = -1, r;

	*out = NULL;
	*len = 0;
	if ((buf = calloc(1, 1)) == NULL) {
		log_error("out of memory");
		goto out;
	}
	snprintf(serial, sizeof(serial), "%" PRIu64, cert->serial);
	forced_command_encode_key_id(cert->key_id, cert->key_id_len, key_id);
	for (i = 0; i < cert->nprincipals; i++) {
		p = cert->principals[i];
		if (honoured == PRINCIPALS_HONOURED_MAX) {
			log_warning("certificate %s serial %s: principal \"%s\" "
			    "ignored: only the first %d are honoured", key_id,
			    serial, p, PRINCIPALS_HONOURED_MAX);
			continue;
		}
		if (!validate_entity(p, &why)) {
			log_warning("certificate %s serial %s: principal \"%s\" "
			    "is not a valid entity id (%s)", key_id, serial, p,
			    why);
			continue;
		}
		honoured++;
		if (check != NULL) {
			if ((r = check(p, ctx)) < 0)
				goto out;
			if (r == 0)
				continue;
		}
		name = validate_entity(cert->key_id, NULL) ? cert->key_id : p;
		if ((line = principal_line(p, name, serial, key_id,
		    helper_path, conf_path)) == NULL)
			goto out;
		if (append(&buf, &used, line) != 0) {
			log_error("out of memory");
			goto out;
		}
		free(line);
		line = NULL;
		log_verbose("certificate %s serial %s: principal %s accepted "
		    "as entity %s", key_id, serial, p, name);
	}
	*out = buf;
	*len = used;
	buf = NULL;
	ret = 0;
 out:
	free(line);
	free(buf);
	return ret;
}

/* What principal_in_manager() needs to ask the manager. */
struct manager_check {
	const struct vmconsole_config *cfg;
	const char *user;
};

/* principal_check asking the keys document (cert_check_manager). */
static int
principal_in_manager(const char *entity_id, void *ctx)
{
	const struct manager_check *mc = ctx;
	struct manager_request req;
	struct key_list keys = { NULL, 0 };
	int ret = -1;

	memset(&req, 0, sizeof(req));
	req.user = mc->user;
	req.entityid = entity_id;
	if (manager_fetch_entity_keys(mc->cfg, &req, &keys) != 0)
		goto out;
	ret = keys.count > 0;
	if (ret == 0)
		log_info("principal %s is not in the keys document "
		    "(cert_check_manager = yes): refused", entity_id);
 out:
	key_list_free(&keys);
	return ret;
}

/*
 * Returns 0 when the certificate is a user certificate and agrees with
 * what sshd said of it (type, key id, serial), else 1 after logging.
 */
static int
check_certificate(const struct certificate *cert, const char *type,
    const char *key_id, const char *serial)
{
	char mine[24];

	snprintf(mine, sizeof(mine), "%" PRIu64, cert->serial);
	if (strcmp(cert->type, type) != 0) {
		log_error("certificate type %s, but sshd said %s", cert->type,
		    type);
		return 1;
	}
	if (cert->cert_type != CERTIFICATE_TYPE_USER) {
		log_error("not a user certificate (type %u)", cert->cert_type);
		return 1;
	}
	if (strcmp(cert->key_id, key_id) != 0 || strcmp(mine, serial) != 0) {
		log_error("certificate key id or serial differ from sshd's "
		    "(%s, %s)", key_id, serial);
		return 1;
	}
	return 0;
}

int
principals_main(int argc, char **argv)
{
	struct vmconsole_config cfg;
	struct certificate cert;
	struct manager_check mc;
	struct invocation inv = { NULL, false, NULL };
	const char *why = NULL;
	char *out = NULL, **args;
	size_t len = 0;
	int ret;

	config_init(&cfg);
	memset(&cert, 0, sizeof(cert));
	if ((ret = invocation_start(argc, argv, 5, USAGE, &inv, &cfg)) != 0)
		goto out;
	ret = 1;
	args = inv.args;
	if (strcmp(args[0], cfg.login_user) != 0) {
		log_verbose("user \"%s\" is not %s: no principals",
		    args[0], cfg.login_user);
		ret = 0;
		goto out;
	}
	if (certificate_parse(args[2], &cert, &why) != 0) {
		log_error("certificate %s: %s", args[4], why);
		goto out;
	}
	if (check_certificate(&cert, args[1], args[3], args[4]) != 0)
		goto out;
	mc.cfg = &cfg;
	mc.user = args[0];
	if (principals_render(&cert, VMCONSOLE_HELPER_PATH, inv.conf_path,
	    cfg.cert_check_manager ? principal_in_manager : NULL, &mc, &out,
	    &len) != 0)
		goto out;
	if (fd_write_all(STDOUT_FILENO, out, len) != 0) {
		log_error("cannot write the principals lines: %s",
		    strerror(errno));
		goto out;
	}
	ret = 0;
 out:
	free(out);
	certificate_free(&cert);
	invocation_free(&inv);
	config_free(&cfg);
	return ret;
}
