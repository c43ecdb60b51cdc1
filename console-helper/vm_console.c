/*
 * The libvirt side of a console: stream events, domain lifecycle events
 * and the connection's close callback, all run by libvirt's default event
 * loop, reduced to three things for the consumer: output, room to send,
 * and the end of the console with its reason.
 */
#include "vm_console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "log.h"
#include "ringbuf.h"

/*
 * After the stream ends while the domain still looks alive, how long libvirt
 * gets to report the domain stopping or the connection dropping before we
 * conclude that another session took the console over.
 */
#define SETTLE_MS 2000

struct vm_console {
	struct console_connection cc;
	struct vm_console_consumer consumer;
	struct ringbuf to_vm;
	unsigned char *recv_buf;
	size_t recv_size;
	bool receiving;		/* the consumer takes output */
	bool stream_watched;
	int stream_events;	/* interest registered for the stream */
	int lifecycle_cb;
	bool close_cb;
	int settle_timer;
	bool stream_ended;	/* EOF or an error on the console stream */
	bool conn_lost;		/* libvirt's close callback ran */
	bool vm_stopped;	/* lifecycle event STOPPED: vm_end says how */
	enum bridge_end vm_end;
	bool vm_shutdown_seen;	/* lifecycle event SHUTDOWN */
	bool ended;		/* the consumer was told */
	unsigned long long bytes_sent, bytes_received;
};

/* Tells the consumer the console ended; the first reason wins. */
static void
finish(struct vm_console *vc, enum bridge_end why)
{
	if (vc->ended)
		return;
	vc->ended = true;
	if (vc->settle_timer >= 0) {
		virEventRemoveTimeout(vc->settle_timer);
		vc->settle_timer = -1;
	}
	vc->consumer.ended(vc->consumer.opaque, why);
}

/* Watches the stream for exactly what can make progress now. */
static void
update_interest(struct vm_console *vc)
{
	int ev = 0;

	if (!vc->stream_ended && vc->receiving && !vc->ended)
		ev |= VIR_STREAM_EVENT_READABLE;
	if (!vc->stream_ended && ringbuf_used(&vc->to_vm) > 0)
		ev |= VIR_STREAM_EVENT_WRITABLE;
	if (vc->stream_watched && ev != vc->stream_events) {
		(void)virStreamEventUpdateCallback(vc->cc.stream, ev);
		vc->stream_events = ev;
	}
}

/*
 * Works out why the stream or the domain went away from what libvirt says
 * now. With final, falls back on the remaining explanations (the domain is
 * going down, else another session took the console). Returns true when it
 * decided the end.
 */
static bool
conclude(struct vm_console *vc, bool final)
{
	virErrorPtr err;
	int state = -1, reason = -1;

	if (vc->conn_lost || virConnectIsAlive(vc->cc.conn) != 1) {
		finish(vc, BRIDGE_LOST_HOST);
		return true;
	}
	if (vc->vm_stopped) {
		finish(vc, vc->vm_end);
		return true;
	}
	if (virDomainGetState(vc->cc.dom, &state, &reason, 0) < 0) {
		if (!final)
			return false;
		/* a transient domain disappears when it stops */
		err = virGetLastError();
		finish(vc, err != NULL && err->code == VIR_ERR_NO_DOMAIN ?
		    BRIDGE_VM_SHUT_DOWN : BRIDGE_LOST_HOST);
		return true;
	}
	if (state == VIR_DOMAIN_SHUTOFF || state == VIR_DOMAIN_CRASHED) {
		finish(vc, state == VIR_DOMAIN_SHUTOFF &&
		    reason == VIR_DOMAIN_SHUTOFF_DESTROYED ?
		    BRIDGE_VM_DESTROYED : BRIDGE_VM_SHUT_DOWN);
		return true;
	}
	if (!final)
		return false;
	if (state == VIR_DOMAIN_SHUTDOWN ||
	    (vc->vm_shutdown_seen && state != VIR_DOMAIN_RUNNING)) {
		finish(vc, BRIDGE_VM_SHUT_DOWN);
		return true;
	}
	if (!vc->stream_ended)
		return false;
	/* the console stream is gone but the domain runs on */
	finish(vc, BRIDGE_TAKEN_OVER);
	return true;
}

