/*
 * Sending bytes to a libvirt stream without ever blocking the event loop.
 * virStreamSend() on a remote stream returns only once the socket to the
 * host took the bytes, even for a non-blocking stream; on a stalled link
 * that is never. A thread of its own does the sending from a bounded
 * buffer, and tells the loop (through a pipe it watches) when room opened
 * up or the stream failed.
 */
#ifndef VMCONSOLE_STREAM_SENDER_H
#define VMCONSOLE_STREAM_SENDER_H

#include <stdbool.h>
#include <stddef.h>

#include <libvirt/libvirt.h>

struct stream_sender;

/*
 * Starts sending to st (which it holds a reference to) through a buffer of
 * size bytes. notify(opaque) runs in libvirt's event loop after bytes went
 * out or a send failed. Returns NULL after logging.
 */
struct stream_sender *stream_sender_start(virStreamPtr st, size_t size,
    void (*notify)(void *), void *opaque);

/* Queues up to len bytes; returns how many fit (0 once failed). */
size_t stream_sender_put(struct stream_sender *s, const void *buf,
    size_t len);

/* Returns the free room in the buffer (0 once failed). */
size_t stream_sender_room(struct stream_sender *s);

/* Returns the bytes queued or being sent (0 once failed). */
size_t stream_sender_unsent(struct stream_sender *s);

/* Returns the bytes the stream took so far. */
unsigned long long stream_sender_sent(struct stream_sender *s);

/*
 * Returns true once a send failed, with libvirt's error code and domain
 * in *code and *domain.
 */
bool stream_sender_failed(struct stream_sender *s, int *code, int *domain);

/*
 * Stops watching and sending; returns at once. A send in progress finishes
 * or fails on its own, and the thread then lets go of the stream. Safe on
 * NULL.
 */
void stream_sender_stop(struct stream_sender *s);

#endif
