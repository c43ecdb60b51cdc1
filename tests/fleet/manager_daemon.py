"""The fleet's manager: the end-to-end test manager (tests/e2e/manager.py)
over HTTPS with a bearer token, serving the entries of keys.json and
consoles.json in its directory, re-read whenever they change.

Usage: python3 manager_daemon.py DIR ADDRESS PORT
  DIR holds manager.pem, manager.key, token, keys.json, consoles.json.
"""

import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "e2e"))

from manager import TestManager  # noqa: E402


def main(argv):
    d, address, port = argv[1], argv[2], int(argv[3])
    with open(os.path.join(d, "token")) as f:
        token = f.read().strip()
    mgr = TestManager(token=token,
                      cert_file=os.path.join(d, "manager.pem"),
                      key_file=os.path.join(d, "manager.key"),
                      address=address)
    mgr.https_port = port
    seen = {}
    while True:
        for doc, setter in (("keys", mgr.set_keys),
                            ("consoles", mgr.set_consoles)):
            path = os.path.join(d, doc + ".json")
            try:
                mtime = os.stat(path).st_mtime_ns
                if seen.get(doc) != mtime:
                    with open(path) as f:
                        setter(json.load(f))
                    seen[doc] = mtime
            except (OSError, ValueError) as e:
                print("manager: cannot load %s: %s" % (path, e), flush=True)
        if not mgr.running:
            mgr.start()
            print("manager: serving https://%s:%d" % (address, port),
                  flush=True)
        time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
