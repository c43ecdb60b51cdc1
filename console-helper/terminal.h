/*
 * The ssh session's terminal: raw mode while bridging a console, and the
 * saved settings put back on every way out (detach, error, signal, exit).
 */
#ifndef VMCONSOLE_TERMINAL_H
#define VMCONSOLE_TERMINAL_H

/*
 * Saves the settings of fd (a tty) and switches it to raw mode. The first
 * call also registers terminal_restore() with atexit(). Returns 0, or -1
 * after logging.
 */
int terminal_enter_raw(int fd);

/*
 * Puts back the settings saved by terminal_enter_raw(), if any. Safe to
 * call more than once and from a signal handler.
 */
void terminal_restore(void);

/*
 * Makes sure fd (a tty) reads whole lines with echo, for the picker.
 * Returns 0, or -1 after logging.
 */
int terminal_ensure_cooked(int fd);

/*
 * Makes fd non-blocking, so a stalled ssh client never stops the event
 * loop. Returns the previous file status flags, or -1 after logging.
 */
int terminal_set_nonblocking(int fd);

/* Puts back *flags from terminal_set_nonblocking() (if >= 0), once. */
void terminal_restore_flags(int fd, int *flags);

#endif
