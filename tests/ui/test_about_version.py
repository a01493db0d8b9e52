"""The one version number reaches the About box (in Chinese) and the application object."""

from PySide6.QtCore import QCoreApplication

from renewal_desk import __version__
from renewal_desk.ui import main_window


def test_about_box_shows_the_version(window, monkeypatch):
    shown = []
    monkeypatch.setattr(main_window.QMessageBox, "about", lambda parent, title, text: shown.append((title, text)))
    window.about()
    [(title, text)] = shown
    assert text.startswith(f"街区更新议事台 {__version__}\n")  # the Chinese translation, with the version
    assert QCoreApplication.applicationVersion() == __version__
