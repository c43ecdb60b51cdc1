/*
 * The shared console broker: libvirt's event loop with one handle for the
 * listening socket, one per session, the console's callbacks and one
 * periodic timer for deadlines (hellos, sessions being dropped, lingering).
 */
#define _GNU_SOURCE
#include "console_broker.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>

#include "broker_fanout.h"
#include "broker_proto.h"
#include "broker_roster.h"
#include "broker_session.h"
#include "console_history.h"
#include "console_log.h"
#include "fd_write.h"
#include "log.h"
#include "termsafe.h"
#include "validate.h"
#include "vm_console.h"

#define TICK_MS 500
/*
 * How long a new broker waits for its first session: the one that started
 * it may have died before connecting, and nobody else may ever come.
 */
#define FIRST_SESSION_SECONDS 10

struct broker {
	const struct vmconsole_config *cfg;
	const struct console_entry *entry;
	const struct console_paths *paths;
	struct vm_console *vc;
	struct console_history history;
	struct console_log log;
	struct broker_roster roster;
	char *vm_name;		/* neutralised for notices */
	int listen_fd, listen_watch, timer;
	bool ticking;		/* timer armed: a deadline is pending */
	bool ending;		/* the console ended */
	bool quit;
	time_t linger_until;	/* 0: not lingering */
	enum bridge_end end;
};

static void session_update(struct broker *br, struct broker_session *s);

/* Keeps the state file "list" reads in step with the sessions. */
static void
write_state(struct broker *br)
{
	struct console_state st;
	struct broker_session *w;

	memset(&st, 0, sizeof(st));
	st.pid = getpid();
	snprintf(st.vmid, sizeof(st.vmid), "%s", br->entry->vmid);
	(void)broker_roster_count(&br->roster, &w, &st.watchers);
	if (w != NULL)
		snprintf(st.writer, sizeof(st.writer), "%s", w->who.entity);
	(void)console_state_write(br->paths->state, &st);
}

/* Ends s with reason why once its last frames are out. */
static void
session_end(struct broker *br, struct broker_session *s,
    enum bridge_end why)
{
	broker_session_end(s, why, time(NULL));
	session_update(br, s);
}

/* Logs an event of session s to the console log. */
static void
log_event(struct broker *br, struct broker_session *s, const char *what)
{
	char line[800];

	snprintf(line, sizeof(line), "%s (%s) %s %s", s->who.entity,
	    s->who.entity_id, what, s->writer ? "write" : "watch");
	console_log_event(&br->log, time(NULL), line);
}

/* Frees a session and removes it from the roster and the loop. */
static void
session_free(struct broker *br, struct broker_session *s)
{
	broker_roster_remove(&br->roster, s);
	if (s->watch >= 0)
		virEventRemoveHandle(s->watch);
	broker_session_free(s);
}

/* No session left: linger, or end now. */
static void
check_empty(struct broker *br)
{
	if (br->roster.sessions != NULL)
		return;
	if (br->ending || br->cfg->console_linger == 0) {
		br->quit = true;
		return;
	}
	if (br->linger_until == 0) {
		br->linger_until = time(NULL) + br->cfg->console_linger;
		log_verbose("console of %s lingers for %lds", br->entry->vmid,
		    br->cfg->console_linger);
	}
}

/* The session left (detached or gone): tell the others. */
static void
session_leave(struct broker *br, struct broker_session *s)
{
	if (broker_session_live(s)) {
		s->closing = true;
		log_event(br, s, "detached");
		broker_roster_announce_leave(&br->roster, s);
	}
	session_free(br, s);
	write_state(br);
	check_empty(br);
}

/* Sends the last lines of history to a session that just attached. */
static void
send_replay(struct broker *br, struct broker_session *s)
{
	size_t limit = (size_t)br->cfg->console_backlog_max, len, off, n;
	unsigned char *buf = NULL;

	len = console_history_tail(&br->history, s->who.replay,
	    limit > BROKER_QUEUE_SLACK ? limit - BROKER_QUEUE_SLACK : 0);
	if (len == 0 || (buf = malloc(len)) == NULL)
		return;
	console_history_copy_tail(&br->history, buf, len);
	for (off = 0; off < len; off += n) {
		n = len - off < BROKER_FRAME_MAX ? len - off :
		    BROKER_FRAME_MAX;
		(void)broker_session_send(s, FRAME_REPLAY, buf + off, n,
		    limit);
	}
	free(buf);
}

