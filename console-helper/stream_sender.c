/* A thread that sends a console's input to its libvirt stream. */
#define _GNU_SOURCE	/* pipe2() */
#include "stream_sender.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include "log.h"
#include "ringbuf.h"

/* The most sent in one call, and the pause when the stream would block. */
#define SEND_CHUNK (64 * 1024)
#define WOULD_BLOCK_PAUSE_NS (20 * 1000 * 1000L)

struct stream_sender {
	pthread_mutex_t lock;	/* guards everything below but the pipe */
	pthread_cond_t cond;
	int refs;		/* the loop's and the thread's */
	struct ringbuf buf;
	size_t inflight;	/* taken from buf, not yet sent */
	unsigned long long sent;
	bool stop;
	bool failed;
	int err_code, err_domain;
	virStreamPtr stream;
	int pipe_rd, pipe_wr;	/* the thread wakes the loop */
	int watch;
	void (*notify)(void *);
	void *opaque;
};

/* Drops a reference; the last one frees everything. */
static void
sender_unref(struct stream_sender *s)
{
	bool last;

	pthread_mutex_lock(&s->lock);
	last = --s->refs == 0;
	pthread_mutex_unlock(&s->lock);
	if (!last)
		return;
	if (s->stream != NULL)
		virStreamFree(s->stream);
	if (s->pipe_rd >= 0)
		close(s->pipe_rd);
	if (s->pipe_wr >= 0)
		close(s->pipe_wr);
	ringbuf_release(&s->buf);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

/* Wakes the loop; a full pipe already will. */
static void
wake_loop(struct stream_sender *s)
{
	char c = 0;

	if (write(s->pipe_wr, &c, 1) < 0 && errno != EAGAIN)
		log_debug("cannot wake the loop: %s", strerror(errno));
}

/*
 * Sends len bytes of chunk; returns how many went out, and sets *failed
 * with the error when the stream failed. Gives up when told to stop.
 */
static size_t
send_chunk(struct stream_sender *s, const unsigned char *chunk, size_t len,
    bool *failed)
{
	struct timespec pause = { 0, WOULD_BLOCK_PAUSE_NS };
	virErrorPtr err;
	size_t off = 0;
	bool stop;
	int n;

	*failed = false;
	while (off < len) {
		n = virStreamSend(s->stream, (const char *)chunk + off,
		    len - off);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n == -2) {
			pthread_mutex_lock(&s->lock);
			stop = s->stop;
			pthread_mutex_unlock(&s->lock);
			if (stop)
				break;
			(void)nanosleep(&pause, NULL);
			continue;
		}
		err = virGetLastError();
		pthread_mutex_lock(&s->lock);
		s->err_code = err != NULL ? err->code : VIR_ERR_INTERNAL_ERROR;
		s->err_domain = err != NULL ? err->domain : VIR_FROM_NONE;
		pthread_mutex_unlock(&s->lock);
		log_verbose("console stream send: %s", err != NULL &&
		    err->message != NULL ? err->message : "failed");
		*failed = true;
		break;
	}
	return off;
}

static void *
sender_thread(void *opaque)
{
	struct stream_sender *s = opaque;
	unsigned char *chunk = NULL;
	size_t len, done;
	bool failed = false;

	if ((chunk = malloc(SEND_CHUNK)) == NULL) {
		log_error("out of memory for console input");
		failed = true;
	}
	pthread_mutex_lock(&s->lock);
	while (!failed) {
		while (!s->stop && ringbuf_used(&s->buf) == 0)
			pthread_cond_wait(&s->cond, &s->lock);
		if (s->stop)
			break;
		len = ringbuf_get(&s->buf, chunk, SEND_CHUNK);
		s->inflight = len;
		pthread_mutex_unlock(&s->lock);
		done = send_chunk(s, chunk, len, &failed);
		pthread_mutex_lock(&s->lock);
		s->inflight = 0;
		s->sent += done;
		if (failed)
			s->failed = true;
		if (!s->stop)
			wake_loop(s);
	}
	if (failed && chunk == NULL) {
		s->failed = true;
		s->err_code = VIR_ERR_NO_MEMORY;
		wake_loop(s);
	}
	pthread_mutex_unlock(&s->lock);
	free(chunk);
	sender_unref(s);
	return NULL;
}

