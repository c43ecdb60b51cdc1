"""A small expect: runs a program on a new pseudo-terminal and lets a test
wait for output and type input, the way a person at a terminal would.
"""

import errno
import fcntl
import os
import re
import select
import signal
import struct
import termios
import time


class Timeout(AssertionError):
    pass


class PtySession:
    """A program running with a pty as its controlling terminal.

    The slave side stays open here too, so tcgetattr() on it shows the
    terminal state the program leaves behind after it exits.
    """

    def __init__(self, argv, env=None, rows=24, cols=80):
        self.argv = list(argv)
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ,
                    struct.pack("HHHH", rows, cols, 0, 0))
        self.initial_termios = termios.tcgetattr(self.slave)
        self.buffer = b""
        self.pos = 0
        self.status = None
        self.pid = os.fork()
        if self.pid == 0:
            self._exec_child(env)
        os.set_blocking(self.master, False)

    def _exec_child(self, env):
        try:
            os.close(self.master)
            os.setsid()
            fcntl.ioctl(self.slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(self.slave, fd)
            if self.slave > 2:
                os.close(self.slave)
            if env is None:
                os.execvp(self.argv[0], self.argv)
            os.execvpe(self.argv[0], self.argv, env)
        except BaseException:
            os._exit(127)

    # --- reading -------------------------------------------------------

    def _fill(self, deadline):
        """Reads what is available, waiting until deadline for something.
        Returns False at end of output."""
        remaining = max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([self.master], [], [], remaining)
        if not ready:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError as e:
            if e.errno == errno.EAGAIN:
                return True
            if e.errno == errno.EIO:
                return False
            raise
        if not data:
            return False
        self.buffer += data
        return True

    def expect(self, pattern, timeout=30):
        """Waits for pattern (regex, bytes or str) in output not yet
        consumed; consumes up to the match and returns the match."""
        if isinstance(pattern, str):
            pattern = pattern.encode()
        rx = re.compile(pattern, re.S)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.buffer, self.pos)
            if m:
                self.pos = m.end()
                return m
            if time.monotonic() >= deadline:
                raise Timeout("timed out after %ss waiting for %r; got %r"
                              % (timeout, pattern, self.pending()[-600:]))
            alive = self._fill(min(deadline, time.monotonic() + 0.5))
            if alive and self.poll() is not None and \
                    not select.select([self.master], [], [], 0)[0]:
                alive = False
            if not alive:
                m = rx.search(self.buffer, self.pos)
                if m:
                    self.pos = m.end()
                    return m
                raise Timeout("output ended (exit %s) while waiting for %r; "
                              "got %r" % (self.exit_code(), pattern,
                                          self.pending()[-600:]))

    def expect_exact(self, text, timeout=30):
        if isinstance(text, str):
            text = text.encode()
        return self.expect(re.escape(text), timeout)

    def pending(self):
        """Output received and not consumed by expect()."""
        return self.buffer[self.pos:]

    # --- writing -------------------------------------------------------

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        while data:
            _, ready, _ = select.select([], [self.master], [], 10)
            if not ready:
                raise Timeout("terminal does not accept input")
            n = os.write(self.master, data)
            data = data[n:]

    def sendline(self, line):
        self.send(line + "\r")

    # --- process -------------------------------------------------------

    def poll(self):
        if self.status is None:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = st
        return self.exit_code()

    def exit_code(self):
        if self.status is None:
            return None
        if os.WIFEXITED(self.status):
            return os.WEXITSTATUS(self.status)
        return -os.WTERMSIG(self.status)

    def wait(self, timeout=30):
        """Waits for the program to exit, draining its output; returns its
        exit code (negative signal number if killed)."""
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            if time.monotonic() >= deadline:
                raise Timeout("%s did not exit within %ss; output %r"
                              % (self.argv[0], timeout,
                                 self.pending()[-600:]))
            self._fill(min(deadline, time.monotonic() + 0.2))
        # Collect what was written just before the exit.
        while self._fill(time.monotonic() + 0.2) and \
                select.select([self.master], [], [], 0)[0]:
            pass
        return self.exit_code()

    def kill(self, sig=signal.SIGKILL):
        if self.poll() is None:
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    def termios(self):
        return termios.tcgetattr(self.slave)

    def close(self):
        self.kill()
        try:
            self.wait(10)
        except Timeout:
            pass
        for fd in (self.master, self.slave):
            try:
                os.close(fd)
            except OSError:
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
