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
#include <time.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "bounded_run.h"
#include "log.h"
#include "monotonic.h"
#include "open_deadline.h"
#include "output_gather.h"
#include "stream_sender.h"

struct vm_console {
	struct console_connection cc;
	struct vm_console_consumer consumer;
	struct stream_sender *sender;	/* NULL until the console opened */
	unsigned char *recv_buf;
	size_t recv_size;
	bool receiving;		/* the consumer takes output */
	bool stream_watched;
	int stream_events;	/* interest registered for the stream */
	int lifecycle_cb;
	bool close_cb;
	int explain_timer;	/* bounds the wait for a reason */
	int explain_ms;
	int close_ms;		/* console_close_timeout */
	bool stream_ended;	/* EOF or an error on the console stream */
	bool stream_failed;	/* the host aborted the stream */
	bool conn_lost;		/* libvirt's close callback ran */
	bool ended;		/* the consumer was told */
	bool closing;		/* vm_console_close() ran: no more callbacks */
	unsigned long long bytes_received;
	size_t held;		/* output gathered in recv_buf */
	struct output_gather gather;
	int gather_timer;	/* fires when held output is due */
};

/* Hands the gathered output to the consumer. */
static void
deliver(struct vm_console *vc)
{
	size_t n = vc->held;

	if (vc->gather_timer >= 0) {
		virEventRemoveTimeout(vc->gather_timer);
		vc->gather_timer = -1;
	}
	vc->held = 0;
	output_gather_sent(&vc->gather, n);
	if (n > 0 && !vc->ended)
		vc->consumer.output(vc->consumer.opaque, vc->recv_buf, n);
}

/* Held output is due. */
static void
on_gather_timer(int timer, void *opaque)
{
	(void)timer;
	deliver(opaque);
}