/* libvirt had its chance to explain the end: decide now. */
static void
on_settle_timer(int timer, void *opaque)
{
	struct vm_console *vc = opaque;

	virEventRemoveTimeout(timer);
	vc->settle_timer = -1;
	(void)conclude(vc, true);
	update_interest(vc);
}

/* Gives libvirt SETTLE_MS to explain an event before concluding. */
static void
start_settle_timer(struct vm_console *vc)
{
	if (vc->settle_timer >= 0 || vc->ended)
		return;
	if ((vc->settle_timer = virEventAddTimeout(SETTLE_MS, on_settle_timer,
	    vc, NULL)) < 0)
		(void)conclude(vc, true);
}

/* The stream reached EOF or failed: find out why. */
static void
stream_ended(struct vm_console *vc)
{
	if (vc->stream_ended)
		return;
	vc->stream_ended = true;
	log_verbose("console stream ended");
	if (vc->ended)
		return;
	if (!conclude(vc, false))
		start_settle_timer(vc);
}

/* Sends queued bytes to the stream until it would block. */
static void
flush_to_vm(struct vm_console *vc)
{
	const unsigned char *p = NULL;
	size_t len, before = ringbuf_space(&vc->to_vm);
	int n;

	while (!vc->stream_ended &&
	    (len = ringbuf_data_area(&vc->to_vm, &p)) > 0) {
		n = virStreamSend(vc->cc.stream, (const char *)p, len);
		if (n == -2)
			break;
		if (n <= 0) {
			log_verbose("console stream send: %s",
			    console_last_error());
			stream_ended(vc);
			break;
		}
		ringbuf_consume(&vc->to_vm, (size_t)n);
		vc->bytes_sent += (unsigned long long)n;
	}
	if (ringbuf_space(&vc->to_vm) > before && !vc->ended)
		vc->consumer.sendable(vc->consumer.opaque);
}

/*
 * Receives console output until the stream has no more and hands it on.
 * libvirt cannot pause a stream: output not taken here queues inside
 * libvirt at several times its size, so it is taken at once.
 */
static void
receive_from_vm(struct vm_console *vc)
{
	int n;

	while (vc->receiving && !vc->ended && !vc->stream_ended) {
		n = virStreamRecv(vc->cc.stream, (char *)vc->recv_buf,
		    vc->recv_size);
		if (n == -2)
			break;
		if (n <= 0) {
			if (n < 0)
				log_verbose("console stream receive: %s",
				    console_last_error());
			stream_ended(vc);
			break;
		}
		vc->bytes_received += (unsigned long long)n;
		vc->consumer.output(vc->consumer.opaque, vc->recv_buf,
		    (size_t)n);
	}
}

/* The console stream can take or give bytes (or ended). */
static void
on_stream_event(virStreamPtr stream, int events, void *opaque)
{
	struct vm_console *vc = opaque;

	(void)stream;
	if (events & VIR_STREAM_EVENT_WRITABLE)
		flush_to_vm(vc);
	if (events & (VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_ERROR |
	    VIR_STREAM_EVENT_HANGUP))
		receive_from_vm(vc);
	update_interest(vc);
}

/* The domain changed state; returns 0 as libvirt expects. */
static int
on_lifecycle_event(virConnectPtr conn, virDomainPtr dom, int event,
    int detail, void *opaque)
{
	struct vm_console *vc = opaque;

	(void)conn;
	(void)dom;
	log_verbose("domain lifecycle event %d detail %d", event, detail);
	if (end_reason_from_lifecycle(event, detail, &vc->vm_end)) {
		vc->vm_stopped = true;
		finish(vc, vc->vm_end);
	} else if (event == VIR_DOMAIN_EVENT_SHUTDOWN) {
		/* STOPPED normally follows; the timer covers a kept domain */
		vc->vm_shutdown_seen = true;
		start_settle_timer(vc);
	}
	update_interest(vc);
	return 0;
}

/* libvirt lost the connection (EOF, keepalive timeout or error). */
static void
on_connection_closed(virConnectPtr conn, int reason, void *opaque)
{
	struct vm_console *vc = opaque;

	(void)conn;
	log_verbose("libvirt connection closed (reason %d)", reason);
	vc->conn_lost = true;
	finish(vc, BRIDGE_LOST_HOST);
	update_interest(vc);
}

