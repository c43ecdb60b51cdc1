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
		output_gather_sent(g);
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

void
output_gather_sent(struct output_gather *g)
{
	g->holding = false;
	g->due_ms = 0;
}