/* Accepts a valid hello: gives s its role, its replay, and tells all. */
static void
session_attach(struct broker *br, struct broker_session *s)
{
	struct broker_session *demoted;
	const char *why = NULL;
	char line[1100];

	if (strcmp(s->who.host, br->entry->host) != 0 ||
	    strcmp(s->who.vmid, br->entry->vmid) != 0 ||
	    !validate_entity(s->who.entity, &why) ||
	    !validate_entity(s->who.entity_id, &why)) {
		log_error("refused a session for %s on %s", s->who.vmid,
		    s->who.host);
		session_free(br, s);
		return;
	}
	br->linger_until = 0;
	demoted = broker_roster_join(&br->roster, s);
	if (demoted != NULL) {
		snprintf(line, sizeof(line), "%s (%s) took over from %s (%s)",
		    s->who.entity, s->who.entity_id, demoted->who.entity,
		    demoted->who.entity_id);
		console_log_event(&br->log, time(NULL), line);
	}
	send_replay(br, s);
	log_event(br, s, "attached");
	broker_roster_announce(&br->roster, s, demoted);
	write_state(br);
	session_update(br, s);
}

/* Reads the hello line; returns false when the session was freed. */
static bool
read_hello(struct broker *br, struct broker_session *s)
{
	switch (broker_session_read_hello(s)) {
	case BROKER_HELLO_MORE:
		return true;
	case BROKER_HELLO_DONE:
		session_attach(br, s);
		return true;
	case BROKER_HELLO_INVALID:
		log_error("invalid hello on the broker socket");
		break;
	case BROKER_HELLO_GONE:
		break;
	}
	session_free(br, s);
	check_empty(br);
	return false;
}

/* Reads what the session's user typed; only the writer's reaches the VM. */
static void
read_keys(struct broker *br, struct broker_session *s)
{
	unsigned char buf[4096];
	size_t room = sizeof(buf);
	ssize_t n;

	if (s->writer && !br->ending) {
		room = vm_console_send_room(br->vc);
		if (room > sizeof(buf))
			room = sizeof(buf);
		if (room == 0)
			return;
	}
	n = recv(s->fd, buf, room, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		session_leave(br, s);
		return;
	}
	if (s->writer && !br->ending && !s->closing)
		(void)vm_console_send(br->vc, buf, (size_t)n);
	session_update(br, s);
}

/* A session's socket is readable or writable. */
static void
on_session(int watch, int fd, int events, void *opaque)
{
	struct broker_session *s = opaque;
	struct broker *br = s->opaque;

	(void)watch;
	(void)fd;
	if (events & (VIR_EVENT_HANDLE_WRITABLE | VIR_EVENT_HANDLE_ERROR |
	    VIR_EVENT_HANDLE_HANGUP)) {
		broker_session_flush(s);
		if (s->closing && ringbuf_used(&s->queue) == 0) {
			session_leave(br, s);
			return;
		}
	}
	if (events & (VIR_EVENT_HANDLE_READABLE | VIR_EVENT_HANDLE_HANGUP |
	    VIR_EVENT_HANDLE_ERROR)) {
		if (!s->attached) {
			(void)read_hello(br, s);
			return;
		}
		if (!s->closing) {
			read_keys(br, s);
			return;
		}
	}
	session_update(br, s);
}

/*
 * Watches exactly what can make progress: the hello, the watchers' keys
 * (read and dropped, so the escape character and EOF are seen), the
 * writer's keys while the console can take them, and queued frames.
 */
static void
session_update(struct broker *br, struct broker_session *s)
{
	int ev = 0;

	if (s->watch < 0)
		return;
	if (!s->closing && (!s->attached || !s->writer || br->ending ||
	    vm_console_send_room(br->vc) > 0))
		ev |= VIR_EVENT_HANDLE_READABLE;
	if (ringbuf_used(&s->queue) > 0)
		ev |= VIR_EVENT_HANDLE_WRITABLE;
	if (s->closing && ringbuf_used(&s->queue) == 0) {
		/* nothing left to say: free it from the next tick */
		s->close_by = 0;
	}
	if (ev != s->events) {
		virEventUpdateHandle(s->watch, ev);
		s->events = ev;
	}
}

