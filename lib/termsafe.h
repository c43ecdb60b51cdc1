/*
 * Neutralising untrusted strings before they reach a terminal, a log line
 * or a prompt: control characters (C0, DEL, C1), escape sequences and
 * invalid UTF-8 are replaced by visible escapes such as "\x1b".
 */
#ifndef VMCONSOLE_TERMSAFE_H
#define VMCONSOLE_TERMSAFE_H

#include <stddef.h>
#include <stdio.h>

/*
 * Writes a terminal-safe rendering of in to out (always NUL-terminated,
 * truncated to fit outlen). Valid printable UTF-8 is kept as is.
 * Returns the length written.
 */
size_t termsafe_escape(const char *in, char *out, size_t outlen);

/* Returns a newly allocated terminal-safe copy of in, or NULL on ENOMEM. */
char *termsafe_dup(const char *in);

/*
 * Write the terminal-safe rendering of s, whole, to out or to fd; nothing
 * is allocated. Return 0, or -1 when the stream or descriptor cannot be
 * written (errno set).
 */
int termsafe_fputs(const char *s, FILE *out);
int termsafe_dputs(const char *s, int fd);

#endif
