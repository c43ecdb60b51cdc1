/* Connecting to libvirt and opening a domain's console stream. */
#include "console_open.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/virterror.h>

#include "connect_error.h"
#include "libvirt_uri.h"
#include "log.h"

/*
 * Keeps libvirt from printing errors on the user's terminal: callers report
 * them once, with context; the rest go to the debug log.
 */
static void
quiet_libvirt_error(void *opaque, virErrorPtr err)
{
	(void)opaque;
	if (err != NULL && err->message != NULL)
		log_debug("libvirt: %s", err->message);
}

/*
 * Registers libvirt's default event loop, once: keepalive and the close,
 * lifecycle and stream callbacks need it before the first connection.
 * Returns 0 or -1.
 */
static int
setup_libvirt(void)
{
	static int done;

	if (done)
		return 0;
	virSetErrorFunc(NULL, quiet_libvirt_error);
	if (virEventRegisterDefaultImpl() < 0)
		return -1;
	done = 1;
	return 0;
}

const char *
console_last_error(void)
{
	const char *msg = virGetLastErrorMessage();

	return msg != NULL ? msg : "unknown error";
}

/* Returns the code of the last libvirt error, or VIR_ERR_OK. */
static int
last_error_code(void)
{
	virErrorPtr err = virGetLastError();

	return err != NULL ? err->code : VIR_ERR_OK;
}

/*
 * Returns 1 when the last error of virDomainOpenConsole() says another
 * session holds the console. libvirt 9.0's drivers report exactly that
 * case as VIR_ERR_OPERATION_FAILED; a console that is missing or of the
 * wrong kind, or a domain not running, have other codes.
 */
static int
last_error_is_busy(void)
{
	return last_error_code() == VIR_ERR_OPERATION_FAILED;
}

/*
 * Returns true when s is a UUID as libvirt writes it (8-4-4-4-12 hex
 * digits) or as 32 hex digits. A libvirt domain name may look like one
 * only in theory; the manager API says such a vmid is the UUID.
 */
bool
console_vmid_is_uuid(const char *s)
{
	size_t i, digits = 0, len = strlen(s);

	if (len != 36 && len != 32)
		return false;
	for (i = 0; i < len; i++) {
		if (len == 36 && (i == 8 || i == 13 || i == 18 || i == 23)) {
			if (s[i] != '-')
				return false;
			continue;
		}
		if (!isxdigit((unsigned char)s[i]))
			return false;
		digits++;
	}
	return digits == 32;
}

/*
 * Returns the domain e names on conn, or NULL. The vmid alone identifies
 * it: a UUID is looked up as one, anything else as the libvirt name. The
 * display name is never used: on a host where a stale UUID misses, another
 * domain may carry that name.
 */
static virDomainPtr
find_domain(virConnectPtr conn, const struct console_entry *e)
{
	if (console_vmid_is_uuid(e->vmid))
		return virDomainLookupByUUIDString(conn, e->vmid);
	return virDomainLookupByName(conn, e->vmid);
}

/* Opens a connection that never asks anyone for credentials, or NULL. */
static virConnectPtr
open_connection(const char *uri)
{
	virConnectAuth no_prompt = { NULL, 0, NULL, NULL };

	return virConnectOpenAuth(uri, &no_prompt, 0);
}

/*
 * Connects to uri with keepalive from cfg into cc->conn. Returns 0, or -1
 * with the reason in error.
 */
static int
connect_host(const struct vmconsole_config *cfg, const char *uri,
    const struct console_entry *e, struct console_connection *cc,
    char *error, size_t errlen)
{
	log_verbose("connecting to %s for %s (%s)", uri, e->vm, e->vmid);
	if ((cc->conn = open_connection(uri)) == NULL) {
		connect_error_explain(e->host, console_last_error(), error,
		    errlen);
		return -1;
	}
	if (cfg->libvirt_keepalive_interval > 0 &&
	    virConnectSetKeepAlive(cc->conn,
	    (int)cfg->libvirt_keepalive_interval,
	    (unsigned int)cfg->libvirt_keepalive_count) < 0) {
		snprintf(error, errlen, "%s", console_last_error());
		return -1;
	}
	return 0;
}

