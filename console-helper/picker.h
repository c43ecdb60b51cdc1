/*
 * The interactive console picker shown when the user named no console:
 * a numbered list sorted by VM name and a prompt read line by line.
 */
#ifndef VMCONSOLE_PICKER_H
#define VMCONSOLE_PICKER_H

#include <stddef.h>
#include <stdio.h>

#include "manager.h"

/* Longest answer line accepted; longer lines are refused as invalid. */
#define PICKER_LINE_MAX 512

#define PICKER_PROMPT "Choose a console (number, name or id; q to quit): "

enum picker_answer {
	PICKER_CHOSEN,		/* *index names the chosen entry */
	PICKER_CHOSEN_FORCE,	/* the same, taking over a busy console */
	PICKER_QUIT,		/* q, exit or end of input */
	PICKER_INVALID,		/* anything else: show the hint, ask again */
	PICKER_GONE,		/* the terminal went away */
};

/*
 * Writes "  N. <vm> [<vmid>] on <host>" for every entry, numbered from 1,
 * names neutralised. Returns 0, or -1 on a write error.
 */
int picker_render(FILE *out, const struct console_list *list);

/*
 * Interprets one answer line (surrounding blanks and the line end ignored):
 * a number from 1 to count, a VM id, a VM name, any of those after
 * "--force ", "q" or "exit". Returns PICKER_CHOSEN or PICKER_CHOSEN_FORCE
 * with *index set, PICKER_QUIT or PICKER_INVALID.
 */
enum picker_answer picker_interpret(const struct console_list *list,
    const char *line, size_t *index);

/* Writes the hint shown after an invalid answer. Returns 0 or -1. */
int picker_hint(FILE *out, size_t count);

/*
 * Shows the list and asks until the user chooses or leaves, reading lines
 * from in_fd (a tty, put in canonical mode). Returns PICKER_CHOSEN or
 * PICKER_CHOSEN_FORCE with *index set, PICKER_QUIT or PICKER_GONE.
 */
enum picker_answer picker_choose(int in_fd, FILE *out,
    const struct console_list *list, size_t *index);

#endif
