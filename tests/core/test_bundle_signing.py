"""Signed bundles (issue 23, scope 0): a re-hashed forgery, an unsigned bundle and a bundle from a key the
administrator has not trusted are refused with nothing written; a trusted signer's bundle imports; trust
is the administrator's, audited, on the CLI (`keys`, `import-bundle --trust`) as in core."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from renewal_desk.core.exchange import bundle, signing
from renewal_desk.core.models import AuditEntry
from renewal_desk.core.problems import InputError
from renewal_desk.core.rules.access import AccessDenied
from renewal_desk.core.services import exchange, keys

from tests.core.test_exchange import demo, demo_file, empty, table_snapshot  # noqa: F401 - fixtures

REPO = Path(__file__).resolve().parents[2]


def _refused(db, path, match):
    before = table_snapshot(db.path)
    with pytest.raises(InputError, match=match) as err:
        exchange.import_bundle(db, path)
    assert table_snapshot(db.path) == before
    return err.value


def test_the_export_is_signed_by_this_computers_key_kept_owner_only(demo, tmp_path):
    out = tmp_path / "b"
    exchange.export_bundle(demo, out)
    sig = json.loads((out / signing.SIGNATURE).read_text())
    assert sig["algorithm"] == "Ed25519" and sig["fingerprint"] == signing.own_fingerprint()
    assert signing.verify((out / "manifest.json").read_bytes(), (out / signing.SIGNATURE).read_bytes())
    key = signing.key_path()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    with demo.read() as s:  # the signer's public identity is in the export's audit entry
        after = s.scalar(select(AuditEntry.after).where(AuditEntry.action == "export"))
    assert signing.own_fingerprint() in after


def test_a_rehashed_forgery_deleting_everything_is_refused_nothing_written(demo, tmp_path):
    from datetime import datetime, timezone

    from tests.core.test_exchange_forgery import lines, write_lines

    out = tmp_path / "forged"
    exchange.export_bundle(demo, out)
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    rows = [{"record_type": n, "uuid": r["uuid"], "deleted_at": now} for n in ("people", "households")
            for r in lines(out, n)]
    for name in ("households", "people"):
        write_lines(out, name, [])
    write_lines(out, "tombstones", rows)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["counts"].update(households=0, people=0)
    manifest["tombstones"] = len(rows)
    for f in manifest["files"]:  # every checksum and size recomputed, as a forger can
        data = (out / f["path"]).read_bytes()
        f["sha256"], f["bytes"] = bundle.sha256_bytes(data), len(data)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    message = str(_refused(demo, out, "签名不符"))
    assert "伪造" in message and "未导入任何内容" in message
    (out / signing.SIGNATURE).unlink()
    _refused(demo, out, "没有签名")


def test_an_untrusted_signer_is_refused_until_an_administrator_trusts_it(demo, empty, tmp_path):
    out = tmp_path / "other"
    exchange.export_bundle(demo, out)
    other = signing.sign_folder(out, Ed25519PrivateKey.generate())  # another office's laptop
    err = _refused(empty, out, "未受信任")
    assert isinstance(err, signing.UntrustedKey) and err.fingerprint == other
    assert other in str(err) and f"renewal-desk keys trust {other}" in str(err)
    assert keys.trust(empty, other, "社区笔记本") is True and keys.trust(empty, other) is False
    report = exchange.import_bundle(empty, out)
    assert report.signer == other and report.total("added") > 0
    with empty.read() as s:
        notes = s.scalars(select(AuditEntry.note).where(AuditEntry.action == "trust_key")).all()
    assert notes == [f"信任数据包签名密钥 {other}（社区笔记本）"]
    keys.untrust(empty, other)
    _refused(empty, out, "未受信任")


def test_trust_with_the_import_needs_the_fingerprint_of_that_bundle_and_the_trust_permission(demo, empty, tmp_path,
                                                                                            monkeypatch):
    out = tmp_path / "other"
    exchange.export_bundle(demo, out)
    other = signing.sign_folder(out, Ed25519PrivateKey.generate())
    stranger = signing.fingerprint(Ed25519PrivateKey.generate().public_key())
    before = table_snapshot(empty.path)
    with pytest.raises(signing.UntrustedKey):  # trusting some other key does not let this one in
        exchange.import_bundle(empty, out, trust=stranger)
    assert table_snapshot(empty.path) == before
    with monkeypatch.context() as m:  # logged in as 工作人员
        for name, value in (("accounts_enabled", True), ("account", "小王"), ("account_role", "staff")):
            m.setattr(empty, name, value)
        with pytest.raises(AccessDenied):
            exchange.import_bundle(empty, out, trust=other)
        with pytest.raises(AccessDenied):
            keys.trust(empty, other)
    exchange.import_bundle(empty, out, trust=other)
    assert [k.fingerprint for k in keys.trusted_keys(empty)] == [other]


def _cli(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("RENEWAL_DESK_") or k == "RENEWAL_DESK_DATA"}
    env["PYTHONPATH"] = str(REPO)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "renewal_desk", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def test_cli_refuses_an_untrusted_bundle_naming_its_fingerprint_then_keys_trust_lets_it_in(demo, tmp_path):
    out = tmp_path / "other"
    exchange.export_bundle(demo, out)
    other = signing.sign_folder(out, Ed25519PrivateKey.generate())
    target = tmp_path / "new.sqlite"  # a new laptop: nothing created for a refused bundle
    refused = _cli("import-bundle", "--db", str(target), str(out))
    assert refused.returncode == 2 and other in refused.stderr and "keys trust" in refused.stderr
    assert "Traceback" not in refused.stderr and not target.exists()
    done = _cli("import-bundle", "--db", str(target), "--trust", other, str(out))
    assert done.returncode == 0, done.stderr
    listed = _cli("keys", "list", "--db", str(target), "--json")
    assert [k["fingerprint"] for k in json.loads(listed.stdout)["trusted"]] == [other]
    assert json.loads(listed.stdout)["own"] == _cli("keys", "show").stdout.strip() == signing.own_fingerprint()
    assert _cli("keys", "untrust", other, "--db", str(target)).returncode == 0
    again = _cli("import-bundle", "--db", str(target), "--dry-run", str(out))
    assert again.returncode == 2 and other in again.stderr
    assert _cli("keys", "trust", str(out), "--db", str(target), "--label", "社区").returncode == 0  # from the bundle
    assert _cli("import-bundle", "--db", str(target), "--dry-run", str(out)).returncode == 0
    bad = _cli("keys", "trust", "SHA256:nope", "--db", str(target))
    assert bad.returncode == 2 and "不是有效的密钥指纹" in bad.stderr
