/* A scripted HTTP server on loopback for unit tests. */
#include "http_stub.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Seconds the child waits for a connection or a request. */
#define STUB_WAIT_SECONDS 10

/* Reads one request head from c into the log; returns 0 or -1. */
static int
read_request(int c, int log)
{
	char buf[8192];
	size_t got = 0;
	ssize_t r;
	struct pollfd p = { c, POLLIN, 0 };

	while (got < sizeof(buf) - 1) {
		if (poll(&p, 1, STUB_WAIT_SECONDS * 1000) != 1)
			return -1;
		if ((r = read(c, buf + got, sizeof(buf) - 1 - got)) <= 0)
			return -1;
		got += (size_t)r;
		buf[got] = '\0';
		if (strstr(buf, "\r\n\r\n") != NULL)
			break;
	}
	if (write(log, buf, got) != (ssize_t)got || write(log, "\n", 1) != 1)
		return -1;
	return 0;
}

/* The child: answers n connections on l, then exits with their count. */
static void
serve(int l, int log, const char *const *responses, size_t n)
{
	struct pollfd p = { l, POLLIN, 0 };
	size_t i, len;
	int c;

	for (i = 0; i < n; i++) {
		if (poll(&p, 1, STUB_WAIT_SECONDS * 1000) != 1 ||
		    (c = accept(l, NULL, NULL)) == -1)
			_exit((int)i);
		if (read_request(c, log) != 0)
			_exit((int)i);
		len = strlen(responses[i]);
		if (write(c, responses[i], len) != (ssize_t)len)
			_exit((int)i);
		shutdown(c, SHUT_WR);
		close(c);
	}
	_exit((int)n);
}

int
http_stub_start(struct http_stub *s, const char *log_path,
    const char *const *responses, size_t n)
{
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	int l = -1, log = -1, ret = -1;

	memset(s, 0, sizeof(*s));
	s->pid = -1;
	snprintf(s->log, sizeof(s->log), "%s", log_path);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((log = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    0600)) == -1 ||
	    (l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)) == -1 ||
	    listen(l, 16) == -1 ||
	    getsockname(l, (struct sockaddr *)&a, &alen) == -1)
		goto out;
	s->port = ntohs(a.sin_port);
	if ((s->pid = fork()) == -1)
		goto out;
	if (s->pid == 0)
		serve(l, log, responses, n);
	ret = 0;
 out:
	if (l != -1)
		close(l);
	if (log != -1)
		close(log);
	return ret;
}

int
http_stub_stop(struct http_stub *s)
{
	char buf[65536];
	const char *p;
	ssize_t n;
	int fd, count = 0;

	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGTERM);
	if (waitpid(s->pid, NULL, 0) == -1)
		return -1;
	s->pid = -1;
	if ((fd = open(s->log, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	for (p = buf; (p = strstr(p, "\r\n\r\n")) != NULL; p += 4)
		count++;
	return count;
}
