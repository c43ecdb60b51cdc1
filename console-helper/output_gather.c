/* Gathering console output while it flows; see output_gather.h. */
#include "output_gather.h"

bool
output_gather_arrived(struct output_gather *g, size_t held, long long now_ms)
{
	bool quiet = !g->seen || now_ms - g->last_ms >= GATHER_MS;

	g->seen = true;
	g->last_ms = now_ms;
	if (held == 0)
		return false;
	if (quiet || held >= GATHER_BYTES ||
	    (g->holding && now_ms >= g->due_ms)) {
		g->holding = false;
		g->due_ms = 0;
		return true;
	}
	if (!g->holding) {
		g->holding = true;
		g->due_ms = now_ms + GATHER_MS;
	}
	return false;
}

long long
output_gather_due(const struct output_gather *g)
{
	return g->holding ? g->due_ms : 0;
}

long long
output_gather_pause_ms(const struct output_gather *g, size_t held,
    long long now_ms)
{
	long long left = g->due_ms - now_ms;

	if (!g->holding || !g->trickling || held >= PAUSE_BELOW_BYTES ||
	    left <= 0)
		return 0;
	return left < PAUSE_MS ? left : PAUSE_MS;
}

void
output_gather_sent(struct output_gather *g, size_t sent)
{
	g->holding = false;
	g->due_ms = 0;
	g->trickling = sent < PAUSE_BELOW_BYTES;
}
