/* Unit tests for console-helper/broker_roster.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "broker_peer.h"
#include "broker_roster.h"

#define QUEUE (64 * 1024)

static struct broker_roster roster;
static struct broker_peer alice, bob, carol;

static int
setup(void **state)
{
	(void)state;
	memset(&roster, 0, sizeof(roster));
	roster.vm_name = "web01";
	roster.notices = true;
	memset(&alice, 0, sizeof(alice));
	memset(&bob, 0, sizeof(bob));
	memset(&carol, 0, sizeof(carol));
	alice.fd = bob.fd = carol.fd = -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	broker_peer_close(&alice, alice.s == NULL);
	broker_peer_close(&bob, bob.s == NULL);
	broker_peer_close(&carol, carol.s == NULL);
	return 0;
}

/*
 * Opens p for entity in mode, attaches it and tells the others; returns
 * the writer it demoted.
 */
static struct broker_session *
join(struct broker_peer *p, const char *entity, enum broker_mode mode)
{
	struct broker_session *demoted;

	broker_peer_open(p, QUEUE, entity, mode);
	broker_roster_add(&roster, p->s);
	demoted = broker_roster_join(&roster, p->s);
	broker_roster_announce(&roster, p->s, demoted);
	return demoted;
}

static void
read_all(void)
{
	broker_peer_read(&alice);
	broker_peer_read(&bob);
	broker_peer_read(&carol);
}

static void
test_watch_only_entity_cannot_force(void **state)
{
	enum broker_mode mode = BROKER_MODE_WRITE;

	(void)state;
	assert_int_equal(broker_roster_requested_mode(true, false, true,
	    &mode), -1);
	assert_int_equal(broker_roster_requested_mode(true, true, true,
	    &mode), -1);
	assert_int_equal(broker_roster_requested_mode(true, false, false,
	    &mode), 0);
	assert_int_equal(mode, BROKER_MODE_WATCH);
	assert_int_equal(broker_roster_requested_mode(false, false, true,
	    &mode), 0);
	assert_int_equal(mode, BROKER_MODE_FORCE);
	assert_int_equal(broker_roster_requested_mode(false, true, false,
	    &mode), 0);
	assert_int_equal(mode, BROKER_MODE_WATCH);
	assert_int_equal(broker_roster_requested_mode(false, false, false,
	    &mode), 0);
	assert_int_equal(mode, BROKER_MODE_WRITE);
}

static void
test_second_session_joins_read_only(void **state)
{
	struct broker_session *w;
	size_t watchers;

	(void)state;
	assert_null(join(&alice, "alice", BROKER_MODE_WRITE));
	assert_null(join(&bob, "bob", BROKER_MODE_WRITE));
	read_all();
	assert_true(alice.s->writer);
	assert_false(bob.s->writer);
	assert_int_equal(alice.type[0], FRAME_MODE);
	assert_string_equal(alice.text[0], "write");
	assert_int_equal(bob.type[0], FRAME_MODE);
	assert_string_equal(bob.text[0], "watch");
	assert_int_equal(broker_peer_find(&bob, FRAME_NOTICE,
	    "[web01 is in use by alice: you are watching read-only; web01 "
	    "--force takes it over]"), 1);
	assert_true(broker_peer_find(&alice, FRAME_NOTICE,
	    "[bob is watching web01 read-only]") > 0);
	/* nobody is told of their own arrival */
	assert_int_equal(broker_peer_find(&bob, FRAME_NOTICE, "[bob is"), -1);
	assert_int_equal(broker_roster_count(&roster, &w, &watchers), 2);
	assert_ptr_equal(w, alice.s);
	assert_int_equal(watchers, 1);
}

static void
test_watcher_never_writes(void **state)
{
	struct broker_session *w;
	size_t watchers;

	(void)state;
	assert_null(join(&alice, "alice", BROKER_MODE_WATCH));
	read_all();
	assert_false(alice.s->writer);
	assert_string_equal(alice.text[0], "watch");
	assert_string_equal(alice.text[1], "[watching web01 read-only]");
	assert_int_equal(broker_roster_count(&roster, &w, &watchers), 1);
	assert_null(w);
	/* the console is free: the next full session writes */
	assert_null(join(&bob, "bob", BROKER_MODE_WRITE));
	read_all();
	assert_true(bob.s->writer);
	assert_true(broker_peer_find(&alice, FRAME_NOTICE,
	    "[bob is using web01]") >= 0);
}

