/* The helper's libvirt functions, resolved on first use. */
#include "libvirt_loader.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "exit_status.h"
#include "log.h"

static void *libvirt_handle;
static pthread_once_t libvirt_once = PTHREAD_ONCE_INIT;

bool
libvirt_loader_loaded(void)
{
	return __atomic_load_n(&libvirt_handle, __ATOMIC_ACQUIRE) != NULL;
}

/*
 * Loads libvirt, once for all threads (the console's sender thread and the
 * bounded open and release threads call it too). A helper that cannot load
 * the library it was built against is broken beyond any error path: it
 * says so in one line and exits.
 */
static void
load_libvirt(void)
{
	const char *why;
	void *handle;

	if ((handle = dlopen(LIBVIRT_LOADER_SONAME,
	    RTLD_NOW | RTLD_LOCAL)) == NULL) {
		why = dlerror();
		log_error("cannot load %s: %s", LIBVIRT_LOADER_SONAME,
		    why != NULL ? why : "unknown error");
		exit(EXIT_STATUS_CONNECT);
	}
	__atomic_store_n(&libvirt_handle, handle, __ATOMIC_RELEASE);
}

/*
 * Returns the address of libvirt's function name, loading libvirt first,
 * and keeps it in *cache so that the loop's calls look it up once.
 */
static void *
resolve(const char *name, void **cache)
{
	void *sym;

	if ((sym = __atomic_load_n(cache, __ATOMIC_ACQUIRE)) != NULL)
		return sym;
	(void)pthread_once(&libvirt_once, load_libvirt);
	if ((sym = dlsym(libvirt_handle, name)) == NULL) {
		log_error("cannot load %s: no %s", LIBVIRT_LOADER_SONAME, name);
		exit(EXIT_STATUS_CONNECT);
	}
	__atomic_store_n(cache, sym, __ATOMIC_RELEASE);
	return sym;
}

/* Defines name(params) as a call of libvirt's name(args). */
#define FORWARD(ret, name, params, args) \
	ret name params \
	{ \
		static void *cached; \
		__typeof__(name) *fn; \
		void *sym = resolve(#name, &cached); \
		memcpy(&fn, &sym, sizeof(fn)); \
		return fn args; \
	}
#define FORWARD_VOID(name, params, args) \
	void name params \
	{ \
		static void *cached; \
		__typeof__(name) *fn; \
		void *sym = resolve(#name, &cached); \
		memcpy(&fn, &sym, sizeof(fn)); \
		fn args; \
	}

FORWARD(int, virEventRegisterDefaultImpl, (void), ())
FORWARD(int, virEventRunDefaultImpl, (void), ())
FORWARD(int, virEventAddHandle, (int fd, int events,
    virEventHandleCallback cb, void *opaque, virFreeCallback ff),
    (fd, events, cb, opaque, ff))
FORWARD_VOID(virEventUpdateHandle, (int watch, int events), (watch, events))
FORWARD(int, virEventRemoveHandle, (int watch), (watch))
FORWARD(int, virEventAddTimeout, (int frequency, virEventTimeoutCallback cb,
    void *opaque, virFreeCallback ff), (frequency, cb, opaque, ff))
FORWARD_VOID(virEventUpdateTimeout, (int timer, int frequency),
    (timer, frequency))
FORWARD(int, virEventRemoveTimeout, (int timer), (timer))
FORWARD_VOID(virSetErrorFunc, (void *userData, virErrorFunc handler),
    (userData, handler))
FORWARD(virErrorPtr, virGetLastError, (void), ())
FORWARD(const char *, virGetLastErrorMessage, (void), ())
FORWARD(virConnectPtr, virConnectOpenAuth, (const char *name,
    virConnectAuthPtr auth, unsigned int flags), (name, auth, flags))
FORWARD(int, virConnectClose, (virConnectPtr conn), (conn))
FORWARD(int, virConnectIsAlive, (virConnectPtr conn), (conn))
FORWARD(int, virConnectSetKeepAlive, (virConnectPtr conn, int interval,
    unsigned int count), (conn, interval, count))
FORWARD(int, virConnectRegisterCloseCallback, (virConnectPtr conn,
    virConnectCloseFunc cb, void *opaque, virFreeCallback freecb),
    (conn, cb, opaque, freecb))
FORWARD(int, virConnectUnregisterCloseCallback, (virConnectPtr conn,
    virConnectCloseFunc cb), (conn, cb))
FORWARD(int, virConnectDomainEventRegisterAny, (virConnectPtr conn,
    virDomainPtr dom, int eventID, virConnectDomainEventGenericCallback cb,
    void *opaque, virFreeCallback freecb),
    (conn, dom, eventID, cb, opaque, freecb))
FORWARD(int, virConnectDomainEventDeregisterAny, (virConnectPtr conn,
    int callbackID), (conn, callbackID))
FORWARD(virDomainPtr, virDomainLookupByName, (virConnectPtr conn,
    const char *name), (conn, name))
FORWARD(virDomainPtr, virDomainLookupByUUIDString, (virConnectPtr conn,
    const char *uuid), (conn, uuid))
FORWARD(int, virDomainGetState, (virDomainPtr domain, int *state,
    int *reason, unsigned int flags), (domain, state, reason, flags))
FORWARD(int, virDomainFree, (virDomainPtr domain), (domain))
FORWARD(int, virDomainIsActive, (virDomainPtr dom), (dom))
FORWARD(int, virDomainOpenConsole, (virDomainPtr dom, const char *dev_name,
    virStreamPtr st, unsigned int flags), (dom, dev_name, st, flags))
FORWARD(virStreamPtr, virStreamNew, (virConnectPtr conn, unsigned int flags),
    (conn, flags))
FORWARD(int, virStreamSend, (virStreamPtr st, const char *data,
    size_t nbytes), (st, data, nbytes))
FORWARD(int, virStreamRecv, (virStreamPtr st, char *data, size_t nbytes),
    (st, data, nbytes))
FORWARD(int, virStreamAbort, (virStreamPtr st), (st))
FORWARD(int, virStreamRef, (virStreamPtr st), (st))
FORWARD(int, virStreamFree, (virStreamPtr st), (st))
FORWARD(int, virStreamEventAddCallback, (virStreamPtr stream, int events,
    virStreamEventCallback cb, void *opaque, virFreeCallback ff),
    (stream, events, cb, opaque, ff))
FORWARD(int, virStreamEventUpdateCallback, (virStreamPtr stream, int events),
    (stream, events))
FORWARD(int, virStreamEventRemoveCallback, (virStreamPtr stream), (stream))
