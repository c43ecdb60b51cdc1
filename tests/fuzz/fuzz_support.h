/*
 * Shared pieces of the libFuzzer targets: quiet logging, turning the
 * fuzzer's bytes into C strings, and checks that crash on a violation so
 * the fuzzer keeps the input that caused it.
 */
#ifndef VMCONSOLE_FUZZ_SUPPORT_H
#define VMCONSOLE_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

/* Longest input the targets look at; parsers cap their input far lower. */
#define FUZZ_INPUT_MAX	(256 * 1024)

/* Entry points libFuzzer calls; declared for -Wmissing-prototypes. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs every log level through the formatter but lets no line out. */
void fuzz_quiet_logs(void);

/*
 * Returns a newly allocated, NUL-terminated copy of the size bytes at data
 * (an embedded NUL ends the string early, as it would for the parser).
 * Aborts on ENOMEM.
 */
char *fuzz_strdup(const uint8_t *data, size_t size);

/*
 * Splits the size bytes at data on sep into at most n newly allocated
 * strings (the last one takes the rest, separators included); missing
 * parts are empty strings. Release with fuzz_free_parts().
 */
void fuzz_split(const uint8_t *data, size_t size, char sep, char **parts,
    size_t n);
void fuzz_free_parts(char **parts, size_t n);

/* Prints what and aborts when cond is false: a property was violated. */
#define FUZZ_CHECK(cond, what) \
	fuzz_check((cond) != 0, (what), __FILE__, __LINE__)
void fuzz_check(int ok, const char *what, const char *file, int line);

/*
 * Returns 1 when s holds a byte < 0x20, 0x7f, or a C1 control, a
 * bidirectional control or an invisible character in UTF-8.
 */
int fuzz_has_control(const char *s);

#endif