static void
test_take_over_demotes_and_tells(void **state)
{
	struct broker_session *w;
	size_t watchers;

	(void)state;
	assert_null(join(&alice, "alice", BROKER_MODE_WRITE));
	assert_null(join(&carol, "carol", BROKER_MODE_WATCH));
	read_all();
	alice.n = carol.n = 0;
	assert_ptr_equal(join(&bob, "bob", BROKER_MODE_FORCE), alice.s);
	read_all();
	assert_true(bob.s->writer);
	assert_false(alice.s->writer);
	assert_false(carol.s->writer);
	/* the former writer stays, is told its new role and by whom */
	assert_int_equal(alice.n, 2);
	assert_int_equal(alice.type[0], FRAME_MODE);
	assert_string_equal(alice.text[0], "watch");
	assert_string_equal(alice.text[1], "[bob took over web01: you are "
	    "watching read-only now; web01 --force takes it back]");
	/* the others hear of the take-over once */
	assert_int_equal(carol.n, 1);
	assert_string_equal(carol.text[0], "[bob took over web01]");
	/* the new writer is told only its role */
	assert_int_equal(bob.n, 1);
	assert_string_equal(bob.text[0], "write");
	assert_int_equal(broker_roster_count(&roster, &w, &watchers), 3);
	assert_ptr_equal(w, bob.s);
	assert_int_equal(watchers, 2);
}

static void
test_force_with_nobody_writing(void **state)
{
	(void)state;
	assert_null(join(&alice, "alice", BROKER_MODE_WATCH));
	assert_null(join(&bob, "bob", BROKER_MODE_FORCE));
	read_all();
	assert_true(bob.s->writer);
	assert_true(broker_peer_find(&alice, FRAME_NOTICE,
	    "[bob is using web01]") >= 0);
	assert_int_equal(broker_peer_find(&alice, FRAME_NOTICE, "took over"),
	    -1);
}

static void
test_notices_off_keep_own_role(void **state)
{
	(void)state;
	roster.notices = false;
	assert_null(join(&alice, "alice", BROKER_MODE_WRITE));
	assert_null(join(&carol, "carol", BROKER_MODE_WATCH));
	assert_ptr_equal(join(&bob, "bob", BROKER_MODE_FORCE), alice.s);
	broker_roster_announce_leave(&roster, bob.s);
	read_all();
	/* alice: her mode, then the demotion, which is about her own role */
	assert_int_equal(alice.n, 3);
	assert_string_equal(alice.text[1], "watch");
	assert_true(broker_peer_find(&alice, FRAME_NOTICE, "[bob took over "
	    "web01: you are watching") == 2);
	/* carol: her mode and her own read-only notice, nothing of others */
	assert_int_equal(carol.n, 2);
	assert_string_equal(carol.text[1], "[watching web01 read-only]");
}

static void
test_leave_is_told_to_the_others(void **state)
{
	struct broker_session *w;
	size_t watchers;

	(void)state;
	assert_null(join(&alice, "alice", BROKER_MODE_WRITE));
	assert_null(join(&bob, "bob", BROKER_MODE_WATCH));
	read_all();
	alice.n = bob.n = 0;
	alice.s->closing = true;
	broker_roster_announce_leave(&roster, alice.s);
	broker_roster_remove(&roster, alice.s);
	read_all();
	assert_int_equal(alice.n, 0);
	assert_int_equal(bob.n, 1);
	assert_string_equal(bob.text[0], "[alice left web01]");
	assert_int_equal(broker_roster_count(&roster, &w, &watchers), 1);
	assert_null(w);
	/* the console has no writer: a new session takes it */
	assert_null(join(&carol, "carol", BROKER_MODE_WRITE));
	assert_true(carol.s->writer);
}

static void
test_count_skips_hello_and_closing(void **state)
{
	struct broker_session *w;
	size_t watchers;

	(void)state;
	broker_peer_open(&alice, QUEUE, "alice", BROKER_MODE_WRITE);
	broker_roster_add(&roster, alice.s);
	assert_int_equal(broker_roster_count(&roster, &w, &watchers), 0);
	assert_null(join(&bob, "bob", BROKER_MODE_WRITE));
	assert_null(join(&carol, "carol", BROKER_MODE_WATCH));
	bob.s->closing = true;
	assert_int_equal(broker_roster_count(&roster, &w, &watchers), 1);
	assert_null(w);
	assert_int_equal(watchers, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_watch_only_entity_cannot_force),
		cmocka_unit_test_setup_teardown(
		    test_second_session_joins_read_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watcher_never_writes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_take_over_demotes_and_tells, setup, teardown),
		cmocka_unit_test_setup_teardown(test_force_with_nobody_writing,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_notices_off_keep_own_role,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_leave_is_told_to_the_others, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_count_skips_hello_and_closing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
