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
 * 10 ms is below what a person at a terminal notices (a screen refresh
 * takes 17) and long enough to gather dozens of libvirtd's pieces; not
 * an operator's setting. 16 KiB fills four reads of sshd's pty.
 */
#define GATHER_MS 10
#define GATHER_BYTES (16 * 1024)

/*
 * While output trickles in (a serial console's flood: pieces of 10 to 40
 * bytes, thousands a second), its source may be left unread for up to
 * PAUSE_MS at a time, so that its pieces are taken together; see
 * output_gather_pause_ms(). Output counts as trickling while the last
 * gathering sent, and what is held now, stay under PAUSE_BELOW_BYTES:
 * less than some 400 KB/s.
 */
#define PAUSE_MS 2
#define PAUSE_BELOW_BYTES 4096

struct output_gather {
	bool holding;		/* bytes are held, waiting for more */
	bool seen;		/* output arrived before */
	long long last_ms;	/* when output last arrived */
	long long due_ms;	/* when what is held must go */
	bool trickling;		/* the last gathering sent little */
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

/*
 * Returns how many milliseconds the caller may leave its source unread
 * before taking more output, with held bytes held at now_ms: at most
 * PAUSE_MS and never past what is due; 0 unless output trickles.
 *
 * libvirtd reads a console only as fast as its client takes it, and
 * QEMU's virtio console drops what its pty cannot take: a console
 * printing megabytes a second must not be kept waiting, and the pause
 * is short so that the first one of such a flood costs nothing.
 */
long long output_gather_pause_ms(const struct output_gather *g, size_t held,
    long long now_ms);

/* What was held, sent bytes of it, went on. */
void output_gather_sent(struct output_gather *g, size_t sent);

#endif
