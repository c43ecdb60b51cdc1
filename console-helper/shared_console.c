/*
 * The ssh-facing side of a shared console: one poll() loop over the
 * terminal, the broker's socket and the signal pipe. Console output is
 * read from the broker eagerly into a backlog of at most
 * console_backlog_max, as the unshared bridge does, so a client that
 * stops reading ends this session alone with the same message.
 */
#define _GNU_SOURCE
#include "shared_console.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "backlog.h"
#include "banner.h"
#include "console_broker.h"
#include "console_open.h"
#include "console_runtime.h"
#include "escape.h"
#include "fd_write.h"
#include "log.h"
#include "monotonic.h"
#include "ringbuf.h"
#include "signal_pipe.h"
#include "terminal.h"

#define DRAIN_MS 2000
/* Waiting for another session that is starting the same console. */
#define LOCK_WAIT_MS 120000
/* Waiting for a running broker to answer the hello. */
#define WELCOME_WAIT_MS 10000
#define CONNECT_ATTEMPTS 3

struct shared {
	const struct bridge_request *req;
	int sock;
	bool writer;
	struct ringbuf to_term;		/* console output and notices */
	struct ringbuf to_broker;	/* what the user typed */
	unsigned char in[BROKER_FRAME_HEADER + BROKER_FRAME_MAX];
	size_t in_len;
	bool ending, quit, sock_eof, out_broken;
	bool broker_vanished;	/* EOF without an end frame */
	enum bridge_end end;
	long long drain_deadline;
	unsigned long long typed, printed;
	int signal_fd;
	struct signal_pipe_saved signals;
	int in_flags, out_flags;
};

/* Connects to the broker socket at path; returns the socket or -1. */
static int
connect_broker(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Takes the start lock of the console; returns its fd or -1. */
static int
take_lock(const char *path)
{
	long long until = monotonic_ms() + LOCK_WAIT_MS;
	int fd;

	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0) {
		log_error("cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (monotonic_ms() > until) {
			log_error("%s stays locked", path);
			close(fd);
			return -1;
		}
		usleep(20000);
	}
	return fd;
}

/*
 * Starts the broker in a grandchild (so it belongs to no session) and
 * waits for its report. Returns the open status; error gets the reason.
 */
static enum console_open_status
start_broker(const struct bridge_request *req,
    const struct console_paths *paths, int lock, bool force, char *error,
    size_t errlen)
{
	unsigned char st = CONSOLE_OPEN_FAILED;
	int pfd[2] = { -1, -1 };
	ssize_t n;
	size_t got = 0;
	pid_t pid;

	snprintf(error, errlen, "the console broker did not start");
	if (pipe2(pfd, O_CLOEXEC) != 0)
		return CONSOLE_OPEN_FAILED;
	fflush(NULL);
	if ((pid = fork()) < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return CONSOLE_OPEN_FAILED;
	}
	if (pid == 0) {
		/* this process's copy of the lock stays with the session */
		close(lock);
		close(pfd[0]);
		if (fork() == 0)
			console_broker_main(req->cfg, req->entry, force, paths,
			    pfd[1]);
		_exit(0);
	}
	close(pfd[1]);
	(void)waitpid(pid, NULL, 0);
	do
		n = read(pfd[0], &st, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1) {
		close(pfd[0]);
		return CONSOLE_OPEN_FAILED;
	}
	if (st != CONSOLE_OPEN_OK) {
		error[0] = '\0';
		while (got + 1 < errlen && (n = read(pfd[0], error + got,
		    errlen - 1 - got)) > 0)
			got += (size_t)n;
		error[got] = '\0';
	}
	close(pfd[0]);
	return (enum console_open_status)st;
}

