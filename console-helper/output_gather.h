/*
 * When console output read from libvirt is handed on. libvirtd passes a
 * virtio console's output along in pieces of 2 to 3 KB, and every piece
 * handed on costs a frame to each session, a wake-up of its helper, a
 * write to sshd's pty, an SSH packet and a wake-up of the ssh client:
 * during a flood that took more CPU than libvirtd itself. So while output
 * flows, it is gathered for at most GATHER_MS or until GATHER_BYTES are
 * held. Output that arrives after GATHER_MS of quiet goes at once, so the
 * echo of a keystroke or a prompt is never held.
 */
#ifndef VMCONSOLE_OUTPUT_GATHER_H
#define VMCONSOLE_OUTPUT_GATHER_H

#include <stdbool.h>
#include <stddef.h>

/*
 * A few milliseconds are below what a person at a terminal notices and
 * long enough to gather several of libvirtd's pieces; not an operator's
 * setting. 16 KiB fills four reads of sshd's pty.
 */
#define GATHER_MS 4
#define GATHER_BYTES (16 * 1024)

struct output_gather {
	bool holding;		/* bytes are held, waiting for more */
	bool seen;		/* output arrived before */
	long long last_ms;	/* when output last arrived */
	long long due_ms;	/* when what is held must go */
};

/*
 * Output arrived at now_ms (monotonic) and held bytes are held in all,
 * these included, with nothing more to read for now. Returns true when
 * they go now: after a quiet spell, or once GATHER_BYTES are held;
 * false when they wait, at most until output_gather_due().
 */
bool output_gather_arrived(struct output_gather *g, size_t held,
    long long now_ms);

/* Returns when held bytes must go (monotonic ms); 0 when none are held. */
long long output_gather_due(const struct output_gather *g);

/* What was held went on. */
void output_gather_sent(struct output_gather *g);

#endif
