/*
 * The roles of the sessions of a shared console and the notices about
 * them.
 */
#include "broker_roster.h"

#include <stdio.h>
#include <string.h>

/* Long enough for two names of entities and two of VMs. */
#define NOTICE_MAX 800

int
broker_roster_requested_mode(bool watch_only, bool watch, bool force,
    enum broker_mode *mode)
{
	if (force && watch_only)
		return -1;
	if (force)
		*mode = BROKER_MODE_FORCE;
	else if (watch || watch_only)
		*mode = BROKER_MODE_WATCH;
	else
		*mode = BROKER_MODE_WRITE;
	return 0;
}

void
broker_roster_add(struct broker_roster *r, struct broker_session *s)
{
	s->next = r->sessions;
	r->sessions = s;
}

void
broker_roster_remove(struct broker_roster *r, struct broker_session *s)
{
	struct broker_session **pp;

	for (pp = &r->sessions; *pp != NULL; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	s->next = NULL;
}

size_t
broker_roster_count(const struct broker_roster *r,
    struct broker_session **writer, size_t *watchers)
{
	struct broker_session *s;
	size_t n = 0;

	*writer = NULL;
	*watchers = 0;
	for (s = r->sessions; s != NULL; s = s->next) {
		if (!broker_session_live(s))
			continue;
		n++;
		if (s->writer)
			*writer = s;
		else
			(*watchers)++;
	}
	return n;
}

/* Sends the notice text to s, which may only be told its own role. */
static void
notify(struct broker_session *s, const char *text)
{
	(void)broker_session_send(s, FRAME_NOTICE, text, strlen(text),
	    s->queue.max);
}

void
broker_roster_notify_others(struct broker_roster *r,
    const struct broker_session *except, const char *text)
{
	struct broker_session *s;

	if (!r->notices)
		return;
	for (s = r->sessions; s != NULL; s = s->next)
		if (s != except && broker_session_live(s))
			notify(s, text);
}

/* Makes s the writer; returns the writer it demoted, or NULL. */
static struct broker_session *
take_over(struct broker_roster *r, struct broker_session *s)
{
	struct broker_session *w, *o;
	size_t watchers;
	char text[NOTICE_MAX];

	(void)broker_roster_count(r, &w, &watchers);
	s->writer = true;
	if (w == NULL || w == s)
		return NULL;
	w->writer = false;
	(void)broker_session_send(w, FRAME_MODE, "watch", 5, w->queue.max);
	/* said even with notices off: it is this session's own role */
	snprintf(text, sizeof(text), "[%s took over %s: you are watching "
	    "read-only now; %s --force takes it back]", s->who.entity,
	    r->vm_name, r->vm_name);
	notify(w, text);
	snprintf(text, sizeof(text), "[%s took over %s]", s->who.entity,
	    r->vm_name);
	if (r->notices)
		for (o = r->sessions; o != NULL; o = o->next)
			if (o != s && o != w && broker_session_live(o))
				notify(o, text);
	return w;
}

struct broker_session *
broker_roster_join(struct broker_roster *r, struct broker_session *s)
{
	struct broker_session *w, *demoted = NULL;
	size_t watchers;
	char text[NOTICE_MAX];

	s->attached = true;
	s->writer = false;
	(void)broker_roster_count(r, &w, &watchers);
	if (s->who.mode == BROKER_MODE_FORCE)
		demoted = take_over(r, s);
	else if (s->who.mode == BROKER_MODE_WRITE && w == NULL)
		s->writer = true;
	(void)broker_session_send(s, FRAME_MODE, s->writer ? "write" :
	    "watch", 5, s->queue.max);
	if (!s->writer && s->who.mode == BROKER_MODE_WRITE) {
		snprintf(text, sizeof(text), "[%s is in use by %s: you are "
		    "watching read-only; %s --force takes it over]",
		    r->vm_name, w != NULL ? w->who.entity :
		    "another session", r->vm_name);
		notify(s, text);
	} else if (s->who.mode == BROKER_MODE_WATCH) {
		/* said even with notices off: it is this session's own role */
		snprintf(text, sizeof(text), "[watching %s read-only]",
		    r->vm_name);
		notify(s, text);
	}
	return demoted;
}

void
broker_roster_announce(struct broker_roster *r,
    const struct broker_session *s, const struct broker_session *demoted)
{
	char text[NOTICE_MAX];

	if (demoted != NULL)
		return;
	if (s->writer)
		snprintf(text, sizeof(text), "[%s is using %s]",
		    s->who.entity, r->vm_name);
	else
		snprintf(text, sizeof(text), "[%s is watching %s read-only]",
		    s->who.entity, r->vm_name);
	broker_roster_notify_others(r, s, text);
}

void
broker_roster_announce_leave(struct broker_roster *r,
    const struct broker_session *s)
{
	char text[NOTICE_MAX];

	snprintf(text, sizeof(text), "[%s left %s]", s->who.entity,
	    r->vm_name);
	broker_roster_notify_others(r, s, text);
}
