/* Parsing and validation of vmconsole.conf and its drop-in directory. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define CONFIG_MAX_FILE_SIZE (1024 * 1024)

enum config_type {
	CONFIG_URL,		/* http://, https:// or file:// template */
	CONFIG_PATH,		/* absolute file system path */
	CONFIG_STRING,		/* any single-line text without blanks */
	CONFIG_USER,		/* a user name */
	CONFIG_SECONDS,
	CONFIG_BYTES,
	CONFIG_COUNT,
	CONFIG_ESCAPE,
	CONFIG_LOG_LEVEL,
	CONFIG_BOOL,		/* yes or no, stored as a long 1 or 0 */
};

struct config_key {
	const char *name;
	enum config_type type;
	size_t offset;
	long min, max;		/* for the numeric types */
	int required;		/* an empty value is an error */
};

#define KEY(n, t, lo, hi, req) \
	{ #n, t, offsetof(struct vmconsole_config, n), lo, hi, req }

static const struct config_key config_keys[] = {
	KEY(manager_keys_url, CONFIG_URL, 0, 0, 0),
	KEY(manager_consoles_url, CONFIG_URL, 0, 0, 0),
	KEY(manager_ca_file, CONFIG_PATH, 0, 0, 0),
	KEY(manager_token_file, CONFIG_PATH, 0, 0, 0),
	KEY(manager_client_cert, CONFIG_PATH, 0, 0, 0),
	KEY(manager_client_key, CONFIG_PATH, 0, 0, 0),
	KEY(manager_timeout, CONFIG_SECONDS, 1, 300, 1),
	KEY(manager_max_response, CONFIG_BYTES, 1024, 256L * 1024 * 1024, 1),
	KEY(login_user, CONFIG_USER, 0, 0, 1),
	KEY(libvirt_uri, CONFIG_STRING, 0, 0, 1),
	KEY(libvirt_keepalive_interval, CONFIG_SECONDS, 0, 3600, 1),
	KEY(libvirt_keepalive_count, CONFIG_COUNT, 1, 100, 1),
	KEY(libvirt_connect_timeout, CONFIG_SECONDS, 1, 600, 1),
	KEY(console_close_timeout, CONFIG_SECONDS, 1, 60, 1),
	KEY(escape_char, CONFIG_ESCAPE, 0, 0, 1),
	KEY(console_buffer_size, CONFIG_BYTES, 512, 16L * 1024 * 1024, 1),
	KEY(console_backlog_max, CONFIG_BYTES, 64L * 1024, 256L * 1024 * 1024,
	    1),
	KEY(cache_dir, CONFIG_PATH, 0, 0, 0),
	KEY(cache_max_stale, CONFIG_SECONDS, 0, 30L * 24 * 3600, 1),
	KEY(cache_fresh, CONFIG_SECONDS, 0, 300, 1),
	KEY(cache_max_entries, CONFIG_COUNT, 1, 1000000, 1),
	KEY(cache_max_bytes, CONFIG_BYTES, 64L * 1024, 1024L * 1024 * 1024, 1),
	KEY(log_level, CONFIG_LOG_LEVEL, 0, 0, 1),
	KEY(cert_check_manager, CONFIG_BOOL, 0, 1, 1),
	KEY(runtime_dir, CONFIG_PATH, 0, 0, 1),
	KEY(console_history_max, CONFIG_BYTES, 0, 256L * 1024 * 1024, 1),
	KEY(console_replay_lines, CONFIG_COUNT, 0, 100000, 1),
	KEY(console_linger, CONFIG_SECONDS, 0, 7L * 24 * 3600, 1),
	KEY(console_notices, CONFIG_BOOL, 0, 1, 1),
	KEY(console_log_dir, CONFIG_PATH, 0, 0, 0),
	KEY(console_log_max, CONFIG_BYTES, 4096, 64L * 1024 * 1024 * 1024, 1),
};

#define NKEYS (sizeof(config_keys) / sizeof(config_keys[0]))

void
config_init(struct vmconsole_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->manager_timeout = 5;
	cfg->manager_max_response = 4L * 1024 * 1024;
	cfg->login_user = strdup(VMCONSOLE_USER);
	cfg->libvirt_uri = strdup("qemu+tls://{host}/system");
	cfg->libvirt_keepalive_interval = 5;
	cfg->libvirt_keepalive_count = 3;
	cfg->libvirt_connect_timeout = 10;
	cfg->console_close_timeout = 1;
	cfg->escape_char = 0x1d;	/* ^] as in virsh console and telnet */
	cfg->console_buffer_size = 64 * 1024;
	cfg->console_backlog_max = 1024 * 1024;
	cfg->cache_dir = strdup(VMCONSOLE_CACHE_DIR);
	cfg->cache_max_stale = 3600;
	cfg->cache_fresh = 5;
	cfg->cache_max_entries = 1000;
	cfg->cache_max_bytes = 256L * 1024 * 1024;
	cfg->log_level = LOG_LEVEL_INFO;
	cfg->runtime_dir = strdup(VMCONSOLE_RUNTIME_DIR);
	cfg->console_history_max = 1024 * 1024;
	cfg->console_replay_lines = 24;
	cfg->console_notices = 1;
	cfg->console_log_max = 16L * 1024 * 1024;
	if (cfg->login_user == NULL || cfg->libvirt_uri == NULL ||
	    cfg->cache_dir == NULL || cfg->runtime_dir == NULL) {
		log_error("out of memory");
		exit(1);
	}
}

void
config_free(struct vmconsole_config *cfg)
{
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		switch (config_keys[i].type) {
		case CONFIG_URL:
		case CONFIG_PATH:
		case CONFIG_STRING:
		case CONFIG_USER: {
			char **p = (char **)((char *)cfg +
			    config_keys[i].offset);

			free(*p);
			*p = NULL;
			break;
		}
		default:
			break;
		}
	}
}

