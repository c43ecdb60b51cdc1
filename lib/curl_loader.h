/*
 * libcurl, loaded with dlopen() on the first network request, so that a
 * call answered from the cache or a local file never maps libcurl and the
 * TLS, Kerberos and LDAP libraries it depends on.
 */
#ifndef VMCONSOLE_CURL_LOADER_H
#define VMCONSOLE_CURL_LOADER_H

#include <stddef.h>

#include <curl/curl.h>

/* The soname loaded: the ABI these headers describe. */
#define CURL_LOADER_SONAME "libcurl.so.4"

/* The libcurl functions the manager client uses. */
struct curl_api {
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLU *(*url)(void);
	CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
	CURLUcode (*url_get)(const CURLU *, CURLUPart, char **, unsigned int);
	void (*url_cleanup)(CURLU *);
	void (*free)(void *);
};

/*
 * Returns libcurl's functions, loading and initialising it on the first
 * call; NULL with the reason in err when it cannot be loaded.
 */
const struct curl_api *curl_loader_get(char *err, size_t errlen);

#endif
