/* Loading libcurl on demand. */
#include "curl_loader.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Looks up name in handle into *slot; returns 0, or -1 with err set. */
static int
bind_symbol(void *handle, const char *name, void *slot, char *err,
    size_t errlen)
{
	void *sym;

	dlerror();
	if ((sym = dlsym(handle, name)) == NULL) {
		snprintf(err, errlen, "cannot load %s: no %s",
		    CURL_LOADER_SONAME, name);
		return -1;
	}
	/* POSIX guarantees object and function pointers convert */
	memcpy(slot, &sym, sizeof(sym));
	return 0;
}

const struct curl_api *
curl_loader_get(char *err, size_t errlen)
{
	static struct curl_api api;
	static bool loaded;
	const char *why;
	void *handle;

	if (loaded)
		return &api;
	if ((handle = dlopen(CURL_LOADER_SONAME, RTLD_NOW | RTLD_LOCAL)) ==
	    NULL) {
		why = dlerror();
		snprintf(err, errlen, "cannot load %s: %s", CURL_LOADER_SONAME,
		    why != NULL ? why : "unknown error");
		return NULL;
	}
#define BIND(member, name) \
	if (bind_symbol(handle, name, &api.member, err, errlen) != 0) \
		goto fail
	BIND(global_init, "curl_global_init");
	BIND(easy_init, "curl_easy_init");
	BIND(easy_setopt, "curl_easy_setopt");
	BIND(easy_perform, "curl_easy_perform");
	BIND(easy_getinfo, "curl_easy_getinfo");
	BIND(easy_cleanup, "curl_easy_cleanup");
	BIND(easy_strerror, "curl_easy_strerror");
	BIND(slist_append, "curl_slist_append");
	BIND(slist_free_all, "curl_slist_free_all");
	BIND(url, "curl_url");
	BIND(url_set, "curl_url_set");
	BIND(url_get, "curl_url_get");
	BIND(url_cleanup, "curl_url_cleanup");
	BIND(free, "curl_free");
#undef BIND
	if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errlen, "cannot initialise libcurl");
		goto fail;
	}
	/* stays loaded: libcurl's global state cannot be torn down safely */
	loaded = true;
	return &api;
 fail:
	memset(&api, 0, sizeof(api));
	dlclose(handle);
	return NULL;
}