int
config_parse_escape_char(const char *value, int *out)
{
	unsigned char c;

	if (strcmp(value, "none") == 0) {
		*out = CONFIG_ESCAPE_NONE;
		return 0;
	}
	if (value[0] == '^' && value[1] != '\0' && value[2] == '\0') {
		c = (unsigned char)toupper((unsigned char)value[1]);
		if (c == '?') {
			*out = 0x7f;
			return 0;
		}
		if (c >= '@' && c <= '_') {
			*out = c - '@';
			return 0;
		}
		return -1;
	}
	c = (unsigned char)value[0];
	if (c > 0x20 && c < 0x7f && value[1] == '\0') {
		*out = c;
		return 0;
	}
	return -1;
}

const char *
config_format_escape_char(int escape_char, char *buf, size_t len)
{
	if (escape_char == CONFIG_ESCAPE_NONE)
		snprintf(buf, len, "none");
	else if (escape_char == 0x7f)
		snprintf(buf, len, "^?");
	else if (escape_char < 0x20)
		snprintf(buf, len, "^%c", escape_char + '@');
	else
		snprintf(buf, len, "%c", escape_char);
	return buf;
}

/* Returns 1 for an http://, https:// or file:/// URL of printable ASCII. */
static int
valid_url_template(const char *v)
{
	const char *p;

	if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0 &&
	    strncmp(v, "file:///", 8) != 0)
		return 0;
	for (p = v; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return 0;
	return 1;
}

/* Returns 1 for a portable user name of at most 32 characters. */
static int
valid_user_name(const char *v)
{
	const char *p;

	if (*v == '\0' || *v == '-' || strlen(v) > 32)
		return 0;
	for (p = v; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' &&
		    *p != '.')
			return 0;
	return 1;
}

/* Returns 1 when v holds no blank or control character. */
static int
valid_plain_string(const char *v)
{
	const char *p;

	for (p = v; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p == 0x7f)
			return 0;
	return 1;
}

/*
 * Absolute path without characters that would need quoting in an
 * authorized_keys command="..." option or confuse a log reader.
 */
static int
valid_path(const char *v)
{
	const char *p;

	if (v[0] != '/')
		return 0;
	for (p = v; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == '"' || *p == '\\' ||
		    (unsigned char)*p == 0x7f)
			return 0;
	return 1;
}

