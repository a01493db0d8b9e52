"""A second window on the same database is told plainly; a lock left by a killed copy is taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys


from PySide6.QtCore import QLockFile
from PySide6.QtWidgets import QMessageBox

from renewal_desk.ui.app import instance_lock

HOLDER = """
import sys, time
from PySide6.QtCore import QLockFile
lock = QLockFile(sys.argv[1] + ".lock")
lock.setStaleLockTime(0)
assert lock.tryLock(1000)
print("locked", flush=True)
time.sleep(60)
"""


def _holder(db_path):
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_second_window_is_asked_and_can_decline(qapp, db_path, monkeypatch):
    asked = []
    proc = _holder(db_path)
    try:
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.No)
        assert instance_lock(db_path) is None
        assert "已在另一个" in asked[0] and str(proc.pid) in asked[0]
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
        assert instance_lock(db_path) is not None  # the user may still open it: two windows are safe
    finally:
        proc.kill()
        proc.wait()


def test_lock_of_a_killed_copy_is_taken_over_without_asking(qapp, db_path, monkeypatch):
    proc = _holder(db_path)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert os.path.exists(f"{db_path}.lock")  # left behind, as after a crash
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: (_ for _ in ()).throw(AssertionError("asked")))
    lock = instance_lock(db_path)
    assert lock is not None and lock.isLocked()
    lock.unlock()
    assert not os.path.exists(f"{db_path}.lock")


def test_one_window_takes_the_lock_and_frees_it(qapp, db_path):
    lock = instance_lock(db_path)
    assert lock.isLocked()
    other = QLockFile(f"{db_path}.lock")
    assert not other.tryLock(0)
    lock.unlock()
    assert other.tryLock(0)
    other.unlock()