/*
 * Finds the domain of e on cc->conn and opens its console into a new
 * stream. Returns the status, with the reason in error on failure.
 */
static enum console_open_status
open_domain_console(const struct console_entry *e, bool force,
    struct console_connection *cc, char *error, size_t errlen)
{
	unsigned int flags = VIR_DOMAIN_CONSOLE_SAFE;

	if ((cc->dom = find_domain(cc->conn, e)) == NULL) {
		if (last_error_code() == VIR_ERR_NO_DOMAIN) {
			snprintf(error, errlen, "no such VM on %s", e->host);
			return CONSOLE_OPEN_NO_SUCH_VM;
		}
		snprintf(error, errlen, "%s", console_last_error());
		return CONSOLE_OPEN_FAILED;
	}
	if ((cc->stream = virStreamNew(cc->conn,
	    VIR_STREAM_NONBLOCK)) == NULL) {
		snprintf(error, errlen, "%s", console_last_error());
		return CONSOLE_OPEN_FAILED;
	}
	if (force)
		flags |= VIR_DOMAIN_CONSOLE_FORCE;
	if (virDomainOpenConsole(cc->dom, e->console, cc->stream, flags) < 0) {
		snprintf(error, errlen, "%s", console_last_error());
		if (last_error_is_busy())
			return CONSOLE_OPEN_BUSY;
		/* asked only on failure: the common path stays short */
		if (virDomainIsActive(cc->dom) == 0) {
			snprintf(error, errlen, "the VM is not running");
			return CONSOLE_OPEN_NOT_RUNNING;
		}
		return CONSOLE_OPEN_FAILED;
	}
	cc->opened = true;
	return CONSOLE_OPEN_OK;
}

enum console_open_status
console_open(const struct vmconsole_config *cfg,
    const struct console_entry *e, bool force,
    struct console_connection *cc, char *error, size_t errlen)
{
	enum console_open_status ret = CONSOLE_OPEN_FAILED;
	char *uri = NULL;

	memset(cc, 0, sizeof(*cc));
	if (setup_libvirt() != 0) {
		snprintf(error, errlen, "cannot set up the event loop: %s",
		    console_last_error());
		goto out;
	}
	if ((uri = libvirt_uri_expand(cfg->libvirt_uri, e->host)) == NULL) {
		snprintf(error, errlen, "invalid host or libvirt_uri");
		goto out;
	}
	if (connect_host(cfg, uri, e, cc, error, errlen) != 0)
		goto out;
	ret = open_domain_console(e, force, cc, error, errlen);
	/*
	 * Taking over a console that the host still holds for a session
	 * whose link dropped can cost the host this connection (libvirt 9.0:
	 * "Cannot recv data"). The console is free by then: once more, on
	 * a new connection.
	 */
	if (ret == CONSOLE_OPEN_FAILED && force && cc->dom != NULL &&
	    virConnectIsAlive(cc->conn) != 1) {
		log_verbose("taking over the console of %s cost the "
		    "connection (%s); trying once more", e->vm, error);
		console_close(cc);
		if (connect_host(cfg, uri, e, cc, error, errlen) != 0)
			goto out;
		ret = open_domain_console(e, force, cc, error, errlen);
	}
	if (ret == CONSOLE_OPEN_FAILED && force && cc->stream != NULL) {
		char why[512];

		snprintf(why, sizeof(why), "%s", error);
		snprintf(error, errlen, "taking over the console failed: %s",
		    why);
	}
 out:
	if (ret != CONSOLE_OPEN_OK) {
		log_verbose("cannot open the console of %s on %s: %s", e->vm,
		    e->host, error);
		console_close(cc);
	}
	free(uri);
	return ret;
}

void
console_close(struct console_connection *cc)
{
	if (cc->stream != NULL) {
		/* aborting frees the console for the next session at once */
		if (cc->opened)
			(void)virStreamAbort(cc->stream);
		virStreamFree(cc->stream);
	}
	if (cc->dom != NULL)
		virDomainFree(cc->dom);
	if (cc->conn != NULL)
		virConnectClose(cc->conn);
	memset(cc, 0, sizeof(*cc));
}
