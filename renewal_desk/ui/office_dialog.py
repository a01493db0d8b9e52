"""设置 → 单位信息: the office's profile (name, address, responsible person, phone, seal text) that the
printouts name — the lease contract's lessee block, the registers' heads; the seal text (else the name)
where the office seals (settings.OfficeProfile.seal: notices' 落款, the contract, schedule and statement).
Stored with the data (core.settings), not on this computer."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from renewal_desk.core import settings

from .widgets.forms import ErrorDialog


class OfficeProfileDialog(ErrorDialog):
    FIELDS = ((settings.OFFICE_NAME.key, "name"), (settings.OFFICE_ADDRESS.key, "address"),
              (settings.OFFICE_HEAD.key, "head"), (settings.OFFICE_PHONE.key, "phone"),
              (settings.OFFICE_SEAL.key, "seal"))

    def __init__(self, db, parent=None):
        super().__init__(self.tr("Office profile"), parent)
        self.setObjectName("officeProfileDialog")
        self.db = db
        profile = settings.office_profile(db)
        labels = {"name": self.tr("Office name"), "address": self.tr("Address"), "head": self.tr("Responsible person"),
                  "phone": self.tr("Phone"), "seal": self.tr("Seal text")}
        values = {"name": profile.name, "address": profile.address, "head": profile.head, "phone": profile.phone,
                  "seal": profile.seal_text}
        self.edits: dict[str, QLineEdit] = {}
        for key, short in self.FIELDS:
            edit = QLineEdit(values[short])
            edit.setObjectName(f"office_{short}")
            edit.setMinimumWidth(360)
            self.edits[key] = edit
            self.form.addRow(labels[short], edit)
        self.edits[settings.OFFICE_NAME.key].setPlaceholderText(self.tr("e.g. 幸福街道办事处"))
        self.edits[settings.OFFICE_SEAL.key].setPlaceholderText(self.tr("as on the seal; empty: the office name"))

    def office_name(self) -> str:
        return self.edits[settings.OFFICE_NAME.key].text().strip()

    def apply(self):
        settings.save(self.db, {key: edit.text() for key, edit in self.edits.items()})
        return 1
