/*
 * A manager stand-in for unit tests: a child process that answers the
 * connections to a loopback port, one scripted HTTP response each, and
 * writes every request it read to a log file.
 */
#ifndef VMCONSOLE_TEST_HTTP_STUB_H
#define VMCONSOLE_TEST_HTTP_STUB_H

#include <stddef.h>
#include <sys/types.h>

struct http_stub {
	pid_t pid;
	int port;
	char log[128];
};

/*
 * Starts answering: the i-th connection gets responses[i] (a whole raw
 * response) and the connection is closed; after n of them the child
 * exits. Requests are appended to log_path. Returns 0 or -1.
 */
int http_stub_start(struct http_stub *s, const char *log_path,
    const char *const *responses, size_t n);

/* Stops the child; returns how many requests it read, or -1. */
int http_stub_stop(struct http_stub *s);

#endif
