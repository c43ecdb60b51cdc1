"""The audit trail in syslog (facility authpriv): who opened which console
from where, for how long and how much went each way; refusals too.

Read from the bed's syslog sink; SKIP when the machine's own syslog daemon
holds /dev/log.
"""

import re

from bed import ALICE, BOB, CONSOLE_HOST, WEB_UUID
from console import (assert_exit, assert_guest_answers, detach,
                     expect_connected)
from syslog_sink import LOG_AUTHPRIV

HELPER = "vmconsole-console-helper"
AUTHKEYS = "vmconsole-authkeys"


def _find(sink, mark, ident, pattern, what):
    rx = re.compile(pattern)
    msg = sink.wait_for(lambda m: m.ident == ident and rx.search(m.text),
                        mark)
    assert msg is not None, "no %s line in syslog; %s logged %r" % (
        what, ident, [m.text for m in sink.since(mark)
                      if m.ident == ident][-8:])
    assert msg.facility == LOG_AUTHPRIV, \
        "%s line with facility %s, not authpriv (10): %r" % (
            what, msg.facility, msg.raw)
    return msg


def test_connect_and_detach_is_audited(bed):
    sink = bed.need_syslog()
    mark = sink.mark()
    with bed.ssh_pty("alice", "web01") as p:
        expect_connected(p, "web01")
        assert_guest_answers(p, "web01")
        detach(p)
        assert_exit(p, 0)
    who = (r'entity="%s" entity_name="%s" vm="web01" vmid="%s" host="%s" '
           r'from="127\.0\.0\.1"' % (
               re.escape(ALICE[0]), re.escape(ALICE[1]), re.escape(WEB_UUID),
               re.escape(CONSOLE_HOST)))
    opened = _find(sink, mark, HELPER, r'^console opened: %s mode="write"$' % who,
                   "console opened")
    closed = _find(sink, mark, HELPER,
                   r"^console closed: %s duration=(\d+)s "
                   r"bytes_to_vm=(\d+) bytes_from_vm=(\d+) "
                   r'reason="detached" mode="write"$' % who, "console closed")
    assert opened.pid == closed.pid, \
        "opened and closed by different processes: %r %r" % (opened, closed)
    m = re.search(r"bytes_to_vm=(\d+) bytes_from_vm=(\d+)", closed.text)
    to_vm, from_vm = int(m.group(1)), int(m.group(2))
    # "echo $((6*7))" went in; the prompt and "42" came out.
    assert to_vm >= len("echo $((6*7))\r"), "bytes_to_vm=%d" % to_vm
    assert from_vm > 0, "bytes_from_vm=%d" % from_vm


def test_denied_console_is_audited(bed):
    sink = bed.need_syslog()
    mark = sink.mark()
    with bed.ssh_pty("bob", "web01") as p:
        assert_exit(p, 1)
        assert b"no such VM or access denied" in p.pending(), p.pending()
    _find(sink, mark, HELPER,
          r'^console denied: entity="%s" entity_name="%s" '
          r'requested="web01" from="127\.0\.0\.1"$' % (
              re.escape(BOB[0]), re.escape(BOB[1])),
          "console denied")
    opened = [m for m in sink.since(mark) if m.ident == HELPER and
              m.text.startswith("console opened:")]
    assert not opened, "a denied request opened a console: %r" % opened


def test_authkeys_logs_to_authpriv(bed):
    sink = bed.need_syslog()
    mark = sink.mark()
    rc, out, err = bed.ssh("alice", "list")
    assert rc == 0, "login failed (exit %d): %s" % (rc, err.strip())
    key = bed.keys["alice"]
    _find(sink, mark, AUTHKEYS,
          r"^key %s %s: 1 matching entry$" % (re.escape(key.keytype),
                                              re.escape(key.fingerprint)),
          "authkeys key lookup")
    lines = [m for m in sink.since(mark) if m.ident == AUTHKEYS]
    wrong = [m.raw for m in lines if m.facility != LOG_AUTHPRIV]
    assert not wrong, "authkeys lines outside authpriv: %r" % wrong


def _fields(text):
    """Parses the key="value" fields of an audit line (backslash escapes
    '"' and '\\' inside a value); a field named twice is an error."""
    fields, i = {}, text.index(": ") + 2
    rx = re.compile(r'([a-z_]+)=(?:"((?:[^"\\]|\\.)*)"|([0-9]+s?))( |$)')
    while i < len(text):
        m = rx.match(text, i)
        assert m, "audit line does not parse at %d: %r" % (i, text)
        value = m.group(2) if m.group(2) is not None else m.group(3)
        assert m.group(1) not in fields, "field %s twice in %r" % (
            m.group(1), text)
        fields[m.group(1)] = re.sub(r"\\(.)", r"\1", value)
        i = m.end()
    return fields


def test_vm_name_cannot_forge_audit_fields(bed):
    sink = bed.need_syslog()
    hostile = 'web01" host="evil" from="10.9.9.9 \\ x'
    bed.manager.set_consoles([
        {"vmid": WEB_UUID, "vm": hostile, "host": CONSOLE_HOST,
         "entities": [ALICE[0]]}])
    mark = sink.mark()
    with bed.ssh_pty("alice", WEB_UUID) as p:
        p.expect_exact("Connected to", timeout=60)
        detach(p)
        assert_exit(p, 0)
    for kind in ("opened", "closed"):
        msg = _find(sink, mark, HELPER, r"^console %s: " % kind,
                    "console " + kind)
        f = _fields(msg.text)
        assert (f["vm"], f["host"], f["from"], f["entity"]) == (
            hostile, CONSOLE_HOST, "127.0.0.1", ALICE[0]), \
            "fields of %r: %r" % (msg.text, f)