/* Returns 1 if value is acceptable for a string-typed key, 0 otherwise. */
static int
valid_string_value(enum config_type type, const char *value)
{
	switch (type) {
	case CONFIG_URL:
		return valid_url_template(value);
	case CONFIG_PATH:
		return valid_path(value);
	case CONFIG_USER:
		return valid_user_name(value);
	default:
		return valid_plain_string(value);
	}
}

/* Returns what a string-typed key expects, for error messages. */
static const char *
string_value_hint(enum config_type type)
{
	switch (type) {
	case CONFIG_URL:
		return "expected an http://, https:// or file:/// URL";
	case CONFIG_PATH:
		return "expected an absolute path without blanks or quotes";
	case CONFIG_USER:
		return "expected a user name";
	default:
		return "blanks and control characters are not allowed";
	}
}

/* Sets *out to the decimal v when within min..max; returns 0 or -1. */
static int
parse_number(const char *v, long min, long max, long *out)
{
	char *end = NULL;
	long n;

	errno = 0;
	if (!isdigit((unsigned char)v[0]))
		return -1;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

/* Stores value for key after checking it; returns 0 or -1 after logging. */
static int
set_value(struct vmconsole_config *cfg, const struct config_key *key,
    const char *name, unsigned int line, const char *value)
{
	void *field = (char *)cfg + key->offset;
	char **str = field;
	char *copy;

	if (*value == '\0') {
		if (key->required) {
			log_error("%s:%u: %s needs a value", name, line,
			    key->name);
			return -1;
		}
		free(*str);
		*str = NULL;
		return 0;
	}
	switch (key->type) {
	case CONFIG_URL:
	case CONFIG_PATH:
	case CONFIG_STRING:
	case CONFIG_USER:
		if (!valid_string_value(key->type, value)) {
			log_error("%s:%u: invalid value for %s: \"%s\" (%s)",
			    name, line, key->name, value,
			    string_value_hint(key->type));
			return -1;
		}
		if ((copy = strdup(value)) == NULL) {
			log_error("out of memory");
			return -1;
		}
		free(*str);
		*str = copy;
		return 0;
	case CONFIG_SECONDS:
	case CONFIG_BYTES:
	case CONFIG_COUNT:
		if (parse_number(value, key->min, key->max, field) != 0) {
			log_error("%s:%u: invalid value for %s: \"%s\" "
			    "(expected a whole number from %ld to %ld)",
			    name, line, key->name, value, key->min, key->max);
			return -1;
		}
		return 0;
	case CONFIG_ESCAPE:
		if (config_parse_escape_char(value, &cfg->escape_char) != 0) {
			log_error("%s:%u: invalid value for %s: \"%s\" "
			    "(expected ^X, a single character or none)",
			    name, line, key->name, value);
			return -1;
		}
		return 0;
	case CONFIG_LOG_LEVEL:
		if (log_level_parse(value, &cfg->log_level) != 0) {
			log_error("%s:%u: invalid value for %s: \"%s\" "
			    "(expected error, warning, info, verbose or debug)",
			    name, line, key->name, value);
			return -1;
		}
		return 0;
	case CONFIG_BOOL:
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0) {
			log_error("%s:%u: invalid value for %s: \"%s\" "
			    "(expected yes or no)", name, line, key->name,
			    value);
			return -1;
		}
		*(long *)field = strcmp(value, "yes") == 0;
		return 0;
	}
	return -1;
}

/* Strips leading and trailing blanks in place; returns the new start. */
static char *
strip(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r'))
		*--end = '\0';
	return s;
}

/* Applies one "key = value" line; returns 0 or -1 after logging. */
static int
parse_line(struct vmconsole_config *cfg, const char *name, unsigned int line,
    char *text)
{
	char *eq, *key, *value;
	const char *p;
	size_t i;

	for (p = text; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\r') {
			log_error("%s:%u: control character in line", name,
			    line);
			return -1;
		}
	}
	text = strip(text);
	if (*text == '\0' || *text == '#')
		return 0;
	if ((eq = strchr(text, '=')) == NULL) {
		log_error("%s:%u: expected \"key = value\", got \"%s\"",
		    name, line, text);
		return -1;
	}
	*eq = '\0';
	key = strip(text);
	value = strip(eq + 1);
	for (i = 0; i < NKEYS; i++)
		if (strcmp(key, config_keys[i].name) == 0)
			return set_value(cfg, &config_keys[i], name, line,
			    value);
	log_error("%s:%u: unknown key \"%s\"", name, line, key);
	return -1;
}