/* Sends the hello and waits for the role. Returns 0, or -1 to retry. */
static int
say_hello(struct shared *sh, enum broker_mode mode, long replay)
{
	const struct bridge_request *req = sh->req;
	struct broker_hello h;
	char line[BROKER_HELLO_MAX];
	struct pollfd pfd;
	unsigned char type = 0;
	const unsigned char *payload = NULL;
	size_t plen = 0;
	long used;
	ssize_t n;
	int len;

	memset(&h, 0, sizeof(h));
	h.mode = mode;
	h.replay = replay >= 0 ? (unsigned long)replay :
	    (unsigned long)req->cfg->console_replay_lines;
	snprintf(h.host, sizeof(h.host), "%s", req->entry->host);
	snprintf(h.vmid, sizeof(h.vmid), "%s", req->entry->vmid);
	snprintf(h.entity_id, sizeof(h.entity_id), "%s",
	    req->audit->entity_id);
	snprintf(h.entity, sizeof(h.entity), "%s", req->audit->entity);
	if ((len = broker_hello_format(&h, line, sizeof(line))) < 0 ||
	    fd_write_all(sh->sock, line, (size_t)len) != 0)
		return -1;
	pfd.fd = sh->sock;
	pfd.events = POLLIN;
	while ((used = broker_frame_next(sh->in, sh->in_len, &type,
	    &payload, &plen)) == 0) {
		if (poll(&pfd, 1, WELCOME_WAIT_MS) <= 0)
			return -1;
		n = read(sh->sock, sh->in + sh->in_len,
		    sizeof(sh->in) - sh->in_len);
		if (n <= 0)
			return -1;
		sh->in_len += (size_t)n;
	}
	if (used < 0 || type != FRAME_MODE)
		return -1;
	sh->writer = plen == 5 && memcmp(payload, "write", 5) == 0;
	memmove(sh->in, sh->in + used, sh->in_len - (size_t)used);
	sh->in_len -= (size_t)used;
	return 0;
}

/*
 * Joins the console's broker, starting it when there is none. Returns
 * CONSOLE_OPEN_OK with sh->sock connected and welcomed, or the failure.
 */
static enum console_open_status
join(struct shared *sh, enum broker_mode mode, long replay, char *error,
    size_t errlen)
{
	const struct bridge_request *req = sh->req;
	struct console_paths paths;
	enum console_open_status st = CONSOLE_OPEN_FAILED;
	int attempt, lock = -1;

	snprintf(error, errlen, "cannot reach the shared console (see the "
	    "system log)");
	if (console_runtime_dir_check(req->cfg->runtime_dir) != 0 ||
	    console_runtime_paths(req->cfg->runtime_dir, req->entry->host,
	    req->entry->vmid, req->entry->console, &paths) != 0)
		return CONSOLE_OPEN_FAILED;
	for (attempt = 0; attempt < CONNECT_ATTEMPTS; attempt++) {
		if ((lock = take_lock(paths.lock)) < 0)
			return CONSOLE_OPEN_FAILED;
		if ((sh->sock = connect_broker(paths.sock)) < 0) {
			st = start_broker(req, &paths, lock,
			    mode == BROKER_MODE_FORCE, error, errlen);
			if (st != CONSOLE_OPEN_OK) {
				close(lock);
				return st;
			}
			sh->sock = connect_broker(paths.sock);
		}
		close(lock);
		lock = -1;
		sh->in_len = 0;
		if (sh->sock >= 0 && say_hello(sh, mode, replay) == 0)
			return CONSOLE_OPEN_OK;
		/* the broker was just ending: start afresh */
		if (sh->sock >= 0)
			close(sh->sock);
		sh->sock = -1;
	}
	return CONSOLE_OPEN_FAILED;
}

/* Decides the end of the session; the first reason wins. */
static void
begin_end(struct shared *sh, enum bridge_end why)
{
	if (sh->ending)
		return;
	sh->ending = true;
	sh->end = why;
	sh->drain_deadline = monotonic_ms() + DRAIN_MS;
	log_verbose("ending console session: %s", bridge_end_name(why));
	if (why == BRIDGE_CLIENT_GONE) {
		sh->out_broken = true;
		sh->quit = true;
	}
}

/* Adds bytes for the terminal; too many ends the session as stalled. */
static void
to_terminal(struct shared *sh, const void *buf, size_t len)
{
	size_t taken = 0;
	enum backlog_status st;

	if (sh->out_broken || (sh->ending && sh->end != BRIDGE_DETACHED &&
	    sh->end != BRIDGE_LOST_HOST && sh->end != BRIDGE_VM_SHUT_DOWN &&
	    sh->end != BRIDGE_VM_DESTROYED && sh->end != BRIDGE_TAKEN_OVER))
		return;
	st = backlog_add(&sh->to_term, buf, len, &taken);
	if (st == BACKLOG_FULL)
		begin_end(sh, BRIDGE_TERMINAL_STALLED);
	else if (st == BACKLOG_NO_MEMORY)
		begin_end(sh, BRIDGE_TERMINATED);
}

