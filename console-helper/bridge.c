/*
 * Bridging a console stream and the user's terminal in libvirt's default
 * event loop: one callback each for the terminal's input, its output, the
 * stream, signals and libvirt's domain and connection events, and one
 * place (begin_end) where every way of ending a session goes through.
 */
#include "bridge.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "console_open.h"
#include "log.h"
#include "ringbuf.h"
#include "signal_pipe.h"
#include "terminal.h"
#include "termsafe.h"

/*
 * After the stream ends while the domain still looks alive, how long libvirt
 * gets to report the domain stopping or the connection dropping before we
 * conclude that another session took the console over.
 */
#define SETTLE_MS 2000
/* How long output still buffered may take to drain once a session ends. */
#define DRAIN_MS 2000

struct bridge {
	const struct bridge_request *req;
	struct console_connection cc;
	struct ringbuf to_vm, from_vm;
	int in_watch, out_watch, signal_watch;
	/* interest currently registered for each */
	int in_events, out_events, stream_events;
	bool stream_watched;
	int lifecycle_cb;
	bool close_cb;
	int settle_timer, drain_timer;
	bool in_closed;		/* EOF or an error reading the terminal */
	bool out_broken;	/* the terminal cannot be written any more */
	bool stream_ended;	/* EOF or an error on the console stream */
	bool conn_lost;		/* libvirt's close callback ran */
	bool vm_stopped;	/* lifecycle event STOPPED: vm_end says how */
	enum bridge_end vm_end;
	bool vm_shutdown_seen;	/* lifecycle event SHUTDOWN */
	bool ending;		/* end is decided, only draining is left */
	bool quit;		/* leave the loop */
	enum bridge_end end;
	unsigned long long bytes_to_vm, bytes_from_vm;
	int in_flags, out_flags;	/* file status flags to restore */
	int signal_fd;		/* read end of the signal self-pipe */
	struct signal_pipe_saved signals;
};

const char *
bridge_end_name(enum bridge_end end)
{
	switch (end) {
	case BRIDGE_DETACHED:
		return "detached";
	case BRIDGE_CONNECT_FAILED:
		return "connect-failed";
	case BRIDGE_BUSY:
		return "busy";
	case BRIDGE_VM_NOT_RUNNING:
		return "vm-not-running";
	case BRIDGE_VM_SHUT_DOWN:
		return "vm-shut-down";
	case BRIDGE_VM_DESTROYED:
		return "vm-destroyed";
	case BRIDGE_LOST_HOST:
		return "connection-lost";
	case BRIDGE_TAKEN_OVER:
		return "taken-over";
	case BRIDGE_CLIENT_GONE:
		return "client-disconnected";
	case BRIDGE_TERMINATED:
		return "terminated";
	case BRIDGE_TERMINAL_STALLED:
		return "terminal-stalled";
	}
	return "unknown";
}

static void settle(struct bridge *b);