/* Tells the consumer the console ended; the first reason wins. */
static void
finish(struct vm_console *vc, enum bridge_end why)
{
	if (vc->ended)
		return;
	vc->ended = true;
	if (vc->explain_timer >= 0) {
		virEventRemoveTimeout(vc->explain_timer);
		vc->explain_timer = -1;
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
	if (vc->stream_watched && ev != vc->stream_events) {
		(void)virStreamEventUpdateCallback(vc->cc.stream, ev);
		vc->stream_events = ev;
	}
}

/*
 * The stream closed and no event has said why within the bound: say only
 * what is known, that the host closed the console.
 */
static void
on_explain_timer(int timer, void *opaque)
{
	struct vm_console *vc = opaque;

	virEventRemoveTimeout(timer);
	vc->explain_timer = -1;
	log_verbose("console stream closed and no reason came");
	finish(vc, BRIDGE_CONSOLE_CLOSED);
	update_interest(vc);
}

/*
 * Returns true when the last error of a failed stream is the one the
 * daemon sends when it aborts the stream itself, which it does while the
 * connection lives only to hand the console to a session that forced it
 * (libvirt 9.0: VIR_ERR_RPC from VIR_FROM_STREAMS). A VM that stops ends
 * the stream with EOF instead, and a lost connection fails it with other
 * errors.
 */
static bool
error_is_stream_abort(int code, int domain)
{
	return code == VIR_ERR_RPC && domain == VIR_FROM_STREAMS;
}

/*
 * The stream reached EOF (failed false) or failed, aborted by the daemon
 * when aborted (error_is_stream_abort()). The reason comes from
 * what libvirt has already told us, without asking it anything: a call
 * from here would block the loop on a stalled link. A lifecycle event
 * (the VM stopped, how) follows the EOF of a stopping VM within moments;
 * its wait is bounded by the keepalive window (libvirt_connect_timeout
 * without keepalive), which also ends a session whose host went silent.
 */
static void
stream_ended(struct vm_console *vc, bool failed, bool aborted)
{
	if (vc->stream_ended)
		return;
	vc->stream_ended = true;
	vc->stream_failed = failed && aborted;
	log_verbose("console stream %s", failed ? "failed" : "reached EOF");
	if (vc->ended)
		return;
	if (vc->conn_lost || virConnectIsAlive(vc->cc.conn) != 1) {
		finish(vc, BRIDGE_LOST_HOST);
		return;
	}
	if (vc->stream_failed) {
		finish(vc, BRIDGE_TAKEN_OVER);
		return;
	}
	if (vc->explain_timer < 0 && (vc->explain_timer =
	    virEventAddTimeout(vc->explain_ms, on_explain_timer, vc,
	    NULL)) < 0)
		finish(vc, BRIDGE_CONSOLE_CLOSED);
}

/* The sender sent bytes (room for more) or failed. */
static void
on_sender_notify(void *opaque)
{
	struct vm_console *vc = opaque;
	int code = 0, domain = 0;

	if (vc->closing)
		return;
	if (stream_sender_failed(vc->sender, &code, &domain))
		stream_ended(vc, true, error_is_stream_abort(code, domain));
	else if (!vc->ended)
		vc->consumer.sendable(vc->consumer.opaque);
	update_interest(vc);
}

/*
 * Receives console output until the stream has no more and hands it on,
 * at once or gathered (output_gather.h). libvirt cannot pause a stream:
 * output not taken here queues inside libvirt at several times its size,
 * so it is taken at once even while it is held back from the consumer.
 */
static void
receive_from_vm(struct vm_console *vc)
{
	long long now;
	int n;

	while (vc->receiving && !vc->ended && !vc->stream_ended) {
		n = virStreamRecv(vc->cc.stream,
		    (char *)vc->recv_buf + vc->held, vc->recv_size - vc->held);
		if (n == -2)
			break;
		if (n <= 0) {
			virErrorPtr err = virGetLastError();
			bool aborted = n < 0 && err != NULL &&
			    error_is_stream_abort(err->code, err->domain);

			if (n < 0)
				log_verbose("console stream receive: %s",
				    console_last_error());
			/* what came before the end is the console's too */
			deliver(vc);
			stream_ended(vc, n < 0, aborted);
			return;
		}
		vc->bytes_received += (unsigned long long)n;
		vc->held += (size_t)n;
		if (vc->held == vc->recv_size)
			deliver(vc);
	}
	if (vc->held == 0 || vc->ended || vc->stream_ended)
		return;
	now = monotonic_ms();
	if (output_gather_arrived(&vc->gather, vc->held, now))
		deliver(vc);
	else if (vc->gather_timer < 0 && (vc->gather_timer =
	    virEventAddTimeout((int)(output_gather_due(&vc->gather) - now),
	    on_gather_timer, vc, NULL)) < 0)
		deliver(vc);
}

/*
 * libvirtd hands a serial console on in the pieces QEMU writes to its
 * pty, often 10 to 40 bytes: during a flood thousands a second, each one
 * a wake-up of this process. While such output is held to be gathered
 * anyway, nothing is lost by not looking at the connection for a moment
 * (output_gather_pause_ms()): libvirtd's pieces wait in the socket and
 * are all taken in the next turn of the event loop, for one wake-up
 * instead of dozens. Keystrokes from a session wait as long, at most
 * PAUSE_MS, and only while the console prints.
 */
void
vm_console_pace(const struct vm_console *vc)
{
	long long ms;
	struct timespec pause;

	/* nothing held, the usual case: no clock to read */
	if (vc->ended || vc->closing || output_gather_due(&vc->gather) == 0 ||
	    (ms = output_gather_pause_ms(&vc->gather, vc->held,
	    monotonic_ms())) <= 0)
		return;
	pause.tv_sec = 0;
	pause.tv_nsec = (long)ms * 1000000L;
	(void)nanosleep(&pause, NULL);
}

/* The console stream can take or give bytes (or ended). */
static void
on_stream_event(virStreamPtr stream, int events, void *opaque)
{
	struct vm_console *vc = opaque;

	(void)stream;
	if (vc->closing)
		return;
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
	enum bridge_end why;

	(void)conn;
	(void)dom;
	if (vc->closing)
		return 0;
	log_verbose("domain lifecycle event %d detail %d", event, detail);
	if (end_reason_from_lifecycle(event, detail, &why))
		finish(vc, why);
	update_interest(vc);
	return 0;
}

/* libvirt lost the connection (EOF, keepalive timeout or error). */
static void
on_connection_closed(virConnectPtr conn, int reason, void *opaque)
{
	struct vm_console *vc = opaque;

	(void)conn;
	if (vc->closing)
		return;
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

/*
 * Frees vc after telling the host (callbacks, stream, connection): calls
 * that wait for a host that may no longer answer, so vm_console_close()
 * makes them in a thread of their own.
 */
static void
release_now(void *opaque)
{
	struct vm_console *vc = opaque;

	/* a call to the host too: the callback stays until it returns */
	if (vc->close_cb)
		(void)virConnectUnregisterCloseCallback(vc->cc.conn,
		    on_connection_closed);
	vc->close_cb = false;
	if (vc->lifecycle_cb >= 0)
		(void)virConnectDomainEventDeregisterAny(vc->cc.conn,
		    vc->lifecycle_cb);
	vc->lifecycle_cb = -1;
	/* the stream is aborted only while it carries the console */
	if (vc->stream_ended)
		vc->cc.opened = false;
	console_close(&vc->cc);
	free(vc->recv_buf);
	free(vc);
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
	vc->lifecycle_cb = vc->explain_timer = vc->gather_timer = -1;
	vc->close_ms = (int)cfg->console_close_timeout * 1000;
	/* without keepalive, as long as the host may take to answer */
	vc->explain_ms = (int)(cfg->libvirt_keepalive_interval > 0 ?
	    cfg->libvirt_keepalive_interval *
	    (cfg->libvirt_keepalive_count + 1) :
	    cfg->libvirt_connect_timeout) * 1000;
	vc->recv_size = (size_t)cfg->console_buffer_size;
	if ((vc->recv_buf = malloc(vc->recv_size)) == NULL) {
		snprintf(error, errlen, "out of memory");
		goto out;
	}
	if ((st = console_open_within(cfg, e, force, &vc->cc, error,
	    errlen)) != CONSOLE_OPEN_OK)
		goto out;
	if ((vc->sender = stream_sender_start(vc->cc.stream, vc->recv_size,
	    on_sender_notify, vc)) == NULL) {
		snprintf(error, errlen, "cannot start sending to the console");
		st = CONSOLE_OPEN_FAILED;
		goto out;
	}
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
	if (vc->ended || vc->stream_ended)
		return 0;
	return stream_sender_put(vc->sender, buf, len);
}

size_t
vm_console_send_room(const struct vm_console *vc)
{
	if (vc->ended || vc->stream_ended)
		return 0;
	return stream_sender_room(vc->sender);
}

size_t
vm_console_unsent(const struct vm_console *vc)
{
	if (vc->stream_ended)
		return 0;
	return stream_sender_unsent(vc->sender);
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
	return vc->sender != NULL ? stream_sender_sent(vc->sender) : 0;
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
	/* what follows only touches this process: it cannot block */
	vc->closing = true;
	if (vc->explain_timer >= 0)
		virEventRemoveTimeout(vc->explain_timer);
	vc->explain_timer = -1;
	if (vc->gather_timer >= 0)
		virEventRemoveTimeout(vc->gather_timer);
	vc->gather_timer = -1;
	if (vc->stream_watched)
		(void)virStreamEventRemoveCallback(vc->cc.stream);
	vc->stream_watched = false;
	stream_sender_stop(vc->sender);
	vc->sender = NULL;
	if (vc->cc.conn == NULL) {
		release_now(vc);
		return;
	}
	/*
	 * A host that does not answer in time keeps the thread, not the
	 * session: it releases the console itself once it notices the
	 * connection gone.
	 */
	if (!bounded_run(release_now, vc, vc->close_ms))
		log_verbose("the host did not confirm releasing the console "
		    "within %d ms; leaving it to the host", vc->close_ms);
}
