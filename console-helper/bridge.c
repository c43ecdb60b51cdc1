/*
 * Bridging a VM's console and the user's terminal in libvirt's default
 * event loop: one callback each for the terminal's input, its output and
 * signals, the console's output, room and end from vm_console, and one
 * place (begin_end) where every way of ending a session goes through.
 */
#include "bridge.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>

#include "backlog.h"
#include "banner.h"
#include "escape.h"
#include "log.h"
#include "ringbuf.h"
#include "signal_pipe.h"
#include "terminal.h"
#include "vm_console.h"

struct bridge {
	const struct bridge_request *req;
	struct vm_console *vc;
	struct ringbuf from_vm;		/* console output for the terminal */
	unsigned char *in_buf;		/* what the user typed */
	size_t in_size;
	int in_watch, out_watch, signal_watch;
	/* interest currently registered for each */
	int in_events, out_events;
	int drain_timer;
	bool in_closed;		/* EOF or an error reading the terminal */
	bool out_broken;	/* the terminal cannot be written any more */
	bool console_ended;	/* vm_console said it ended */
	bool ending;		/* end is decided, only draining is left */
	bool quit;		/* leave the loop */
	enum bridge_end end;
	int in_flags, out_flags;	/* file status flags to restore */
	int signal_fd;		/* read end of the signal self-pipe */
	struct signal_pipe_saved signals;
};

/*
 * Registers interest in exactly what can make progress: reading the
 * terminal only when the console can take it, writing only buffered
 * bytes. Nothing is watched that would wake the loop with nothing to do,
 * so an idle session is idle.
 */
