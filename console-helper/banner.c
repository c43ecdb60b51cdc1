/* The connect banner. */
#include "banner.h"

#include <stdio.h>

#include "termsafe.h"

/*
 * It goes out in pieces, which is invisible: nothing else writes to the
 * terminal before it is complete.
 */
int
banner_print(int fd, const struct vmconsole_config *cfg,
    const struct console_entry *e)
{
	char esc[8];

	config_format_escape_char(cfg->escape_char, esc, sizeof(esc));
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