int
config_parse_text(struct vmconsole_config *cfg, const char *name,
    const char *text)
{
	char *copy = NULL, *cur, *nl;
	unsigned int line = 0;
	int ret = -1;

	if ((copy = strdup(text)) == NULL) {
		log_error("out of memory");
		goto out;
	}
	for (cur = copy; cur != NULL; cur = nl) {
		line++;
		if ((nl = strchr(cur, '\n')) != NULL)
			*nl++ = '\0';
		if (parse_line(cfg, name, line, cur) != 0)
			goto out;
	}
	ret = 0;
 out:
	free(copy);
	return ret;
}

int
config_check(const struct vmconsole_config *cfg, const char *name)
{
	/* the backlog starts as the console buffer and grows from there */
	if (cfg->console_backlog_max < cfg->console_buffer_size) {
		log_error("%s: console_backlog_max (%ld) must be at least "
		    "console_buffer_size (%ld)", name, cfg->console_backlog_max,
		    cfg->console_buffer_size);
		return -1;
	}
	return 0;
}

/* Reads a whole configuration file; returns 0 or -1 after logging. */
static int
parse_file(struct vmconsole_config *cfg, const char *path)
{
	FILE *f = NULL;
	char *text = NULL;
	size_t len;
	int ret = -1;

	if ((f = fopen(path, "re")) == NULL) {
		log_error("%s: cannot read configuration: %s", path,
		    strerror(errno));
		goto out;
	}
	if ((text = malloc(CONFIG_MAX_FILE_SIZE + 1)) == NULL) {
		log_error("out of memory");
		goto out;
	}
	len = fread(text, 1, CONFIG_MAX_FILE_SIZE + 1, f);
	if (ferror(f)) {
		log_error("%s: cannot read configuration: %s", path,
		    strerror(errno));
		goto out;
	}
	if (len > CONFIG_MAX_FILE_SIZE) {
		log_error("%s: configuration larger than %d bytes", path,
		    CONFIG_MAX_FILE_SIZE);
		goto out;
	}
	if (memchr(text, '\0', len) != NULL) {
		log_error("%s: configuration contains a NUL byte", path);
		goto out;
	}
	text[len] = '\0';
	ret = config_parse_text(cfg, path, text);
 out:
	free(text);
	if (f != NULL)
		fclose(f);
	return ret;
}

/* scandir() filter: returns 1 for a visible "*.conf" drop-in. */
static int
is_dropin_name(const struct dirent *d)
{
	return d->d_name[0] != '.' && fnmatch("*.conf", d->d_name, 0) == 0;
}

int
config_load(struct vmconsole_config *cfg, const char *path)
{
	struct dirent **entries = NULL;
	char dir[PATH_MAX], file[PATH_MAX];
	int n = -1, i, ret = -1;

	if (parse_file(cfg, path) != 0)
		goto out;
	if ((size_t)snprintf(dir, sizeof(dir), "%s.d", path) >= sizeof(dir)) {
		log_error("%s: path too long", path);
		goto out;
	}
	n = scandir(dir, &entries, is_dropin_name, alphasort);
	if (n < 0 && errno != ENOENT && errno != ENOTDIR) {
		log_error("%s: cannot read drop-in directory: %s", dir,
		    strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(file, sizeof(file), "%s/%s", dir,
		    entries[i]->d_name) >= sizeof(file)) {
			log_error("%s: path too long", dir);
			goto out;
		}
		if (parse_file(cfg, file) != 0)
			goto out;
	}
	/* a drop-in may have changed either key of a pair */
	if (config_check(cfg, path) != 0)
		goto out;
	ret = 0;
 out:
	for (i = 0; i < n; i++)
		free(entries[i]);
	free(entries);
	return ret;
}
