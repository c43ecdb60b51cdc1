/* Finding the escape character in what the user typed. */
#include "escape.h"

#include <string.h>

#include "config.h"

size_t
escape_find(const unsigned char *buf, size_t len, int escape_char)
{
	const unsigned char *esc;

	if (escape_char == CONFIG_ESCAPE_NONE || len == 0)
		return len;
	if ((esc = memchr(buf, escape_char, len)) == NULL)
		return len;
	return (size_t)(esc - buf);
}