/* A session connects: it must say hello first. */
static void
on_listen(int watch, int fd, int events, void *opaque)
{
	struct broker *br = opaque;
	struct broker_session *s = NULL;
	int cfd;

	(void)watch;
	(void)events;
	if ((cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) < 0)
		return;
	if (br->ending || (s = broker_session_new(cfd,
	    (size_t)br->cfg->console_backlog_max + BROKER_QUEUE_SLACK,
	    time(NULL))) == NULL) {
		close(cfd);
		return;
	}
	s->opaque = br;
	s->events = VIR_EVENT_HANDLE_READABLE;
	if ((s->watch = virEventAddHandle(cfd, s->events, on_session, s,
	    NULL)) < 0) {
		broker_session_free(s);
		return;
	}
	broker_roster_add(&br->roster, s);
}

/* A session's queue could not take the output: it is dropped alone. */
static void
on_dropped(void *opaque, struct broker_session *s)
{
	struct broker *br = opaque;

	log_verbose("session of %s not reading: dropped", s->who.entity);
	log_event(br, s, "dropped (not reading)");
	session_update(br, s);
}

/* A session got output: watch its socket for writing. */
static void
on_sent(void *opaque, struct broker_session *s)
{
	session_update(opaque, s);
}

/*
 * The console printed something: into the history and the log, and a
 * frame to every session.
 */
static void
on_output(void *opaque, const unsigned char *buf, size_t len)
{
	struct broker *br = opaque;

	if (console_history_add(&br->history, buf, len) != 0)
		log_error("out of memory for the console history");
	console_log_output(&br->log, buf, len);
	broker_fanout_output(&br->roster, buf, len,
	    (size_t)br->cfg->console_backlog_max, time(NULL), on_dropped,
	    on_sent, br);
}

/* The console can take more of the writer's keys. */
static void
on_sendable(void *opaque)
{
	struct broker *br = opaque;
	struct broker_session *s;

	for (s = br->roster.sessions; s != NULL; s = s->next)
		if (s->writer)
			session_update(br, s);
}

/*
 * Takes the start lock and removes the socket: new sessions start anew.
 * Returns the lock (-1 if it could not be taken) for the caller to hold
 * until the console is released, so that a session arriving meanwhile
 * waits instead of finding the console busy.
 */
static int
withdraw(struct broker *br)
{
	int fd;

	if (br->listen_fd < 0)
		return -1;
	fd = open(br->paths->lock, O_RDWR | O_CLOEXEC);
	if (fd >= 0 && flock(fd, LOCK_EX) != 0) {
		close(fd);
		fd = -1;
	}
	(void)unlink(br->paths->sock);
	(void)unlink(br->paths->state);
	if (br->listen_watch >= 0)
		virEventRemoveHandle(br->listen_watch);
	br->listen_watch = -1;
	close(br->listen_fd);
	br->listen_fd = -1;
	return fd;
}

/* The console ended: every session ends with the same reason. */
static void
on_ended(void *opaque, enum bridge_end why)
{
	struct broker *br = opaque;
	struct broker_session *s, *next;
	char text[300];
	int lock;

	if (br->ending)
		return;
	br->ending = true;
	br->end = why;
	/* the console is gone already: nothing to wait for */
	if ((lock = withdraw(br)) >= 0)
		close(lock);
	snprintf(text, sizeof(text), "console closed: %s", bridge_end_name(why));
	console_log_event(&br->log, time(NULL), text);
	for (s = br->roster.sessions; s != NULL; s = next) {
		next = s->next;
		session_end(br, s, why);
	}
	check_empty(br);
}

/*
 * Drops sessions past their grace time and connections that did not say
 * hello in time, and ends a lingering console.
 */
/*
 * Returns true while a deadline may pass: a hello not yet received, a
 * session being dropped or leaving, or the console lingering.
 */
static bool
deadline_pending(const struct broker *br)
{
	const struct broker_session *s;

	if (br->roster.sessions == NULL && br->linger_until != 0)
		return true;
	for (s = br->roster.sessions; s != NULL; s = s->next)
		if (!s->attached || s->closing)
			return true;
	return false;
}

/*
 * Arms the timer only while a deadline is pending, so that a console
 * whose sessions sit idle costs no wake-ups beyond libvirt's keepalive.
 * It is changed only on a change of need: re-arming on every event would
 * push the next tick away for as long as output flows.
 */
static void
tick_when_needed(struct broker *br)
{
	bool need = deadline_pending(br);

	if (need == br->ticking)
		return;
	virEventUpdateTimeout(br->timer, need ? TICK_MS : -1);
	br->ticking = need;
}

