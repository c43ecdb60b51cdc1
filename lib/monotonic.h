/* The monotonic clock in milliseconds, for deadlines and gathering. */
#ifndef VMCONSOLE_MONOTONIC_H
#define VMCONSOLE_MONOTONIC_H

/* Returns CLOCK_MONOTONIC in milliseconds: never steps with the date. */
long long monotonic_ms(void);

#endif
