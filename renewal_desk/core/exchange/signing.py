"""Signed bundles (issue 23, scope 0): who made a bundle, proven with Ed25519.

Every bundle carries `manifest.sig` beside `manifest.json`: the signature of the manifest's exact bytes
(the manifest holds the SHA-256 and size of every other file, and the audit log's head), with the
signer's public key. A re-hashed forgery no longer passes: changing any file changes the manifest, and
only the holder of the private key can sign the new one. Which signers a database accepts is its
administrator's decision (core.services.keys): the first bundle of a new sender is refused, its
fingerprint shown, like SSH's first connection to a new host.

The signing key is this computer's (this operating-system user's): made on first use in the app's data
folder (`keys/bundle-signing.ed25519`, owner-only 0600 in a 0700 folder), never inside the database.
So a copy of the database or of a backup (which every full-data reader can make) cannot sign in the
office's name, and a server database shared by several computers works the same: each computer signs
with its own key, and the receiving administrator trusts each one by its fingerprint. Bundles signed
by the key of this computer itself are trusted without asking (it made them).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..paths import data_dir
from ..problems import InputError, Problem, declare

SIGNATURE = "manifest.sig"
ALGORITHM = "Ed25519"
MAX_SIGNATURE_BYTES = 4096
KEY_FILE = "bundle-signing.ed25519"
FINGERPRINT_PREFIX = "SHA256:"

E_UNSIGNED = declare("exchange.unsigned",
                     "数据包没有签名（缺少 manifest.sig），无法确认它由谁导出，已拒绝，未导入任何内容。请对方用本程序重新导出。",
                     "The bundle is not signed (no manifest.sig): who exported it cannot be proven; refused, nothing "
                     "imported. Ask the sender to export it again with this program.")
E_BAD_SIGNATURE = declare("exchange.bad_signature",
                          "数据包的签名不符：清单 manifest.json 在签名后被改动，数据包已损坏或是伪造的，已拒绝，未导入任何内容。",
                          "The bundle's signature does not match: manifest.json was changed after it was signed; the "
                          "bundle is damaged or forged. Refused, nothing imported.")
E_UNTRUSTED = declare("exchange.untrusted",
                      "数据包的签名密钥未受信任：指纹 {fingerprint}（数据包自称来自“{office}”）。请先向对方核实这个指纹，"
                      "再由管理员信任它：renewal-desk keys trust {fingerprint} --db 数据库 --user 管理员"
                      "（或在“导入数据包”中确认信任）。未导入任何内容。",
                      "The bundle's signing key is not trusted: fingerprint {fingerprint} (the bundle says it comes "
                      "from “{office}”). Check the fingerprint with the sender, then have an administrator trust it: "
                      "renewal-desk keys trust {fingerprint} --db DATABASE --user ADMIN (or confirm it in the import "
                      "dialog). Nothing was imported.")
E_FINGERPRINT = declare("keys.fingerprint",
                        "不是有效的密钥指纹：{value}（应形如 SHA256: 加 43 个字符，或给出数据包文件）",
                        "Not a key fingerprint: {value} (expected SHA256: and 43 characters, or a bundle file)")


class UntrustedKey(InputError):
    """A well-signed bundle whose signer this database does not trust (yet): nothing was read in."""

    def __init__(self, fingerprint: str, office: str):
        super().__init__(Problem(E_UNTRUSTED, {"fingerprint": fingerprint, "office": office or "?"}))
        self.fingerprint = fingerprint
        self.office = office


def fingerprint(public: Ed25519PublicKey) -> str:
    """SSH-style: SHA256: and the unpadded base64 of the SHA-256 of the raw 32-byte public key."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return FINGERPRINT_PREFIX + base64.b64encode(hashlib.sha256(raw).digest()).decode("ascii").rstrip("=")


def is_fingerprint(text: str) -> bool:
    body = text[len(FINGERPRINT_PREFIX):]
    if not text.startswith(FINGERPRINT_PREFIX) or len(body) != 43:
        return False
    try:
        return len(base64.b64decode(body + "=", validate=True)) == 32
    except ValueError:
        return False


def key_path() -> Path:
    return data_dir() / "keys" / KEY_FILE


def own_key() -> Ed25519PrivateKey:
    """This computer's signing key, made on first use (owner-only, whatever the umask)."""
    path = key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        try:
            os.write(fd, pem)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)  # never replaces a key another process made meanwhile
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 key")
    return key


def own_fingerprint() -> str:
    return fingerprint(own_key().public_key())


def signature_bytes(manifest_raw: bytes, key: Ed25519PrivateKey | None = None) -> bytes:
    """The manifest.sig of these manifest bytes, signed with `key` (default: this computer's)."""
    key = key or own_key()
    public = key.public_key()
    raw_public = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    body = {"algorithm": ALGORITHM, "signed": "manifest.json", "fingerprint": fingerprint(public),
            "public_key": base64.b64encode(raw_public).decode("ascii"),
            "signature": base64.b64encode(key.sign(manifest_raw)).decode("ascii")}
    return (json.dumps(body, indent=2) + "\n").encode("ascii")


def sign_folder(folder: Path, key: Ed25519PrivateKey | None = None) -> str:
    """(Re)write the manifest.sig of a bundle folder; its signer's fingerprint."""
    data = signature_bytes((Path(folder) / "manifest.json").read_bytes(), key)
    (Path(folder) / SIGNATURE).write_bytes(data)
    return json.loads(data)["fingerprint"]


@dataclass(frozen=True)
class Signer:
    fingerprint: str
    public_key: str  # base64 of the raw key


def verify(manifest_raw: bytes, signature_raw: bytes | None) -> Signer:
    """The signer of these manifest bytes; InputError when unsigned or when the signature fails."""
    if signature_raw is None:
        raise InputError(Problem(E_UNSIGNED))
    try:
        body = json.loads(signature_raw.decode("ascii"))
        if not isinstance(body, dict) or body.get("algorithm") != ALGORITHM:
            raise ValueError("algorithm")
        raw_public = base64.b64decode(body["public_key"], validate=True)
        signature = base64.b64decode(body["signature"], validate=True)
        public = Ed25519PublicKey.from_public_bytes(raw_public)
        public.verify(signature, manifest_raw)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, InvalidSignature) as exc:
        raise InputError(Problem(E_BAD_SIGNATURE)) from exc
    return Signer(fingerprint(public), body["public_key"])
