"""Qt translations: Simplified Chinese by default, English second (resources/i18n/*.qm)."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QLocale, QSettings, QTranslator, QLibraryInfo

from renewal_desk.core.paths import resource
from renewal_desk.core.rules.text import code_label

LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"
_installed: list[QTranslator] = []


def current_language() -> str:
    lang = QSettings().value("language", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


_active: list[str] = []  # the language the translators were installed for (the window's, until the next start)


def core_lang() -> str:
    """The language code core messages use ("zh" or "en"): the window's language, the one installed at start
    (a language chosen in 设置 applies from the next start, so messages never mix the two meanwhile). Read
    from memory: pages ask it per row (20,000 problems), and reading the settings file each time cost 0.4 s."""
    return "en" if (_active[0] if _active else current_language()) == "en" else "zh"


_MARKER = re.compile(r"%([1-9])")


def fmt(template: str, *values) -> str:
    """A (translated) text with its markers %1, %2 … filled in, in one pass as Qt's QString::arg does: a value
    that itself holds "%2" (a name, a file name, an error text) stays as it was, never filled in its turn."""
    def value(match: re.Match) -> str:
        n = int(match.group(1))
        return str(values[n - 1]) if n <= len(values) else match.group(0)

    return _MARKER.sub(value, template)


def enum_label(labels, value) -> str:
    """A stored enum code shown in the user's language, through its zh/en table (models' *_LABELS)."""
    return code_label(labels, value, core_lang())


def install_translators(app: QCoreApplication, lang: str | None = None) -> str:
    """Load the app's and Qt's own translations for `lang` (default: the saved setting).

    Source strings are English; the English .qm carries only plural forms.
    """
    lang = lang or current_language()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    locale = (QLocale(QLocale.Language.English, QLocale.Country.UnitedStates) if lang == "en"
              else QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    QLocale.setDefault(locale)
    ours = QTranslator(app)
    qm = resource("i18n", f"renewal_desk_{lang}.qm")
    if not ours.load(str(qm)):
        raise FileNotFoundError(f"translation {qm} missing: run installers/bootstrap.sh to build it")
    app.installTranslator(ours)
    _installed.append(ours)
    _active[:] = [lang]
    qt = QTranslator(app)
    if lang != "en" and qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return lang