/* Handles the whole frames received from the broker. */
static void
handle_frames(struct shared *sh)
{
	unsigned char type = 0;
	const unsigned char *p = NULL;
	size_t plen = 0, off = 0;
	long used;

	while ((used = broker_frame_next(sh->in + off, sh->in_len - off,
	    &type, &p, &plen)) > 0) {
		off += (size_t)used;
		switch (type) {
		case FRAME_MODE:
			sh->writer = plen == 5 && memcmp(p, "write", 5) == 0;
			break;
		case FRAME_REPLAY:
		case FRAME_OUTPUT:
			sh->printed += plen;
			to_terminal(sh, p, plen);
			break;
		case FRAME_NOTICE:
			to_terminal(sh, "\r\n", 2);
			to_terminal(sh, p, plen);
			to_terminal(sh, "\r\n", 2);
			break;
		case FRAME_END:
			if (plen == 1 && p[0] <= BRIDGE_TERMINAL_STALLED)
				begin_end(sh, (enum bridge_end)p[0]);
			else
				begin_end(sh, BRIDGE_LOST_HOST);
			break;
		}
	}
	if (used < 0) {
		log_error("invalid frame from the console broker");
		begin_end(sh, BRIDGE_LOST_HOST);
		off = sh->in_len;
	}
	memmove(sh->in, sh->in + off, sh->in_len - off);
	sh->in_len -= off;
}

/* Reads from the broker socket. */
static void
read_broker(struct shared *sh)
{
	ssize_t n;

	n = read(sh->sock, sh->in + sh->in_len, sizeof(sh->in) - sh->in_len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		sh->sock_eof = true;
		/* no end frame: the broker itself went away */
		if (!sh->ending) {
			sh->broker_vanished = true;
			begin_end(sh, BRIDGE_LOST_HOST);
		}
		return;
	}
	sh->in_len += (size_t)n;
	handle_frames(sh);
}

/* Reads what the user typed: the writer's goes to the broker. */
static void
read_terminal(struct shared *sh)
{
	unsigned char buf[4096];
	size_t keep, space = ringbuf_space(&sh->to_broker);
	ssize_t n;

	if (space > sizeof(buf))
		space = sizeof(buf);
	n = read(sh->req->in_fd, buf, space);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		begin_end(sh, BRIDGE_CLIENT_GONE);
		return;
	}
	keep = escape_find(buf, (size_t)n, sh->req->cfg->escape_char);
	/* a watcher's keys go nowhere: only the escape character counts */
	if (sh->writer) {
		(void)ringbuf_put(&sh->to_broker, buf, keep);
		sh->typed += keep;
	}
	if (keep < (size_t)n)
		begin_end(sh, BRIDGE_DETACHED);
}

/* Writes pending bytes of rb to fd; returns -1 when fd is broken. */
static int
flush_to(int fd, struct ringbuf *rb)
{
	const unsigned char *p = NULL;
	size_t len;
	ssize_t n;

	while ((len = ringbuf_data_area(rb, &p)) > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return -1;
		ringbuf_consume(rb, (size_t)n);
	}
	return 0;
}

/* A handled signal arrived: SIGHUP and SIGPIPE mean the client left. */
static void
read_signals(struct shared *sh)
{
	int sig;

	while ((sig = signal_pipe_next(sh->signal_fd)) != 0)
		begin_end(sh, sig == SIGHUP || sig == SIGPIPE ?
		    BRIDGE_CLIENT_GONE : BRIDGE_TERMINATED);
}

/* Returns true once the session is over and what can be delivered is. */
static bool
done(struct shared *sh)
{
	if (sh->quit)
		return true;
	if (!sh->ending)
		return false;
	if (monotonic_ms() > sh->drain_deadline)
		return true;
	if (!sh->out_broken && ringbuf_used(&sh->to_term) > 0)
		return false;
	if (sh->end == BRIDGE_DETACHED && !sh->sock_eof &&
	    ringbuf_used(&sh->to_broker) > 0)
		return false;
	return true;
}

/* The poll() loop of the session; returns the end reason. */
static enum bridge_end
pump(struct shared *sh)
{
	struct pollfd p[4];
	int n;

	while (!done(sh)) {
		memset(p, 0, sizeof(p));
		p[0].fd = sh->req->in_fd;
		p[0].events = !sh->ending &&
		    ringbuf_space(&sh->to_broker) > 0 ? POLLIN : 0;
		p[1].fd = sh->req->out_fd;
		p[1].events = !sh->out_broken &&
		    ringbuf_used(&sh->to_term) > 0 ? POLLOUT : 0;
		p[2].fd = sh->sock_eof ? -1 : sh->sock;
		p[2].events = POLLIN | (ringbuf_used(&sh->to_broker) > 0 ?
		    POLLOUT : 0);
		p[3].fd = sh->signal_fd;
		p[3].events = POLLIN;
		n = poll(p, 4, sh->ending ? 100 : -1);
		if (n < 0 && errno != EINTR) {
			begin_end(sh, BRIDGE_TERMINATED);
			break;
		}
		if (n <= 0)
			continue;
		if (p[3].revents)
			read_signals(sh);
		if (p[2].revents & (POLLIN | POLLHUP | POLLERR))
			read_broker(sh);
		if (p[2].revents & POLLOUT &&
		    flush_to(sh->sock, &sh->to_broker) != 0)
			ringbuf_consume(&sh->to_broker,
			    ringbuf_used(&sh->to_broker));
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR))
			read_terminal(sh);
		if (p[1].revents && flush_to(sh->req->out_fd,
		    &sh->to_term) != 0) {
			sh->out_broken = true;
			begin_end(sh, BRIDGE_CLIENT_GONE);
		}
		if (!sh->out_broken && ringbuf_used(&sh->to_term) > 0 &&
		    flush_to(sh->req->out_fd, &sh->to_term) != 0) {
			sh->out_broken = true;
			begin_end(sh, BRIDGE_CLIENT_GONE);
		}
	}
	return sh->end;
}

