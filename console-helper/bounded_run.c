/* A call in a thread, waited for up to a deadline. */
#include "bounded_run.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"

/* Shared by the waiter and the thread; whoever lets go last frees it. */
struct bounded_call {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int refs;
	bool done;
	void (*fn)(void *);
	void *arg;
};

static void
call_unref(struct bounded_call *c)
{
	bool last;

	pthread_mutex_lock(&c->lock);
	last = --c->refs == 0;
	pthread_mutex_unlock(&c->lock);
	if (!last)
		return;
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static void *
call_thread(void *opaque)
{
	struct bounded_call *c = opaque;

	c->fn(c->arg);
	pthread_mutex_lock(&c->lock);
	c->done = true;
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->lock);
	call_unref(c);
	return NULL;
}

/* Returns a call of fn(arg) ready to start, or NULL. */
static struct bounded_call *
call_new(void (*fn)(void *), void *arg)
{
	struct bounded_call *c;
	pthread_condattr_t attr;
	bool ok;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if (pthread_condattr_init(&attr) != 0) {
		free(c);
		return NULL;
	}
	/* a deadline on the monotonic clock: wall clock steps do not count */
	ok = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
	    pthread_cond_init(&c->cond, &attr) == 0;
	pthread_condattr_destroy(&attr);
	if (!ok) {
		free(c);
		return NULL;
	}
	pthread_mutex_init(&c->lock, NULL);
	c->refs = 2;
	c->fn = fn;
	c->arg = arg;
	return c;
}

bool
bounded_run(void (*fn)(void *), void *arg, int ms)
{
	struct bounded_call *c;
	struct timespec deadline;
	pthread_attr_t tattr;
	pthread_t tid;
	bool done;
	int rc = -1;

	if ((c = call_new(fn, arg)) == NULL)
		goto inline_call;
	if (pthread_attr_init(&tattr) == 0) {
		(void)pthread_attr_setdetachstate(&tattr,
		    PTHREAD_CREATE_DETACHED);
		rc = pthread_create(&tid, &tattr, call_thread, c);
		pthread_attr_destroy(&tattr);
	}
	if (rc != 0) {
		c->refs = 1;
		call_unref(c);
		goto inline_call;
	}
	(void)clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += ms / 1000;
	deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&c->lock);
	while (!c->done) {
		if (pthread_cond_timedwait(&c->cond, &c->lock,
		    &deadline) == ETIMEDOUT)
			break;
	}
	done = c->done;
	pthread_mutex_unlock(&c->lock);
	call_unref(c);
	return done;
 inline_call:
	log_verbose("no thread for a bounded call: running it unbounded");
	fn(arg);
	return true;
}
