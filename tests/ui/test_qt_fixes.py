"""Work-arounds for the Qt bindings: garbage is collected on the GUI thread only."""

import gc
import threading

from renewal_desk.ui import qt_fixes


def test_automatic_collection_is_off_and_the_gui_thread_collects(app):
    collector = qt_fixes.collect_on_gui_thread(app)
    assert not gc.isenabled() and collector.timer.isActive()
    collected_in: list[str] = []

    class Cycle:
        def __del__(self):
            collected_in.append(threading.current_thread().name)

    for _ in range(collector.threshold[0] + 50):  # garbage cycles past the first threshold
        a, b = Cycle(), Cycle()
        a.other, b.other = b, a
        del a, b
    worker = threading.Thread(target=lambda: [object() for _ in range(100_000)], name="worker")
    worker.start()
    worker.join()
    assert collected_in == []  # a busy worker thread did not collect them
    collector.check()
    assert collected_in and set(collected_in) == {threading.current_thread().name}