/* Prepares the terminal and runs the loop; returns the end reason. */
static enum bridge_end
run_terminal(struct shared *sh)
{
	if ((sh->signal_fd = signal_pipe_open()) < 0 ||
	    signal_pipe_install(&sh->signals) != 0)
		return BRIDGE_TERMINATED;
	if (isatty(sh->req->in_fd) && terminal_enter_raw(sh->req->in_fd) != 0)
		return BRIDGE_TERMINATED;
	if ((sh->in_flags = terminal_set_nonblocking(sh->req->in_fd)) < 0 ||
	    (sh->out_flags = terminal_set_nonblocking(sh->req->out_fd)) < 0)
		return BRIDGE_TERMINATED;
	if (fcntl(sh->sock, F_SETFL, fcntl(sh->sock, F_GETFL) |
	    O_NONBLOCK) != 0)
		return BRIDGE_TERMINATED;
	/* what arrived with the role frame */
	handle_frames(sh);
	return pump(sh);
}

enum bridge_end
shared_console_run(const struct bridge_request *req, enum broker_mode mode,
    long replay, struct bridge_result *res)
{
	const struct vmconsole_config *cfg = req->cfg;
	struct shared *sh = NULL;
	enum console_open_status st;
	struct audit_context audit;
	long long started;

	memset(res, 0, sizeof(*res));
	res->end = BRIDGE_TERMINATED;
	if ((sh = calloc(1, sizeof(*sh))) == NULL ||
	    backlog_init(&sh->to_term, (size_t)cfg->console_buffer_size,
	    (size_t)cfg->console_backlog_max) != 0 ||
	    ringbuf_init(&sh->to_broker, 4096) != 0) {
		log_error("out of memory");
		goto out;
	}
	sh->req = req;
	sh->sock = sh->signal_fd = -1;
	sh->in_flags = sh->out_flags = -1;
	sh->end = BRIDGE_TERMINATED;
	st = join(sh, mode, replay, res->error, sizeof(res->error));
	if (st != CONSOLE_OPEN_OK) {
		res->end = st == CONSOLE_OPEN_BUSY ? BRIDGE_BUSY :
		    st == CONSOLE_OPEN_NO_SUCH_VM ? BRIDGE_NO_SUCH_VM :
		    st == CONSOLE_OPEN_NOT_RUNNING ? BRIDGE_VM_NOT_RUNNING :
		    BRIDGE_CONNECT_FAILED;
		audit_console_failed(req->audit, req->entry,
		    bridge_end_name(res->end));
		goto out;
	}
	/* only a vanished broker puts words of its own here */
	res->error[0] = '\0';
	audit = *req->audit;
	audit.mode = sh->writer ? "write" : "watch";
	started = monotonic_ms();
	audit_console_opened(&audit, req->entry);
	if (banner_print(req->out_fd, cfg, req->entry) != 0)
		sh->end = BRIDGE_CLIENT_GONE;
	else
		sh->end = run_terminal(sh);
	terminal_restore();
	terminal_restore_flags(req->out_fd, &sh->out_flags);
	terminal_restore_flags(req->in_fd, &sh->in_flags);
	signal_pipe_restore(&sh->signals);
	res->end = sh->end;
	if (sh->end == BRIDGE_LOST_HOST && sh->broker_vanished)
		snprintf(res->error, sizeof(res->error), "the console broker "
		    "of this VM ended");
	audit.mode = sh->writer ? "write" : "watch";
	audit_console_closed(&audit, req->entry,
	    (monotonic_ms() - started) / 1000, sh->typed, sh->printed,
	    bridge_end_name(sh->end));
 out:
	if (sh != NULL) {
		if (sh->sock >= 0)
			close(sh->sock);
		ringbuf_release(&sh->to_term);
		ringbuf_release(&sh->to_broker);
		free(sh);
	}
	return res->end;
}
