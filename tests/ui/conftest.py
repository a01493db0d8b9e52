"""UI fixtures: an offscreen QApplication with the app's fonts and Chinese translation, isolated QSettings."""

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture(scope="session")
def qapp_args():
    return ["renewal-desk-tests"]


@pytest.fixture(autouse=True)
def app(qapp, tmp_path):
    from renewal_desk.ui.app import make_application

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    make_application(lang="zh_CN")
    QSettings().clear()
    yield qapp
    from renewal_desk.ui import tasks

    tasks.wait_all(10000)
    import gc

    gc.collect()  # on the GUI thread, as the app's MainThreadGC does (automatic collection is off)


@pytest.fixture
def window(qtbot, demo_db):
    from renewal_desk.ui.main_window import MainWindow

    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    page = win.pages["households"]
    with qtbot.waitSignals([page.model.loaded, page.tree_loaded], timeout=10000):
        win.show()
    return win


@pytest.fixture
def english_ui(app):
    """The app in English for one test (language setting and translators), Chinese again afterwards."""
    from renewal_desk.ui.app import make_application

    settings = QSettings()
    before = settings.value("language")
    settings.setValue("language", "en")
    make_application(lang="en")
    yield
    if before is None:
        settings.remove("language")
    else:
        settings.setValue("language", before)
    make_application(lang="zh_CN")
