/* File names of shared consoles in runtime_dir, and the state file. */
#include "console_runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

int
console_runtime_dir_check(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		log_error("cannot create runtime_dir %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (lstat(dir, &st) != 0) {
		log_error("runtime_dir %s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077) != 0) {
		log_error("runtime_dir %s must be a directory of uid %u with "
		    "mode 0700", dir, (unsigned)geteuid());
		return -1;
	}
	return 0;
}

/* FNV-1a, 64 bits: a short name for a console, checked on every hello. */
static uint64_t
console_hash(const char *host, const char *vmid, const char *console)
{
	uint64_t h = 14695981039346656037ULL;
	const unsigned char *p;

	for (p = (const unsigned char *)host; *p != '\0'; p++)
		h = (h ^ *p) * 1099511628211ULL;
	h = (h ^ 0) * 1099511628211ULL;
	for (p = (const unsigned char *)vmid; *p != '\0'; p++)
		h = (h ^ *p) * 1099511628211ULL;
	/*
	 * A VM's serial and virtio consoles are two devices, each with a
	 * broker of its own; the default console keeps the name it had.
	 */
	if (console != NULL) {
		h = (h ^ 0) * 1099511628211ULL;
		for (p = (const unsigned char *)console; *p != '\0'; p++)
			h = (h ^ *p) * 1099511628211ULL;
	}
	return h;
}

int
console_runtime_paths(const char *dir, const char *host, const char *vmid,
    const char *console, struct console_paths *p)
{
	unsigned long long h = console_hash(host, vmid, console);
	int a, b, c;

	a = snprintf(p->sock, sizeof(p->sock), "%s/%016llx.sock", dir, h);
	b = snprintf(p->lock, sizeof(p->lock), "%s/%016llx.lock", dir, h);
	c = snprintf(p->state, sizeof(p->state), "%s/%016llx.state", dir, h);
	if (a < 0 || (size_t)a >= sizeof(p->sock) || b < 0 ||
	    (size_t)b >= sizeof(p->lock) || c < 0 ||
	    (size_t)c >= sizeof(p->state)) {
		log_error("runtime_dir %s is too long for a socket name", dir);
		return -1;
	}
	return 0;
}

int
console_state_write(const char *path, const struct console_state *st)
{
	char tmp[4200];
	FILE *f = NULL;
	int ret = -1;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		goto out;
	fprintf(f, "%ld %lu %s %s\n", (long)st->pid, st->watchers,
	    st->writer[0] != '\0' ? st->writer : "-", st->vmid);
	if (fclose(f) != 0) {
		f = NULL;
		goto out;
	}
	f = NULL;
	if (rename(tmp, path) != 0)
		goto out;
	ret = 0;
 out:
	if (f != NULL)
		fclose(f);
	if (ret != 0) {
		log_verbose("cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
	}
	return ret;
}

bool
console_state_read(const char *path, struct console_state *st)
{
	FILE *f = NULL;
	long pid = 0;
	bool ok = false;

	memset(st, 0, sizeof(*st));
	if ((f = fopen(path, "r")) == NULL)
		return false;
	if (fscanf(f, "%ld %lu %256s %256s", &pid, &st->watchers, st->writer,
	    st->vmid) != 4 || pid <= 1)
		goto out;
	st->pid = (pid_t)pid;
	if (strcmp(st->writer, "-") == 0)
		st->writer[0] = '\0';
	ok = kill(st->pid, 0) == 0 || errno == EPERM;
 out:
	fclose(f);
	return ok;
}

void
console_runtime_fill_usage(const char *dir, struct console_list *list)
{
	struct console_paths paths;
	struct console_state st;
	struct console_entry *e;
	size_t i;

	for (i = 0; i < list->count; i++) {
		e = &list->entries[i];
		if (console_runtime_paths(dir, e->host, e->vmid, e->console,
		    &paths) != 0 ||
		    !console_state_read(paths.state, &st) ||
		    strcmp(st.vmid, e->vmid) != 0)
			continue;
		e->watchers = st.watchers;
		if (st.writer[0] != '\0' && e->writer == NULL)
			e->writer = strdup(st.writer);
	}
}
