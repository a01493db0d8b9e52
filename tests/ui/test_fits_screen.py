"""The window on a 1366×768 laptop: inside the available area, status bar on screen; feedback on the page."""

from PySide6.QtCore import QByteArray, QRect, QSettings
from PySide6.QtWidgets import QApplication

from renewal_desk.ui.widgets.feedback import FeedbackBanner, banner_for, tell


def test_banner_success_hides_itself_error_stays(qtbot):
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    page = QWidget()
    qtbot.addWidget(page)
    banner = FeedbackBanner()
    QVBoxLayout(page).addWidget(banner)
    page.show()
    assert not banner.isVisible()  # empty: nothing shown
    banner.success("已保存", ms=50)
    assert banner.isVisible() and banner.label.text() == "已保存" and banner.kind == "success"
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=3000)
    banner.error("保存失败：名称不能为空")
    qtbot.wait(200)
    assert banner.isVisible() and banner.kind == "error"
    banner.close_button.click()
    assert not banner.isVisible()


def test_window_fits_available_area_and_shows_page_feedback(qtbot, demo_db):
    from renewal_desk.ui.main_window import MainWindow

    # A geometry saved on a big monitor: restored, it must still fit this screen.
    big = MainWindow()
    big.setGeometry(QRect(-200, -100, 2400, 1400))
    QSettings().setValue("mainWindow/geometry", big.saveGeometry())
    big.deleteLater()
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    area = win.screen().availableGeometry()
    win.fit_to_screen()  # the restored geometry, clamped (before maximising)
    assert area.contains(win.frameGeometry()), (area, win.frameGeometry())
    win.show_on_screen()
    qtbot.waitExposed(win)
    assert win.statusBar().isVisible()
    assert win.isMaximized() == (area.width() <= 1440)
    page = win.show_section("households")
    page.status_message.emit("已保存住户 张三")
    assert win.feedback.isVisible() and win.feedback.label.text() == "已保存住户 张三"
    assert banner_for(page) is win.feedback
    assert tell(page, "打印失败", "error") and win.feedback.kind == "error"
