/* Rendering the console picker and interpreting the user's answers. */
#include "picker.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "command.h"
#include "console_select.h"
#include "termsafe.h"
#include "terminal.h"

int
picker_render(FILE *out, const struct console_list *list)
{
	const struct console_entry *e;
	size_t i;

	for (i = 0; i < list->count; i++) {
		e = &list->entries[i];
		if (fprintf(out, "  %zu. ", i + 1) < 0 ||
		    termsafe_fputs(e->vm, out) != 0 ||
		    fputs(" [", out) == EOF ||
		    termsafe_fputs(e->vmid, out) != 0 ||
		    fputs("] on ", out) == EOF ||
		    termsafe_fputs(e->host, out) != 0 ||
		    fputc('\n', out) == EOF)
			return -1;
	}
	return fflush(out) != 0 ? -1 : 0;
}

int
picker_hint(FILE *out, size_t count)
{
	if (fprintf(out, "invalid choice: enter a number from 1 to %zu, "
	    "a name, an id, or q\n", count) < 0 || fflush(out) != 0)
		return -1;
	return 0;
}

/*
 * Returns the entry number (1-based) that text spells in plain decimal
 * digits, or 0 when text is not such a number within 1..count.
 */
static size_t
parse_choice_number(const char *text, size_t count)
{
	size_t n = 0;
	const char *p;

	if (*text == '\0' || strlen(text) > 9)
		return 0;
	for (p = text; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p))
			return 0;
		n = n * 10 + (size_t)(*p - '0');
	}
	return n >= 1 && n <= count ? n : 0;
}

/*
 * Trims line into answer (PICKER_LINE_MAX + 1 bytes). Returns its length,
 * or -1 when it is longer than PICKER_LINE_MAX.
 */
static long
trim_answer(const char *line, char *answer)
{
	size_t len;

	while (*line == ' ' || *line == '\t')
		line++;
	len = strlen(line);
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
	    line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len > PICKER_LINE_MAX)
		return -1;
	memcpy(answer, line, len);
	answer[len] = '\0';
	return (long)len;
}

/*
 * Reads line as a plain choice: q or exit, a number, an id or a name.
 * Returns PICKER_QUIT, PICKER_CHOSEN with *index set, or PICKER_INVALID.
 */
static enum picker_answer
interpret_choice(const struct console_list *list, const char *line,
    size_t *index)
{
	char answer[PICKER_LINE_MAX + 1];
	const struct console_entry *e;
	size_t n;
	long len;

	if ((len = trim_answer(line, answer)) < 0)
		return PICKER_INVALID;
	if (strcmp(answer, "q") == 0 || strcmp(answer, "exit") == 0)
		return PICKER_QUIT;
	/* a number is a position; ids and names are matched exactly */
	if ((n = parse_choice_number(answer, list->count)) > 0) {
		*index = n - 1;
		return PICKER_CHOSEN;
	}
	if (len == 0)
		return PICKER_INVALID;
	e = console_select_find(list, TARGET_ID_OR_NAME, answer);
	if (e == NULL)
		return PICKER_INVALID;
	*index = (size_t)(e - list->entries);
	return PICKER_CHOSEN;
}

enum picker_answer
picker_interpret(const struct console_list *list, const char *line,
    size_t *index)
{
	char answer[PICKER_LINE_MAX + 1];
	enum picker_answer a;
	long len;

	if ((a = interpret_choice(list, line, index)) != PICKER_INVALID)
		return a;
	if ((len = trim_answer(line, answer)) < 0)
		return PICKER_INVALID;
	/*
	 * The busy message says to use --force; the user is at this prompt,
	 * so it works here as on the command line, before or after the
	 * choice (once: the choice itself is plain). An exact name wins
	 * above.
	 */
	if (strncmp(answer, "--force", 7) == 0 &&
	    (answer[7] == ' ' || answer[7] == '\t') &&
	    interpret_choice(list, answer + 8, index) == PICKER_CHOSEN)
		return PICKER_CHOSEN_FORCE;
	if (len > 8 && strcmp(answer + len - 7, "--force") == 0 &&
	    (answer[len - 8] == ' ' || answer[len - 8] == '\t')) {
		answer[len - 8] = '\0';
		if (interpret_choice(list, answer, index) == PICKER_CHOSEN)
			return PICKER_CHOSEN_FORCE;
	}
	return PICKER_INVALID;
}

/*
 * Reads one line from a tty in canonical mode into buf (NUL-terminated).
 * Returns 1 for a line, 0 at end of input (Ctrl-D on an empty line), 2 for
 * a line longer than the buffer (the rest of it is read and dropped), or
 * -1 on a read error.
 */
static int
read_answer_line(int fd, char *buf, size_t size)
{
	char discard[256];
	ssize_t n;

	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0)
		return 0;
	buf[n] = '\0';
	if (memchr(buf, '\0', (size_t)n) != NULL)
		buf[0] = '\0';	/* a NUL byte can match nothing: invalid */
	if ((size_t)n < size - 1 || buf[n - 1] == '\n')
		return 1;
	/* canonical mode returns at most one line: drain up to its end */
	for (;;) {
		do
			n = read(fd, discard, sizeof(discard));
		while (n < 0 && errno == EINTR);
		if (n <= 0)
			return n < 0 ? -1 : 2;
		if (discard[n - 1] == '\n')
			return 2;
	}
}

enum picker_answer
picker_choose(int in_fd, FILE *out, const struct console_list *list,
    size_t *index)
{
	char line[PICKER_LINE_MAX + 2];
	enum picker_answer a;
	int r;

	if (terminal_ensure_cooked(in_fd) != 0)
		return PICKER_GONE;
	if (picker_render(out, list) != 0)
		return PICKER_GONE;
	for (;;) {
		if (fputs(PICKER_PROMPT, out) == EOF || fflush(out) != 0)
			return PICKER_GONE;
		r = read_answer_line(in_fd, line, sizeof(line));
		if (r < 0)
			return PICKER_GONE;
		if (r == 0) {
			/* Ctrl-D: end the prompt line before leaving */
			(void)fputs("\n", out);
			(void)fflush(out);
			return PICKER_QUIT;
		}
		a = r == 2 ? PICKER_INVALID :
		    picker_interpret(list, line, index);
		if (a != PICKER_INVALID)
			return a;
		if (picker_hint(out, list->count) != 0)
			return PICKER_GONE;
	}
}
