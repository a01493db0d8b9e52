"""Which bundle signers this database accepts (issue 23, scope 0): `renewal-desk keys` and the import dialog.

The list lives in the database (setting `keys.trusted`: fingerprint, label, when, by whom), so it travels
with the data, an office server's clients share it, and only a role with the "trust" permission (the
administrator) changes it, audited. Bundles signed by this computer's own key (exchange.signing) are
accepted without being listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..audit import record_event
from ..db import Database
from ..exchange import signing
from .. import settings
from ..models import utcnow
from ..problems import InputError, Problem, declare

TRUSTED_SETTING = settings.TRUSTED_KEYS.key
LABEL_MAX = 100

E_NOT_TRUSTED = declare("keys.not_trusted", "未信任过这个密钥：{fingerprint}", "This key is not trusted: {fingerprint}")
E_OWN = declare("keys.own", "这是本机自己的签名密钥，无需信任或撤销：{fingerprint}",
                "This is this computer's own signing key; it needs no trust: {fingerprint}")


@dataclass(frozen=True)
class TrustedKey:
    fingerprint: str
    label: str
    trusted_at: str
    by: str


def _stored(s) -> list[dict]:
    found = settings.read(s, TRUSTED_SETTING)
    return [k for k in found if isinstance(k, dict) and signing.is_fingerprint(str(k.get("fingerprint", "")))] \
        if isinstance(found, list) else []


def trusted_keys(db: Database) -> list[TrustedKey]:
    with db.read() as s:
        return [TrustedKey(k["fingerprint"], str(k.get("label", "")), str(k.get("trusted_at", "")),
                           str(k.get("by", ""))) for k in _stored(s)]


def is_trusted(db: Database, fingerprint: str) -> bool:
    if fingerprint == signing.own_fingerprint():
        return True
    return any(k.fingerprint == fingerprint for k in trusted_keys(db))


def fingerprint_of(text: str) -> str:
    """A fingerprint as given, or the signer's fingerprint of a bundle file or folder (verified)."""
    text = text.strip()
    if signing.is_fingerprint(text):
        return text
    path = Path(text).expanduser()
    if path.exists():
        return signer_of(path).fingerprint
    raise InputError(Problem(signing.E_FINGERPRINT, {"value": text[:80]}))


def signer_of(path: Path) -> signing.Signer:
    """Who signed a bundle (the signature checked against its manifest; nothing else of it is read)."""
    from ..exchange.bundle import MANIFEST, MAX_MANIFEST_BYTES, BundleReader, E_NOT_BUNDLE

    reader = BundleReader(path)
    try:
        names = set(reader.names())
        if MANIFEST not in names:
            raise InputError(Problem(E_NOT_BUNDLE, {"path": str(path)}))
        raw = reader.read(MANIFEST, MAX_MANIFEST_BYTES)
        signed = reader.read(signing.SIGNATURE, signing.MAX_SIGNATURE_BYTES) if signing.SIGNATURE in names else None
        return signing.verify(raw, signed)
    finally:
        reader.close()


def trust_in(s, operator: str, fingerprint: str, label: str = "") -> bool:
    """Add a key to the list inside an open write session (need "trust"); False when it was there already."""
    if not signing.is_fingerprint(fingerprint):
        raise InputError(Problem(signing.E_FINGERPRINT, {"value": fingerprint[:80]}))
    keys = _stored(s)
    if any(k["fingerprint"] == fingerprint for k in keys):
        return False
    label = " ".join(label.split())[:LABEL_MAX]
    keys.append({"fingerprint": fingerprint, "label": label, "trusted_at": utcnow().isoformat(timespec="seconds"),
                 "by": operator})
    _store(s, keys)
    record_event(s, "trust_key", "setting", note=f"信任数据包签名密钥 {fingerprint}" + (f"（{label}）" if label else ""),
                 after={"fingerprint": fingerprint, "label": label})
    return True


def trust(db: Database, fingerprint: str, label: str = "") -> bool:
    """Trust a signer (a fingerprint, or the signer of a bundle file); False when it was trusted already."""
    db.require("trust")
    fingerprint = fingerprint_of(fingerprint)
    if fingerprint == signing.own_fingerprint():
        raise InputError(Problem(E_OWN, {"fingerprint": fingerprint}))
    with db.write(note="信任数据包签名密钥", need="trust") as s:
        return trust_in(s, db.operator, fingerprint, label)


def untrust(db: Database, fingerprint: str) -> None:
    db.require("trust")
    with db.write(note="撤销数据包签名密钥", need="trust") as s:
        keys = _stored(s)
        kept = [k for k in keys if k["fingerprint"] != fingerprint]
        if len(kept) == len(keys):
            raise InputError(Problem(E_NOT_TRUSTED, {"fingerprint": fingerprint[:80]}))
        _store(s, kept)
        record_event(s, "untrust_key", "setting", note=f"撤销信任数据包签名密钥 {fingerprint}",
                     after={"fingerprint": fingerprint})


def _store(s, keys: list[dict]) -> None:
    settings.write(s, TRUSTED_SETTING, keys)
