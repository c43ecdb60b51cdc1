/*
 * Answers typed at the console picker, against a list whose names and ids
 * come from the manager. The input is the answer on the first line and
 * then one "vmid<TAB>vm" line per console. An answer chooses the entry it
 * names (by number, then id, then name), quits, or is invalid; nothing
 * else, and never an entry out of range.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "picker.h"

#define MAX_CONSOLES	8

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_quiet_logs();
	return 0;
}

/* Returns the answer without the blanks and line end the picker ignores. */
static char *
trimmed(const char *answer)
{
	size_t len;
	char *t;

	answer += strspn(answer, " \t");
	if ((t = strdup(answer)) == NULL)
		abort();
	len = strlen(t);
	while (len > 0 && strchr(" \t\r\n", t[len - 1]) != NULL)
		t[--len] = '\0';
	return t;
}

/* Returns the 1-based number t spells in 1..count, or 0. */
static size_t
number(const char *t, size_t count)
{
	size_t n = 0;

	if (*t == '\0' || strlen(t) > 9 || strspn(t, "0123456789") !=
	    strlen(t))
		return 0;
	for (; *t != '\0'; t++)
		n = n * 10 + (size_t)(*t - '0');
	return n >= 1 && n <= count ? n : 0;
}

/* Returns the index of the first entry whose id, else name, is t, or -1. */
static long
find(const struct console_list *list, const char *t)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (strcmp(list->entries[i].vmid, t) == 0)
			return (long)i;
	for (i = 0; i < list->count; i++)
		if (strcmp(list->entries[i].vm, t) == 0)
			return (long)i;
	return -1;
}

/*
 * Returns 1 and sets *at when rest, trimmed, chooses a console by number,
 * id or name (the part of an answer after "--force "), else 0.
 */
static int
forced_choice(const struct console_list *list, const char *rest, size_t *at)
{
	char *t = trimmed(rest);
	size_t n;
	long i;
	int ok = 0;

	if (*t != '\0' && strcmp(t, "q") != 0 && strcmp(t, "exit") != 0) {
		if ((n = number(t, list->count)) > 0) {
			*at = n - 1;
			ok = 1;
		} else if ((i = find(list, t)) >= 0) {
			*at = (size_t)i;
			ok = 1;
		}
	}
	free(t);
	return ok;
}

/*
 * Returns 1 and sets *at when t is a choice followed by blank and "--force"
 * ("2 --force"), else 0.
 */
static int
forced_after(const struct console_list *list, const char *t, size_t *at)
{
	size_t len = strlen(t);
	char *choice;
	int ok;

	if (len <= 8 || strcmp(t + len - 7, "--force") != 0 ||
	    (t[len - 8] != ' ' && t[len - 8] != '\t'))
		return 0;
	if ((choice = strndup(t, len - 8)) == NULL)
		abort();
	ok = forced_choice(list, choice, at);
	free(choice);
	return ok;
}

/* Aborts unless the picker's reading of answer is the documented one. */
static void
check_answer(const struct console_list *list, const char *answer)
{
	enum picker_answer a;
	size_t index = (size_t)-1, n;
	char *t = trimmed(answer);
	long at;

	a = picker_interpret(list, answer, &index);
	if (strlen(t) > PICKER_LINE_MAX)
		FUZZ_CHECK(a == PICKER_INVALID,
		    "an overlong answer is invalid");
	else if (strcmp(t, "q") == 0 || strcmp(t, "exit") == 0)
		FUZZ_CHECK(a == PICKER_QUIT, "q and exit quit");
	else if ((n = number(t, list->count)) > 0)
		FUZZ_CHECK(a == PICKER_CHOSEN && index == n - 1,
		    "a number chooses that line");
	else if ((at = find(list, t)) >= 0)
		FUZZ_CHECK(a == PICKER_CHOSEN && index == (size_t)at,
		    "an id, else a name, chooses its console");
	else if (strncmp(t, "--force", 7) == 0 && (t[7] == ' ' ||
	    t[7] == '\t') && forced_choice(list, t + 8, &n))
		FUZZ_CHECK(a == PICKER_CHOSEN_FORCE && index == n,
		    "--force before a choice takes that console over");
	else if (forced_after(list, t, &n))
		FUZZ_CHECK(a == PICKER_CHOSEN_FORCE && index == n,
		    "--force after a choice takes that console over");
	else
		FUZZ_CHECK(a == PICKER_INVALID, "anything else is invalid");
	free(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *parts[MAX_CONSOLES + 1], *tab, *variant;
	struct console_entry entries[MAX_CONSOLES];
	struct console_list list = { entries, 0 };
	size_t i, len;

	if (size > 4 * PICKER_LINE_MAX * MAX_CONSOLES)
		return 0;
	fuzz_split(data, size, '\n', parts, MAX_CONSOLES + 1);
	memset(entries, 0, sizeof(entries));
	for (i = 1; i <= MAX_CONSOLES; i++) {
		if (parts[i][0] == '\0')
			continue;
		tab = strchr(parts[i], '\t');
		if (tab != NULL)
			*tab++ = '\0';
		/* the consoles document never holds an empty id or name */
		if (parts[i][0] == '\0' || (tab != NULL && *tab == '\0'))
			continue;
		entries[list.count].vmid = parts[i];
		entries[list.count].vm = tab != NULL ? tab : parts[i];
		entries[list.count].host = (char *)(uintptr_t)"h";
		list.count++;
	}
	check_answer(&list, parts[0]);
	/* the line end and surrounding blanks a terminal adds change nothing */
	len = strlen(parts[0]);
	if ((variant = malloc(len + 5)) == NULL)
		abort();
	variant[0] = ' ';
	variant[1] = '\t';
	memcpy(variant + 2, parts[0], len);
	memcpy(variant + 2 + len, "\r\n", 3);
	check_answer(&list, variant);
	free(variant);
	fuzz_free_parts(parts, MAX_CONSOLES + 1);
	return 0;
}