static void
update_interest(struct bridge *b)
{
	int ev;

	ev = !b->ending && !b->in_closed && b->vc != NULL &&
	    vm_console_send_room(b->vc) > 0 ? VIR_EVENT_HANDLE_READABLE : 0;
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
 * be delivered is buffered, or after console_close_timeout at the latest.
 */
static void
check_done(struct bridge *b)
{
	bool pending = false;

	if (!b->ending || b->quit)
		return;
	/* bytes typed before the escape character still go to the VM */
	if (b->end == BRIDGE_DETACHED && vm_console_unsent(b->vc) > 0)
		pending = true;
	if (!b->out_broken && ringbuf_used(&b->from_vm) > 0)
		pending = true;
	if (!pending) {
		b->quit = true;
		return;
	}
	if (b->drain_timer < 0 && (b->drain_timer =
	    virEventAddTimeout((int)b->req->cfg->console_close_timeout * 1000,
	    on_drain_timer, b, NULL)) < 0)
		b->quit = true;
}

/* After every event: adjust interest, see whether the session is over. */
static void
settle(struct bridge *b)
{
	update_interest(b);
	check_done(b);
}

/* Decides the end of the session; the first reason wins. */
static void
begin_end(struct bridge *b, enum bridge_end why)
{
	if (b->ending)
		return;
	b->ending = true;
	b->end = why;
	log_verbose("ending console session: %s", bridge_end_name(why));
	if (b->vc != NULL)
		vm_console_set_receiving(b->vc, false);
	if (why == BRIDGE_CLIENT_GONE) {
		/* nobody reads any more: release the console at once */
		b->out_broken = true;
		b->quit = true;
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
 * The console printed something: it goes into the backlog, which the
 * terminal empties first when it can. Output that does not fit even at
 * console_backlog_max ends the session instead of vanishing unseen.
 */
static void
on_console_output(void *opaque, const unsigned char *buf, size_t len)
{
	struct bridge *b = opaque;
	size_t taken = 0;
	enum backlog_status st;

	if (b->ending)
		return;
	if (ringbuf_space(&b->from_vm) < len)
		write_to_terminal(b);
	if (b->ending)
		return;
	st = backlog_add(&b->from_vm, buf, len, &taken);
	if (st == BACKLOG_FULL) {
		log_verbose("terminal not reading: %zu bytes of console "
		    "output waiting and %zu more arrived",
		    ringbuf_used(&b->from_vm), len - taken);
		begin_end(b, BRIDGE_TERMINAL_STALLED);
	} else if (st == BACKLOG_NO_MEMORY) {
		log_error("out of memory for console output");
		begin_end(b, BRIDGE_TERMINATED);
	}
	write_to_terminal(b);
	settle(b);
}

/* The console can take more of what the user typed. */
static void
on_console_sendable(void *opaque)
{
	settle(opaque);
}

/* The console ended: the session ends with it. */
static void
on_console_ended(void *opaque, enum bridge_end why)
{
	struct bridge *b = opaque;

	b->console_ended = true;
	begin_end(b, why);
	settle(b);
}

/*
 * Reads what the user typed and sends it to the console. Bytes before the
 * escape character are still sent; the escape character itself detaches.
 */
static void
on_terminal_input(int watch, int fd, int events, void *opaque)
{
	struct bridge *b = opaque;
	size_t space, keep;
	ssize_t n;

	(void)watch;
	(void)events;
	if (b->ending || b->in_closed ||
	    (space = vm_console_send_room(b->vc)) == 0)
		goto out;
	if (space > b->in_size)
		space = b->in_size;
	n = read(fd, b->in_buf, space);
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
	keep = escape_find(b->in_buf, (size_t)n, b->req->cfg->escape_char);
	(void)vm_console_send(b->vc, b->in_buf, keep);
	if (keep < (size_t)n)
		begin_end(b, BRIDGE_DETACHED);
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

/* Registers the terminal and the signal pipe; returns 0 or -1. */
static int
watch_terminal(struct bridge *b)
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
	return 0;
}

/* Undoes watch_terminal(), whatever part of it was done. */
static void
unwatch_terminal(struct bridge *b)
{
	if (b->in_watch >= 0)
		virEventRemoveHandle(b->in_watch);
	if (b->out_watch >= 0)
		virEventRemoveHandle(b->out_watch);
	if (b->signal_watch >= 0)
		virEventRemoveHandle(b->signal_watch);
	if (b->drain_timer >= 0)
		virEventRemoveTimeout(b->drain_timer);
	b->in_watch = b->out_watch = b->signal_watch = -1;
	b->drain_timer = -1;
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
	terminal_restore_flags(b->req->out_fd, &b->out_flags);
	terminal_restore_flags(b->req->in_fd, &b->in_flags);
	signal_pipe_restore(&b->signals);
}

/*
 * Prepares the terminal and runs the event loop until the session ends.
 * Returns the end reason.
 */
static enum bridge_end
run_loop(struct bridge *b)
{
	if ((b->signal_fd = signal_pipe_open()) < 0 ||
	    signal_pipe_install(&b->signals) != 0)
		return BRIDGE_TERMINATED;
	if (isatty(b->req->in_fd) && terminal_enter_raw(b->req->in_fd) != 0)
		return BRIDGE_TERMINATED;
	if ((b->in_flags = terminal_set_nonblocking(b->req->in_fd)) < 0 ||
	    (b->out_flags = terminal_set_nonblocking(b->req->out_fd)) < 0)
		return BRIDGE_TERMINATED;
	if (watch_terminal(b) != 0)
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
	const struct vmconsole_config *cfg = req->cfg;
	struct vm_console_consumer consumer;
	struct bridge b;
	enum console_open_status st;
	long long started;

	memset(&b, 0, sizeof(b));
	memset(res, 0, sizeof(*res));
	b.req = req;
	b.in_watch = b.out_watch = b.signal_watch = b.signal_fd = -1;
	b.drain_timer = -1;
	b.in_flags = b.out_flags = -1;
	b.end = BRIDGE_TERMINATED;
	res->end = BRIDGE_TERMINATED;
	b.in_size = (size_t)cfg->console_buffer_size;
	if ((b.in_buf = malloc(b.in_size)) == NULL ||
	    backlog_init(&b.from_vm, (size_t)cfg->console_buffer_size,
	    (size_t)cfg->console_backlog_max) != 0) {
		log_error("out of memory");
		goto out;
	}
	consumer.output = on_console_output;
	consumer.sendable = on_console_sendable;
	consumer.ended = on_console_ended;
	consumer.opaque = &b;
	st = vm_console_open(cfg, req->entry, req->force, &consumer, &b.vc,
	    res->error, sizeof(res->error));
	if (st != CONSOLE_OPEN_OK) {
		res->end = st == CONSOLE_OPEN_BUSY ? BRIDGE_BUSY :
		    st == CONSOLE_OPEN_NOT_RUNNING ? BRIDGE_VM_NOT_RUNNING :
		    st == CONSOLE_OPEN_NO_SUCH_VM ? BRIDGE_NO_SUCH_VM :
		    BRIDGE_CONNECT_FAILED;
		audit_console_failed(req->audit, req->entry,
		    bridge_end_name(res->end));
		goto out;
	}
	started = monotonic_seconds();
	audit_console_opened(req->audit, req->entry);
	if (banner_print(req->out_fd, cfg, req->entry) != 0)
		b.end = BRIDGE_CLIENT_GONE;
	else
		b.end = run_loop(&b);
	restore_terminal(&b);
	unwatch_terminal(&b);
	res->end = b.end;
	audit_console_closed(req->audit, req->entry,
	    monotonic_seconds() - started, vm_console_bytes_sent(b.vc),
	    vm_console_bytes_received(b.vc), bridge_end_name(b.end));
	vm_console_close(b.vc);
 out:
	ringbuf_release(&b.from_vm);
	free(b.in_buf);
	return res->end;
}
