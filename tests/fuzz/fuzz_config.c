/*
 * vmconsole.conf text (a drop-in an operator, or a package, left behind):
 * the parser either accepts it with every value within its documented
 * range or rejects it, and never reads or writes outside its buffers.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_support.h"
#include "url_template.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet_logs();
	return 0;
}

/* Aborts unless an escape character survives formatting and parsing. */
static void
check_escape_round_trip(int c)
{
	char buf[8];
	int again = -2;

	FUZZ_CHECK(c == CONFIG_ESCAPE_NONE || (c >= 0 && c < 0x80),
	    "escape character is none or ASCII");
	config_format_escape_char(c, buf, sizeof(buf));
	FUZZ_CHECK(config_parse_escape_char(buf, &again) == 0 && again == c,
	    "a formatted escape character parses back to itself");
}

/* Aborts unless the URL templates of an accepted cfg expand or refuse. */
static void
check_templates(const struct vmconsole_config *cfg)
{
	const struct manager_request req = { "vmconsole", "ssh-ed25519",
	    "SHA256:abc/+=", "AAAA C3 {x}", "u-1" };
	char *url;

	if (cfg->manager_keys_url != NULL) {
		url = url_template_expand(cfg->manager_keys_url, &req);
		free(url);
	}
	if (cfg->manager_consoles_url != NULL) {
		url = url_template_expand(cfg->manager_consoles_url, &req);
		free(url);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vmconsole_config cfg;
	char *text, *first, *nl;
	int c;

	if (size > FUZZ_INPUT_MAX)
		return 0;
	text = fuzz_strdup(data, size);
	config_init(&cfg);
	if (config_parse_text(&cfg, "fuzz.conf", text) == 0) {
		check_escape_round_trip(cfg.escape_char);
		FUZZ_CHECK(cfg.manager_timeout > 0 &&
		    cfg.manager_max_response > 0 &&
		    cfg.console_buffer_size > 0 &&
		    cfg.console_backlog_max >= 65536 &&
		    cfg.libvirt_keepalive_interval >= 0 &&
		    cfg.libvirt_keepalive_count >= 0 &&
		    cfg.cache_max_stale >= 0, "numbers within their ranges");
		FUZZ_CHECK(cfg.login_user != NULL && cfg.libvirt_uri != NULL,
		    "required strings stay set");
		FUZZ_CHECK(cfg.log_level >= LOG_LEVEL_ERROR &&
		    cfg.log_level <= LOG_LEVEL_DEBUG, "a known log level");
		FUZZ_CHECK(config_check(&cfg, "fuzz.conf") != 0 ||
		    cfg.console_backlog_max >= cfg.console_buffer_size,
		    "an accepted backlog holds the console buffer");
		check_templates(&cfg);
	}
	config_free(&cfg);
	/* the first line on its own as an escape_char value */
	first = text;
	if ((nl = strchr(first, '\n')) != NULL)
		*nl = '\0';
	if (config_parse_escape_char(first, &c) == 0)
		check_escape_round_trip(c);
	free(text);
	return 0;
}
