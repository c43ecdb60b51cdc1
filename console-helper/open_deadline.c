/* console_open() in a thread, waited for up to libvirt_connect_timeout. */
#include "open_deadline.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

/*
 * One open, shared by the waiting caller and the thread; whoever lets go
 * last frees it. The thread works on its own copies of what it needs, so
 * a caller that gave up may free its configuration and entry.
 */
struct open_job {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int refs;
	bool done;
	bool abandoned;		/* the caller stopped waiting */
	struct vmconsole_config cfg;
	struct console_entry entry;
	bool force;
	struct console_connection cc;
	enum console_open_status status;
	char error[512];
};

static void
job_free(struct open_job *job)
{
	free(job->cfg.libvirt_uri);
	free(job->entry.vmid);
	free(job->entry.vm);
	free(job->entry.host);
	free(job->entry.console);
	pthread_cond_destroy(&job->cond);
	pthread_mutex_destroy(&job->lock);
	free(job);
}

/* Drops one reference; frees the job (and an unclaimed console) last. */
static void
job_unref(struct open_job *job)
{
	bool last;

	pthread_mutex_lock(&job->lock);
	last = --job->refs == 0;
	pthread_mutex_unlock(&job->lock);
	if (!last)
		return;
	/* opened after the caller gave up: nobody will use it */
	console_close(&job->cc);
	job_free(job);
}

static void *
open_thread(void *opaque)
{
	struct open_job *job = opaque;

	job->status = console_open(&job->cfg, &job->entry, job->force,
	    &job->cc, job->error, sizeof(job->error));
	pthread_mutex_lock(&job->lock);
	job->done = true;
	if (job->abandoned)
		log_verbose("connection to %s ended after its deadline: %s",
		    job->entry.host, job->status == CONSOLE_OPEN_OK ?
		    "opened, now closed" : job->error);
	pthread_cond_signal(&job->cond);
	pthread_mutex_unlock(&job->lock);
	job_unref(job);
	return NULL;
}

/* Returns a job holding copies of cfg's libvirt settings and of e, or NULL. */
static struct open_job *
job_new(const struct vmconsole_config *cfg, const struct console_entry *e,
    bool force)
{
	struct open_job *job;
	pthread_condattr_t attr;
	int ok;

	if ((job = calloc(1, sizeof(*job))) == NULL)
		return NULL;
	if (pthread_condattr_init(&attr) != 0) {
		free(job);
		return NULL;
	}
	ok = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
	    pthread_cond_init(&job->cond, &attr) == 0;
	pthread_condattr_destroy(&attr);
	if (!ok) {
		free(job);
		return NULL;
	}
	pthread_mutex_init(&job->lock, NULL);
	job->refs = 2;
	job->force = force;
	/* only the scalar settings and the URI template are used */
	job->cfg.libvirt_keepalive_interval = cfg->libvirt_keepalive_interval;
	job->cfg.libvirt_keepalive_count = cfg->libvirt_keepalive_count;
	job->cfg.libvirt_connect_timeout = cfg->libvirt_connect_timeout;
	job->cfg.libvirt_uri = strdup(cfg->libvirt_uri);
	job->entry.vmid = strdup(e->vmid);
	job->entry.vm = strdup(e->vm);
	job->entry.host = strdup(e->host);
	if (e->console != NULL)
		job->entry.console = strdup(e->console);
	if (job->cfg.libvirt_uri == NULL || job->entry.vmid == NULL ||
	    job->entry.vm == NULL || job->entry.host == NULL ||
	    (e->console != NULL && job->entry.console == NULL)) {
		job_free(job);
		return NULL;
	}
	return job;
}

enum console_open_status
console_open_within(const struct vmconsole_config *cfg,
    const struct console_entry *e, bool force, struct console_connection *cc,
    char *error, size_t errlen)
{
	struct open_job *job = NULL;
	enum console_open_status st = CONSOLE_OPEN_FAILED;
	struct timespec deadline;
	pthread_attr_t tattr;
	pthread_t tid;
	int started = -1;

	memset(cc, 0, sizeof(*cc));
	if ((job = job_new(cfg, e, force)) == NULL) {
		snprintf(error, errlen, "out of memory");
		return CONSOLE_OPEN_FAILED;
	}
	if (pthread_attr_init(&tattr) == 0) {
		(void)pthread_attr_setdetachstate(&tattr,
		    PTHREAD_CREATE_DETACHED);
		started = pthread_create(&tid, &tattr, open_thread, job);
		pthread_attr_destroy(&tattr);
	}
	if (started != 0) {
		snprintf(error, errlen, "cannot start connecting: %s",
		    strerror(started > 0 ? started : EAGAIN));
		job_free(job);
		return CONSOLE_OPEN_FAILED;
	}
	(void)clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += cfg->libvirt_connect_timeout;
	pthread_mutex_lock(&job->lock);
	while (!job->done) {
		if (pthread_cond_timedwait(&job->cond, &job->lock,
		    &deadline) == ETIMEDOUT)
			break;
	}
	if (job->done) {
		st = job->status;
		*cc = job->cc;
		memset(&job->cc, 0, sizeof(job->cc));
		snprintf(error, errlen, "%s", job->error);
	} else {
		job->abandoned = true;
		snprintf(error, errlen, "no answer from %s within %ld s (the "
		    "host is down, unreachable or not answering)", e->host,
		    cfg->libvirt_connect_timeout);
		log_verbose("giving up connecting to %s after %ld s", e->host,
		    cfg->libvirt_connect_timeout);
	}
	pthread_mutex_unlock(&job->lock);
	job_unref(job);
	return st;
}