/* Registers the stream and libvirt's callbacks; returns 0 or -1. */
static int
watch(struct vm_console *vc, char *error, size_t errlen)
{
	if (virStreamEventAddCallback(vc->cc.stream, 0, on_stream_event, vc,
	    NULL) < 0) {
		snprintf(error, errlen, "cannot watch the console stream: %s",
		    console_last_error());
		return -1;
	}
	vc->stream_watched = true;
	if (virConnectRegisterCloseCallback(vc->cc.conn, on_connection_closed,
	    vc, NULL) < 0) {
		snprintf(error, errlen, "cannot watch the connection: %s",
		    console_last_error());
		return -1;
	}
	vc->close_cb = true;
	if ((vc->lifecycle_cb = virConnectDomainEventRegisterAny(vc->cc.conn,
	    vc->cc.dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
	    VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle_event), vc, NULL)) < 0) {
		snprintf(error, errlen, "cannot watch the domain: %s",
		    console_last_error());
		return -1;
	}
	return 0;
}

/* Undoes watch(), whatever part of it was done. */
static void
unwatch(struct vm_console *vc)
{
	if (vc->settle_timer >= 0)
		virEventRemoveTimeout(vc->settle_timer);
	vc->settle_timer = -1;
	if (vc->stream_watched)
		(void)virStreamEventRemoveCallback(vc->cc.stream);
	vc->stream_watched = false;
	if (vc->lifecycle_cb >= 0)
		(void)virConnectDomainEventDeregisterAny(vc->cc.conn,
		    vc->lifecycle_cb);
	vc->lifecycle_cb = -1;
	if (vc->close_cb)
		(void)virConnectUnregisterCloseCallback(vc->cc.conn,
		    on_connection_closed);
	vc->close_cb = false;
}

enum console_open_status
vm_console_open(const struct vmconsole_config *cfg,
    const struct console_entry *e, bool force,
    const struct vm_console_consumer *consumer, struct vm_console **out,
    char *error, size_t errlen)
{
	struct vm_console *vc = NULL;
	enum console_open_status st = CONSOLE_OPEN_FAILED;

	*out = NULL;
	if ((vc = calloc(1, sizeof(*vc))) == NULL) {
		snprintf(error, errlen, "out of memory");
		goto out;
	}
	vc->consumer = *consumer;
	vc->receiving = true;
	vc->lifecycle_cb = vc->settle_timer = -1;
	vc->recv_size = (size_t)cfg->console_buffer_size;
	if ((vc->recv_buf = malloc(vc->recv_size)) == NULL ||
	    ringbuf_init(&vc->to_vm, vc->recv_size) != 0) {
		snprintf(error, errlen, "out of memory");
		goto out;
	}
	if ((st = console_open(cfg, e, force, &vc->cc, error,
	    errlen)) != CONSOLE_OPEN_OK)
		goto out;
	if (watch(vc, error, errlen) != 0) {
		st = CONSOLE_OPEN_FAILED;
		goto out;
	}
	update_interest(vc);
	*out = vc;
	vc = NULL;
 out:
	vm_console_close(vc);
	return st;
}

size_t
vm_console_send(struct vm_console *vc, const void *buf, size_t len)
{
	size_t n;

	if (vc->ended || vc->stream_ended)
		return 0;
	n = ringbuf_put(&vc->to_vm, buf, len);
	flush_to_vm(vc);
	update_interest(vc);
	return n;
}

size_t
vm_console_send_room(const struct vm_console *vc)
{
	if (vc->ended || vc->stream_ended)
		return 0;
	return ringbuf_space(&vc->to_vm);
}

size_t
vm_console_unsent(const struct vm_console *vc)
{
	if (vc->stream_ended)
		return 0;
	return ringbuf_used(&vc->to_vm);
}

void
vm_console_set_receiving(struct vm_console *vc, bool receiving)
{
	vc->receiving = receiving;
	update_interest(vc);
}

unsigned long long
vm_console_bytes_sent(const struct vm_console *vc)
{
	return vc->bytes_sent;
}

unsigned long long
vm_console_bytes_received(const struct vm_console *vc)
{
	return vc->bytes_received;
}

void
vm_console_close(struct vm_console *vc)
{
	if (vc == NULL)
		return;
	unwatch(vc);
	console_close(&vc->cc);
	ringbuf_release(&vc->to_vm);
	free(vc->recv_buf);
	free(vc);
}
