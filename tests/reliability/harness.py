"""Workstation processes for the reliability tests: started from a fork server that imported the app
once, each reporting its acknowledged changes through a pipe that a thread here reads."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from tests.reliability import workstation_driver

_CTX = multiprocessing.get_context("forkserver")
_CTX.set_forkserver_preload(["tests.reliability.workstation_driver"])


class Workstation:
    """One driver process and what it has acknowledged so far."""

    def __init__(self, url: str, reviewer: str, seed: int) -> None:
        reader, writer = _CTX.Pipe(duplex=False)
        self.lines: list[str] = []
        self.working = threading.Event()  # set at its first acknowledged decision
        self.ended = threading.Event()
        self.process: BaseProcess = _CTX.Process(
            target=workstation_driver.run_process, args=(url, reviewer, seed, writer), daemon=True
        )
        self.process.start()
        writer.close()  # the child holds the only write end: its death ends the pipe
        self._reader = threading.Thread(target=self._read, args=(reader,), daemon=True)
        self._reader.start()

    def _read(self, conn: Connection) -> None:
        try:
            while True:
                line = conn.recv_bytes().decode()
                self.lines.append(line)
                if line.startswith("decided"):
                    self.working.set()
        except (EOFError, OSError):
            pass  # the process ended; a message cut short by a kill was never acknowledged
        finally:
            conn.close()
            self.working.set()
            self.ended.set()

    def kill(self) -> bool:
        """SIGKILL now; True when it was still working."""
        alive = self.process.is_alive()
        if alive and self.process.pid is not None:
            os.kill(self.process.pid, signal.SIGKILL)
        return alive

    @property
    def errors(self) -> list[str]:
        return [line for line in self.lines if line.startswith("error ")]

    def join(self, timeout: float = 60) -> int | None:
        self.process.join(timeout)
        self.ended.wait(timeout)
        return self.process.exitcode
