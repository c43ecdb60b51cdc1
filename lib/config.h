/*
 * vmconsole.conf: "key = value" lines, '#' comments, read from the main
 * file and then from FILE.d/NAME.conf in name order (a later value wins).
 */
#ifndef VMCONSOLE_CONFIG_H
#define VMCONSOLE_CONFIG_H

#include <stddef.h>

#include "log.h"

/* escape_char value meaning "no escape character" */
#define CONFIG_ESCAPE_NONE (-1)

struct vmconsole_config {
	char *manager_keys_url;		/* URL template, NULL when unset */
	char *manager_consoles_url;	/* URL template, NULL when unset */
	char *manager_ca_file;		/* NULL: the system's CA store */
	char *manager_token_file;	/* bearer token, NULL: none */
	char *manager_client_cert;
	char *manager_client_key;
	long manager_timeout;		/* seconds, connect and total */
	long manager_max_response;	/* bytes accepted from the manager */
	char *login_user;
	char *libvirt_uri;		/* template with {host} */
	long libvirt_keepalive_interval; /* seconds, 0 disables */
	long libvirt_keepalive_count;
	long libvirt_connect_timeout;	/* seconds to reach a host */
	long console_close_timeout;	/* seconds to drain and release */
	int escape_char;		/* byte, or CONFIG_ESCAPE_NONE */
	long console_buffer_size;	/* bytes per direction */
	long console_backlog_max;	/* console output held for a slow tty */
	char *cache_dir;
	long cache_max_stale;		/* seconds, 0: never use the cache */
	long cache_fresh;		/* seconds a keys answer is used as is */
	long cache_max_entries;		/* files in cache_dir at most */
	long cache_max_bytes;		/* bytes in cache_dir at most */
	enum log_level log_level;
	long cert_check_manager;	/* 1: a certificate's principal must
					 * be in the keys document too */
	char *runtime_dir;		/* sockets of shared consoles, 0700 */
	long console_history_max;	/* bytes of output kept for replay */
	long console_replay_lines;	/* lines replayed on attaching */
	long console_linger;		/* seconds held after the last leaves */
	long console_notices;		/* 1: tell sessions who comes and goes */
	char *console_log_dir;		/* NULL: no console log */
	long console_log_max;		/* bytes before the log is rotated */
};

/* Fills cfg with the documented defaults. */
void config_init(struct vmconsole_config *cfg);
void config_free(struct vmconsole_config *cfg);

/*
 * Reads path and then path.d/ *.conf. Returns 0 on success; on any error
 * logs one line naming file, line and key and returns -1.
 */
int config_load(struct vmconsole_config *cfg, const char *path);

/*
 * Parses one configuration text; name is used in error messages.
 * Returns 0 or -1 after logging the error. Limits that relate two keys
 * are checked by config_check() once every file is read.
 */
int config_parse_text(struct vmconsole_config *cfg, const char *name,
    const char *text);

/*
 * Checks the limits that relate two keys (console_backlog_max is at least
 * console_buffer_size); name is used in the error message. Returns 0 or -1
 * after logging one line naming both keys.
 */
int config_check(const struct vmconsole_config *cfg, const char *name);

/*
 * Parses an escape character: "^]" style, a single printable character,
 * or "none". Returns 0 and sets *out, or -1.
 */
int config_parse_escape_char(const char *value, int *out);

/* Renders an escape character for the user ("^]"), into buf of size >= 8. */
const char *config_format_escape_char(int escape_char, char *buf, size_t len);

#endif