/* The thread woke the loop: pass it on. */
static void
on_pipe(int watch, int fd, int events, void *opaque)
{
	struct stream_sender *s = opaque;
	char buf[64];

	(void)watch;
	(void)events;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	s->notify(s->opaque);
}

struct stream_sender *
stream_sender_start(virStreamPtr st, size_t size, void (*notify)(void *),
    void *opaque)
{
	struct stream_sender *s = NULL;
	pthread_condattr_t attr;
	pthread_attr_t tattr;
	pthread_t tid;
	int fds[2] = { -1, -1 }, rc = -1;

	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    ringbuf_init(&s->buf, size) != 0) {
		log_error("out of memory for console input");
		free(s);
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_cond_init(&s->cond, &attr);
	pthread_condattr_destroy(&attr);
	s->refs = 1;
	s->pipe_rd = s->pipe_wr = s->watch = -1;
	s->notify = notify;
	s->opaque = opaque;
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
		log_error("cannot create a pipe: %s", strerror(errno));
		goto fail;
	}
	s->pipe_rd = fds[0];
	s->pipe_wr = fds[1];
	if ((s->watch = virEventAddHandle(s->pipe_rd,
	    VIR_EVENT_HANDLE_READABLE, on_pipe, s, NULL)) < 0) {
		log_error("cannot watch the console input pipe");
		goto fail;
	}
	virStreamRef(st);
	s->stream = st;
	s->refs = 2;
	if (pthread_attr_init(&tattr) == 0) {
		(void)pthread_attr_setdetachstate(&tattr,
		    PTHREAD_CREATE_DETACHED);
		rc = pthread_create(&tid, &tattr, sender_thread, s);
		pthread_attr_destroy(&tattr);
	}
	if (rc != 0) {
		log_error("cannot start sending console input: %s",
		    strerror(rc > 0 ? rc : EAGAIN));
		s->refs = 1;
		goto fail;
	}
	return s;
 fail:
	if (s->watch >= 0)
		virEventRemoveHandle(s->watch);
	sender_unref(s);
	return NULL;
}

size_t
stream_sender_put(struct stream_sender *s, const void *buf, size_t len)
{
	size_t n = 0;

	pthread_mutex_lock(&s->lock);
	if (!s->failed && !s->stop) {
		n = ringbuf_put(&s->buf, buf, len);
		if (n > 0)
			pthread_cond_signal(&s->cond);
	}
	pthread_mutex_unlock(&s->lock);
	return n;
}

size_t
stream_sender_room(struct stream_sender *s)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->failed || s->stop ? 0 : ringbuf_space(&s->buf);
	pthread_mutex_unlock(&s->lock);
	return n;
}

size_t
stream_sender_unsent(struct stream_sender *s)
{
	size_t n;

	pthread_mutex_lock(&s->lock);
	n = s->failed ? 0 : ringbuf_used(&s->buf) + s->inflight;
	pthread_mutex_unlock(&s->lock);
	return n;
}

unsigned long long
stream_sender_sent(struct stream_sender *s)
{
	unsigned long long n;

	pthread_mutex_lock(&s->lock);
	n = s->sent;
	pthread_mutex_unlock(&s->lock);
	return n;
}

bool
stream_sender_failed(struct stream_sender *s, int *code, int *domain)
{
	bool failed;

	pthread_mutex_lock(&s->lock);
	failed = s->failed;
	*code = s->err_code;
	*domain = s->err_domain;
	pthread_mutex_unlock(&s->lock);
	return failed;
}

void
stream_sender_stop(struct stream_sender *s)
{
	if (s == NULL)
		return;
	if (s->watch >= 0)
		virEventRemoveHandle(s->watch);
	s->watch = -1;
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	sender_unref(s);
}