static void
on_tick(int timer, void *opaque)
{
	struct broker *br = opaque;
	struct broker_session *s, *next;
	time_t now = time(NULL);

	(void)timer;
	for (s = br->roster.sessions; s != NULL; s = next) {
		next = s->next;
		if (broker_session_hello_expired(s, now)) {
			log_error("a connection to the broker socket sent no "
			    "hello within %ds: closed", BROKER_HELLO_SECONDS);
			session_free(br, s);
			check_empty(br);
		} else if (s->closing && (s->close_by <= now ||
		    ringbuf_used(&s->queue) == 0))
			session_leave(br, s);
	}
	if (br->roster.sessions == NULL && br->linger_until != 0 &&
	    now >= br->linger_until) {
		log_verbose("console of %s released after lingering",
		    br->entry->vmid);
		br->quit = true;
	}
}

/* Creates the listening socket at paths->sock; returns it or -1. */
static int
listen_on(const char *path)
{
	struct sockaddr_un sa;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	(void)unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    chmod(path, 0600) != 0 || listen(fd, 64) != 0) {
		log_error("cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		(void)unlink(path);
		return -1;
	}
	return fd;
}

/* Sends the opening result to the session that started the broker. */
static void
report(int fd, enum console_open_status st, const char *error)
{
	unsigned char b = (unsigned char)st;

	(void)fd_write_all(fd, &b, 1);
	if (st != CONSOLE_OPEN_OK && error != NULL)
		(void)fd_write_all(fd, error, strlen(error));
	close(fd);
}

/* Detaches from the session: own process group, no terminal, quiet. */
static void
become_daemon(void)
{
	int fd;

	(void)setsid();
	/* "ps" and "top" tell it from the sessions by this name */
	(void)prctl(PR_SET_NAME, "console-broker", 0, 0, 0);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	log_set_stderr(false);
	if ((fd = open("/dev/null", O_RDWR | O_CLOEXEC)) >= 0) {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
		(void)dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
}

void
console_broker_main(const struct vmconsole_config *cfg,
    const struct console_entry *e, bool force,
    const struct console_paths *paths, int report_fd)
{
	struct vm_console_consumer consumer;
	struct broker br;
	struct broker_session *s;
	enum console_open_status st;
	char error[512] = "";
	int lock;

	become_daemon();
	memset(&br, 0, sizeof(br));
	br.cfg = cfg;
	br.entry = e;
	br.paths = paths;
	br.listen_fd = br.listen_watch = br.timer = -1;
	br.roster.notices = cfg->console_notices;
	if ((br.vm_name = termsafe_dup(e->vm)) == NULL ||
	    console_history_init(&br.history,
	    (size_t)cfg->console_history_max) != 0) {
		report(report_fd, CONSOLE_OPEN_FAILED, "out of memory");
		_exit(1);
	}
	br.roster.vm_name = br.vm_name;
	(void)console_log_open(&br.log, cfg->console_log_dir, e->vmid,
	    e->console, (size_t)cfg->console_log_max);
	consumer.output = on_output;
	consumer.sendable = on_sendable;
	consumer.ended = on_ended;
	consumer.opaque = &br;
	st = vm_console_open(cfg, e, force, &consumer, &br.vc, error,
	    sizeof(error));
	if (st != CONSOLE_OPEN_OK) {
		report(report_fd, st, error);
		_exit(0);
	}
	if ((br.listen_fd = listen_on(paths->sock)) < 0 ||
	    (br.listen_watch = virEventAddHandle(br.listen_fd,
	    VIR_EVENT_HANDLE_READABLE, on_listen, &br, NULL)) < 0 ||
	    (br.timer = virEventAddTimeout(TICK_MS, on_tick, &br,
	    NULL)) < 0) {
		vm_console_close(br.vc);
		report(report_fd, CONSOLE_OPEN_FAILED,
		    "cannot serve the shared console (see the system log)");
		_exit(1);
	}
	br.ticking = true;
	console_log_event(&br.log, time(NULL), "console opened");
	write_state(&br);
	br.linger_until = time(NULL) + FIRST_SESSION_SECONDS +
	    cfg->console_linger;
	report(report_fd, CONSOLE_OPEN_OK, NULL);
	log_verbose("broker for %s (%s) started", e->vm, e->vmid);
	while (!br.quit) {
		tick_when_needed(&br);
		vm_console_pace(br.vc);
		if (virEventRunDefaultImpl() < 0)
			break;
	}
	lock = withdraw(&br);
	while ((s = br.roster.sessions) != NULL)
		session_free(&br, s);
	if (!br.ending)
		console_log_event(&br.log, time(NULL), "console released");
	vm_console_close(br.vc);
	if (lock >= 0)
		close(lock);
	console_log_close(&br.log);
	_exit(0);
}