/* Makes fd non-blocking; returns its previous flags, or -1 after logging. */
static int
set_nonblocking(int fd)
{
	int flags;

	if ((flags = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		log_error("cannot make descriptor %d non-blocking: %s", fd,
		    strerror(errno));
		return -1;
	}
	return flags;
}

/*
 * Registers interest in exactly what can make progress: reading the
 * terminal only into free buffer space, writing only buffered bytes.
 * The stream is always read (see receive_from_vm()), and libvirt reports
 * it readable only when it holds data. Nothing is watched that would wake
 * the loop with nothing to do, so an idle session is idle.
 */
static void
update_interest(struct bridge *b)
{
	int ev;

	ev = !b->ending && !b->in_closed && ringbuf_space(&b->to_vm) > 0 ?
	    VIR_EVENT_HANDLE_READABLE : 0;
	if (b->in_watch >= 0 && ev != b->in_events) {
		virEventUpdateHandle(b->in_watch, ev);
		b->in_events = ev;
	}
	ev = !b->out_broken && ringbuf_used(&b->from_vm) > 0 ?
	    VIR_EVENT_HANDLE_WRITABLE : 0;
	if (b->out_watch >= 0 && ev != b->out_events) {
		virEventUpdateHandle(b->out_watch, ev);
		b->out_events = ev;
	}
	ev = 0;
	if (!b->ending && !b->stream_ended)
		ev |= VIR_STREAM_EVENT_READABLE;
	if (!b->stream_ended && ringbuf_used(&b->to_vm) > 0)
		ev |= VIR_STREAM_EVENT_WRITABLE;
	if (b->stream_watched && ev != b->stream_events) {
		(void)virStreamEventUpdateCallback(b->cc.stream, ev);
		b->stream_events = ev;
	}
}

/* Draining took too long (a stuck terminal or stream): stop anyway. */
static void
on_drain_timer(int timer, void *opaque)
{
	struct bridge *b = opaque;

	virEventRemoveTimeout(timer);
	b->drain_timer = -1;
	log_verbose("output not drained in time; ending anyway");
	b->quit = true;
}

/*
 * Leaves the loop once the session is ending and nothing that can still
 * be delivered is buffered, or after DRAIN_MS at the latest.
 */
static void
check_done(struct bridge *b)
{
	bool pending = false;

	if (!b->ending || b->quit)
		return;
	/* bytes typed before the escape character still go to the VM */
	if (b->end == BRIDGE_DETACHED && !b->stream_ended &&
	    ringbuf_used(&b->to_vm) > 0)
		pending = true;
	if (!b->out_broken && ringbuf_used(&b->from_vm) > 0)
		pending = true;
	if (!pending) {
		b->quit = true;
		return;
	}
	if (b->drain_timer < 0 && (b->drain_timer =
	    virEventAddTimeout(DRAIN_MS, on_drain_timer, b, NULL)) < 0)
		b->quit = true;
}

/* After every event: adjust interest, see whether the session is over. */
static void
settle(struct bridge *b)
{
	update_interest(b);
	check_done(b);
}

/* Sends buffered terminal input to the stream until it would block. */
static void send_to_vm(struct bridge *b);

/* Decides the end of the session; the first reason wins. */
static void
begin_end(struct bridge *b, enum bridge_end why)
{
	if (b->ending)
		return;
	b->ending = true;
	b->end = why;
	log_verbose("ending console session: %s", bridge_end_name(why));
	if (b->settle_timer >= 0) {
		virEventRemoveTimeout(b->settle_timer);
		b->settle_timer = -1;
	}
	if (why == BRIDGE_CLIENT_GONE) {
		/* nobody reads any more: release the console at once */
		b->out_broken = true;
		b->quit = true;
	} else if (why == BRIDGE_DETACHED)
		send_to_vm(b);
}

/*
 * Works out why the stream or the domain went away from what libvirt says
 * now. With final, falls back on the remaining explanations (the domain is
 * going down, else another session took the console). Returns true when it
 * decided the end of the session.
 */
static bool
conclude(struct bridge *b, bool final)
{
	virErrorPtr err;
	int state = -1, reason = -1;

	if (b->conn_lost || virConnectIsAlive(b->cc.conn) != 1) {
		begin_end(b, BRIDGE_LOST_HOST);
		return true;
	}
	if (b->vm_stopped) {
		begin_end(b, b->vm_end);
		return true;
	}
	if (virDomainGetState(b->cc.dom, &state, &reason, 0) < 0) {
		if (!final)
			return false;
		/* a transient domain disappears when it stops */
		err = virGetLastError();
		begin_end(b, err != NULL && err->code == VIR_ERR_NO_DOMAIN ?
		    BRIDGE_VM_SHUT_DOWN : BRIDGE_LOST_HOST);
		return true;
	}
	if (state == VIR_DOMAIN_SHUTOFF || state == VIR_DOMAIN_CRASHED) {
		begin_end(b, state == VIR_DOMAIN_SHUTOFF &&
		    reason == VIR_DOMAIN_SHUTOFF_DESTROYED ?
		    BRIDGE_VM_DESTROYED : BRIDGE_VM_SHUT_DOWN);
		return true;
	}
	if (!final)
		return false;
	if (state == VIR_DOMAIN_SHUTDOWN ||
	    (b->vm_shutdown_seen && state != VIR_DOMAIN_RUNNING)) {
		begin_end(b, BRIDGE_VM_SHUT_DOWN);
		return true;
	}
	if (!b->stream_ended)
		return false;
	/* the console stream is gone but the domain runs on */
	begin_end(b, BRIDGE_TAKEN_OVER);
	return true;
}

/* libvirt had its chance to explain the end: decide now. */
static void
on_settle_timer(int timer, void *opaque)
{
	struct bridge *b = opaque;

	virEventRemoveTimeout(timer);
	b->settle_timer = -1;
	(void)conclude(b, true);
	settle(b);
}

/* Gives libvirt SETTLE_MS to explain an event before concluding. */
static void
start_settle_timer(struct bridge *b)
{
	if (b->settle_timer >= 0 || b->ending)
		return;
	if ((b->settle_timer = virEventAddTimeout(SETTLE_MS, on_settle_timer,
	    b, NULL)) < 0)
		(void)conclude(b, true);
}

/* The stream reached EOF or failed: find out why. */
static void
stream_ended(struct bridge *b)
{
	if (b->stream_ended)
		return;
	b->stream_ended = true;
	log_verbose("console stream ended");
	if (b->ending)
		return;
	if (!conclude(b, false))
		start_settle_timer(b);
}

static void
send_to_vm(struct bridge *b)
{
	const unsigned char *p = NULL;
	size_t len;
	int n;

	while (!b->stream_ended &&
	    (len = ringbuf_data_area(&b->to_vm, &p)) > 0) {
		n = virStreamSend(b->cc.stream, (const char *)p, len);
		if (n == -2)
			break;
		if (n <= 0) {
			log_verbose("console stream send: %s",
			    console_last_error());
			stream_ended(b);
			break;
		}
		ringbuf_consume(&b->to_vm, (size_t)n);
		b->bytes_to_vm += (unsigned long long)n;
	}
}

/* Writes buffered console output to the terminal until it would block. */
static void
write_to_terminal(struct bridge *b)
{
	const unsigned char *p = NULL;
	size_t len;
	ssize_t n;

	while (!b->out_broken &&
	    (len = ringbuf_data_area(&b->from_vm, &p)) > 0) {
		n = write(b->req->out_fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			log_verbose("terminal write: %s",
			    n < 0 ? strerror(errno) : "nothing written");
			b->out_broken = true;
			begin_end(b, BRIDGE_CLIENT_GONE);
			break;
		}
		ringbuf_consume(&b->from_vm, (size_t)n);
	}
}

/*
 * The output buffer is at console_backlog_max: ends the session if the
 * stream has more, since it cannot be held and must not vanish unseen.
 */
static void
check_backlog(struct bridge *b)
{
	char probe[512];
	int n;

	n = virStreamRecv(b->cc.stream, probe, sizeof(probe));
	if (n == -2)
		return;
	if (n <= 0) {
		if (n < 0)
			log_verbose("console stream receive: %s",
			    console_last_error());
		stream_ended(b);
		return;
	}
	log_verbose("terminal not reading: %zu bytes of console output "
	    "waiting and %d more arrived", ringbuf_used(&b->from_vm), n);
	begin_end(b, BRIDGE_TERMINAL_STALLED);
}

/*
 * Sets *p to free space for console output, growing the buffer up to
 * console_backlog_max, and returns its length; 0 when there is none, and
 * then the session may be ending.
 */
static size_t
output_room(struct bridge *b, unsigned char **p)
{
	size_t len;
	int grown;

	while ((len = ringbuf_free_area(&b->from_vm, p)) == 0) {
		/* the terminal may take some now: no need to grow then */
		write_to_terminal(b);
		if (b->ending)
			return 0;
		if ((len = ringbuf_free_area(&b->from_vm, p)) > 0)
			break;
		if ((grown = ringbuf_grow(&b->from_vm)) == 0) {
			check_backlog(b);
			return 0;
		}
		if (grown < 0) {
			log_error("out of memory for console output");
			begin_end(b, BRIDGE_TERMINATED);
			return 0;
		}
		log_debug("console output buffer grown to %zu bytes",
		    ringbuf_size(&b->from_vm));
	}
	return len;
}

/*
 * Receives console output until the stream has no more. libvirt cannot
 * pause a stream: output not taken here queues inside libvirt at several
 * times its size, so it is taken at once into a buffer that grows up to
 * console_backlog_max while the terminal is slow.
 */
static void
receive_from_vm(struct bridge *b)
{
	unsigned char *p = NULL;
	size_t len;
	int n;

	while (!b->ending && !b->stream_ended &&
	    (len = output_room(b, &p)) > 0) {
		n = virStreamRecv(b->cc.stream, (char *)p, len);
		if (n == -2)
			break;
		if (n <= 0) {
			if (n < 0)
				log_verbose("console stream receive: %s",
				    console_last_error());
			stream_ended(b);
			break;
		}
		ringbuf_produce(&b->from_vm, (size_t)n);
		b->bytes_from_vm += (unsigned long long)n;
	}
	write_to_terminal(b);
}

/* The console stream can take or give bytes (or ended). */
static void
on_stream_event(virStreamPtr stream, int events, void *opaque)
{
	struct bridge *b = opaque;

	(void)stream;
	if (events & VIR_STREAM_EVENT_WRITABLE)
		send_to_vm(b);
	if (events & (VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_ERROR |
	    VIR_STREAM_EVENT_HANGUP))
		receive_from_vm(b);
	settle(b);
}

/*
 * Reads what the user typed into the to-VM buffer. Bytes before the escape
 * character are still sent; the escape character itself detaches.
 */
static void
on_terminal_input(int watch, int fd, int events, void *opaque)
{
	struct bridge *b = opaque;
	unsigned char *p = NULL, *esc = NULL;
	size_t space;
	ssize_t n;

	(void)watch;
	(void)events;
	if (b->ending || b->in_closed ||
	    (space = ringbuf_free_area(&b->to_vm, &p)) == 0)
		goto out;
	n = read(fd, p, space);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		goto out;
	if (n <= 0) {
		/* EOF or EIO: the ssh client closed the session */
		log_verbose("terminal read: %s",
		    n < 0 ? strerror(errno) : "end of input");
		b->in_closed = true;
		begin_end(b, BRIDGE_CLIENT_GONE);
		goto out;
	}
	if (b->req->cfg->escape_char != CONFIG_ESCAPE_NONE)
		esc = memchr(p, b->req->cfg->escape_char, (size_t)n);
	if (esc != NULL) {
		ringbuf_produce(&b->to_vm, (size_t)(esc - p));
		begin_end(b, BRIDGE_DETACHED);
		goto out;
	}
	ringbuf_produce(&b->to_vm, (size_t)n);
	send_to_vm(b);
 out:
	settle(b);
}

/* The terminal can take more console output. */
static void
on_terminal_output(int watch, int fd, int events, void *opaque)
{
	struct bridge *b = opaque;

	(void)watch;
	(void)fd;
	(void)events;
	write_to_terminal(b);
	settle(b);
}

/* A handled signal arrived: SIGHUP and SIGPIPE mean the client left. */
static void
on_signal_pipe(int watch, int fd, int events, void *opaque)
{
	struct bridge *b = opaque;
	int sig;

	(void)watch;
	(void)events;
	while ((sig = signal_pipe_next(fd)) != 0) {
		log_verbose("received signal %d", sig);
		if (sig == SIGHUP || sig == SIGPIPE)
			begin_end(b, BRIDGE_CLIENT_GONE);
		else
			begin_end(b, BRIDGE_TERMINATED);
	}
	settle(b);
}

/* The domain changed state; returns 0 as libvirt expects. */
static int
on_lifecycle_event(virConnectPtr conn, virDomainPtr dom, int event,
    int detail, void *opaque)
{
	struct bridge *b = opaque;

	(void)conn;
	(void)dom;
	log_verbose("domain lifecycle event %d detail %d", event, detail);
	if (event == VIR_DOMAIN_EVENT_STOPPED) {
		b->vm_stopped = true;
		b->vm_end = detail == VIR_DOMAIN_EVENT_STOPPED_DESTROYED ?
		    BRIDGE_VM_DESTROYED : BRIDGE_VM_SHUT_DOWN;
		begin_end(b, b->vm_end);
	} else if (event == VIR_DOMAIN_EVENT_SHUTDOWN) {
		/* STOPPED normally follows; the timer covers a kept domain */
		b->vm_shutdown_seen = true;
		start_settle_timer(b);
	}
	settle(b);
	return 0;
}

/* libvirt lost the connection (EOF, keepalive timeout or error). */
static void
on_connection_closed(virConnectPtr conn, int reason, void *opaque)
{
	struct bridge *b = opaque;

	(void)conn;
	log_verbose("libvirt connection closed (reason %d)", reason);
	b->conn_lost = true;
	begin_end(b, BRIDGE_LOST_HOST);
	settle(b);
}

/*
 * Prints the connect banner, names neutralised; returns 0 or -1. It goes
 * out in pieces, which is invisible: nothing else writes to the terminal
 * before it is complete.
 */
static int
print_banner(const struct bridge_request *req)
{
	const struct console_entry *e = req->entry;
	int fd = req->out_fd;
	char esc[8];

	config_format_escape_char(req->cfg->escape_char, esc, sizeof(esc));
	if (dprintf(fd, "Connected to ") < 0 ||
	    termsafe_dputs(e->vm, fd) != 0 ||
	    dprintf(fd, " (") < 0 ||
	    termsafe_dputs(e->vmid, fd) != 0 ||
	    dprintf(fd, ") on ") < 0 ||
	    termsafe_dputs(e->host, fd) != 0 ||
	    dprintf(fd, ". Escape character is %s\r\n", esc) < 0)
		return -1;
	return 0;
}

/*
 * Registers the terminal, the signal pipe, the stream and libvirt's
 * callbacks with the event loop. Returns 0 or -1 after logging.
 */
static int
watch_everything(struct bridge *b)
{
	if ((b->in_watch = virEventAddHandle(b->req->in_fd, 0,
	    on_terminal_input, b, NULL)) < 0 ||
	    (b->out_watch = virEventAddHandle(b->req->out_fd, 0,
	    on_terminal_output, b, NULL)) < 0 ||
	    (b->signal_watch = virEventAddHandle(b->signal_fd,
	    VIR_EVENT_HANDLE_READABLE, on_signal_pipe, b, NULL)) < 0) {
		log_error("cannot watch the terminal: %s",
		    console_last_error());
		return -1;
	}
	if (virStreamEventAddCallback(b->cc.stream, 0, on_stream_event, b,
	    NULL) < 0) {
		log_error("cannot watch the console stream: %s",
		    console_last_error());
		return -1;
	}
	b->stream_watched = true;
	if (virConnectRegisterCloseCallback(b->cc.conn, on_connection_closed,
	    b, NULL) < 0) {
		log_error("cannot watch the libvirt connection: %s",
		    console_last_error());
		return -1;
	}
	b->close_cb = true;
	if ((b->lifecycle_cb = virConnectDomainEventRegisterAny(b->cc.conn,
	    b->cc.dom, VIR_DOMAIN_EVENT_ID_LIFECYCLE,
	    VIR_DOMAIN_EVENT_CALLBACK(on_lifecycle_event), b, NULL)) < 0) {
		log_error("cannot watch the domain: %s", console_last_error());
		return -1;
	}
	return 0;
}

/* Undoes watch_everything(), whatever part of it was done. */
static void
unwatch_everything(struct bridge *b)
{
	if (b->in_watch >= 0)
		virEventRemoveHandle(b->in_watch);
	if (b->out_watch >= 0)
		virEventRemoveHandle(b->out_watch);
	if (b->signal_watch >= 0)
		virEventRemoveHandle(b->signal_watch);
	if (b->settle_timer >= 0)
		virEventRemoveTimeout(b->settle_timer);
	if (b->drain_timer >= 0)
		virEventRemoveTimeout(b->drain_timer);
	b->in_watch = b->out_watch = b->signal_watch = -1;
	b->settle_timer = b->drain_timer = -1;
	if (b->stream_watched)
		(void)virStreamEventRemoveCallback(b->cc.stream);
	b->stream_watched = false;
	if (b->lifecycle_cb >= 0)
		(void)virConnectDomainEventDeregisterAny(b->cc.conn,
		    b->lifecycle_cb);
	b->lifecycle_cb = -1;
	if (b->close_cb)
		(void)virConnectUnregisterCloseCallback(b->cc.conn,
		    on_connection_closed);
	b->close_cb = false;
}

/* Puts the terminal and the signal dispositions back as they were. */
static void
restore_terminal(struct bridge *b)
{
	terminal_restore();
	/*
	 * Last saved, first restored: stdin and stdout usually share one open
	 * file description, so out_flags may already hold O_NONBLOCK.
	 */
	if (b->out_flags >= 0)
		(void)fcntl(b->req->out_fd, F_SETFL, b->out_flags);
	if (b->in_flags >= 0)
		(void)fcntl(b->req->in_fd, F_SETFL, b->in_flags);
	b->in_flags = b->out_flags = -1;
	signal_pipe_restore(&b->signals);
}

/*
 * Prepares the terminal and runs the event loop until the session ends.
 * Returns the end reason.
 */
static enum bridge_end
run_loop(struct bridge *b)
{
	const struct vmconsole_config *cfg = b->req->cfg;

	if (ringbuf_init(&b->to_vm, (size_t)cfg->console_buffer_size) != 0 ||
	    ringbuf_init_growable(&b->from_vm,
	    (size_t)cfg->console_buffer_size,
	    (size_t)cfg->console_backlog_max) != 0) {
		log_error("out of memory");
		return BRIDGE_TERMINATED;
	}
	if ((b->signal_fd = signal_pipe_open()) < 0 ||
	    signal_pipe_install(&b->signals) != 0)
		return BRIDGE_TERMINATED;
	if (isatty(b->req->in_fd) && terminal_enter_raw(b->req->in_fd) != 0)
		return BRIDGE_TERMINATED;
	if ((b->in_flags = set_nonblocking(b->req->in_fd)) < 0 ||
	    (b->out_flags = set_nonblocking(b->req->out_fd)) < 0)
		return BRIDGE_TERMINATED;
	if (watch_everything(b) != 0)
		return BRIDGE_TERMINATED;
	settle(b);
	while (!b->quit) {
		if (virEventRunDefaultImpl() < 0) {
			log_error("event loop failed: %s",
			    console_last_error());
			begin_end(b, BRIDGE_TERMINATED);
			break;
		}
	}
	return b->end;
}

/* Returns the seconds of CLOCK_MONOTONIC. */
static long long
monotonic_seconds(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (long long)ts.tv_sec;
}

enum bridge_end
bridge_run(const struct bridge_request *req, struct bridge_result *res)
{
	struct bridge b;
	enum console_open_status st;
	long long started;

	memset(&b, 0, sizeof(b));
	memset(res, 0, sizeof(*res));
	b.req = req;
	b.in_watch = b.out_watch = b.signal_watch = b.signal_fd = -1;
	b.in_events = b.out_events = b.stream_events = 0;
	b.lifecycle_cb = b.settle_timer = b.drain_timer = -1;
	b.in_flags = b.out_flags = -1;
	b.end = BRIDGE_TERMINATED;

	st = console_open(req->cfg, req->entry, req->force, &b.cc,
	    res->error, sizeof(res->error));
	if (st != CONSOLE_OPEN_OK) {
		res->end = st == CONSOLE_OPEN_BUSY ? BRIDGE_BUSY :
		    st == CONSOLE_OPEN_NOT_RUNNING ? BRIDGE_VM_NOT_RUNNING :
		    BRIDGE_CONNECT_FAILED;
		audit_console_failed(req->audit, req->entry,
		    bridge_end_name(res->end));
		goto out;
	}
	started = monotonic_seconds();
	audit_console_opened(req->audit, req->entry);
	if (print_banner(req) != 0)
		b.end = BRIDGE_CLIENT_GONE;
	else
		b.end = run_loop(&b);
	restore_terminal(&b);
	unwatch_everything(&b);
	console_close(&b.cc);
	res->end = b.end;
	audit_console_closed(req->audit, req->entry,
	    monotonic_seconds() - started, b.bytes_to_vm, b.bytes_from_vm,
	    bridge_end_name(b.end));
 out:
	ringbuf_release(&b.to_vm);
	ringbuf_release(&b.from_vm);
	return res->end;
}
