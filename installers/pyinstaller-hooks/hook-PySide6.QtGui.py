"""Replaces PyInstaller's hook for PySide6.QtGui (a hook in the spec's hookspath takes precedence):
the same Qt plugins, less those an office desktop program never loads. Filtering here, before
PyInstaller follows the plugins' library dependencies, also keeps those libraries out (the GTK3
theme alone pulls in GTK's cairo/pango/gdk-pixbuf stack, built against this machine's GTK).

Dropped: embedded/framebuffer platforms (eglfs, linuxfb, vnc, vkkhrdisplay, minimalegl) and their
EGL device integrations, the GTK3 platform theme (Qt then draws its own Fusion-like style and file
dialogs, or asks the XDG desktop portal), the virtual keyboard input context. Kept: xcb, wayland,
offscreen and minimal platforms, the Windows/macOS platforms, image formats, the SVG icon engine,
ibus/compose input (Chinese input methods), the XDG portal theme.
"""

import re

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

UNUSED_PLUGIN = re.compile(
    r"[/\\]plugins[/\\]("
    r"egldeviceintegrations|"
    r"platforms[/\\](lib)?q(eglfs|linuxfb|vnc|vkkhrdisplay|minimalegl)|"
    r"platformthemes[/\\](lib)?qgtk3|"
    r"platforminputcontexts[/\\].*virtualkeyboard|"
    r"printsupport|generic|networkinformation|tls|sqldrivers|qmltooling"
    r")", re.I)

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [entry for entry in binaries if not UNUSED_PLUGIN.search(str(entry[0]))]
