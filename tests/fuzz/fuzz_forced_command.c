/*
 * The command line vmconsole-login-shell receives from sshd ("-c COMMAND").
 * What it accepts must be exactly what vmconsole-authkeys would write for
 * the values it found, start with the helper, and hold only the bytes a
 * forced command may hold.
 */
#include <stdlib.h>
#include <string.h>

#include "forced_command.h"
#include "fuzz_support.h"
#include "validate.h"

#define HELPER "/usr/libexec/vmconsole-proxy/vmconsole-console-helper"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet_logs();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct forced_command fc;
	const char *why = NULL, *p;
	char *cmd, *again;
	size_t i;

	if (size > 8192)
		return 0;
	cmd = fuzz_strdup(data, size);
	if (forced_command_parse(cmd, HELPER, &fc, &why) != 0) {
		FUZZ_CHECK(why != NULL, "refused without a reason");
		free(cmd);
		return 0;
	}
	FUZZ_CHECK(strcmp(fc.argv[0], HELPER) == 0, "not the helper");
	FUZZ_CHECK(validate_entity(fc.entity_id, NULL) &&
	    validate_entity(fc.entity, NULL), "invalid entity");
	for (p = cmd; *p != '\0'; p++)
		FUZZ_CHECK(*p == ' ' || (*p > 0x20 && *p < 0x7f &&
		    strchr("\"'\\;$`&|<>()*?", *p) == NULL),
		    "a byte no forced command holds");
	for (i = 0; fc.argv[i] != NULL; i++)
		FUZZ_CHECK(fc.argv[i][0] != '\0', "empty word");
	again = forced_command_format(HELPER, fc.config_path, fc.entity_id,
	    fc.entity, fc.cert_serial, fc.cert_key_id);
	FUZZ_CHECK(again != NULL && strcmp(again, cmd) == 0,
	    "not what authkeys writes");
	free(again);
	forced_command_free(&fc);
	free(cmd);
	return 0;
}
