import pytest
from sqlalchemy import select

from renewal_desk.core.models import AuditEntry
from renewal_desk.core.problems import InputError
from renewal_desk.core.services.attachments import add_attachment, attachments_of, open_attachment, stored_path


def test_same_content_stored_once_and_audited(db, tmp_path):
    photo = tmp_path / "问题照片.jpg"
    photo.write_bytes(b"\xff\xd8 fake jpeg " * 100)
    first = add_attachment(db, "household", 1, photo, "楼道杂物")
    second = add_attachment(db, "household", 2, photo)
    assert first != second
    infos = attachments_of(db, "household", 1)
    assert [i.original_name for i in infos] == ["问题照片.jpg"] and infos[0].mime_type == "image/jpeg"
    stored = stored_path(db, infos[0].sha256)
    assert stored.read_bytes() == photo.read_bytes()
    assert len(list(stored.parent.iterdir())) == 1
    with db.read() as s:
        assert len(s.scalars(select(AuditEntry).where(AuditEntry.table_name == "attachment")).all()) == 2


def test_missing_or_altered_file_reported(db, tmp_path):
    photo = tmp_path / "a.png"
    photo.write_bytes(b"png")
    add_attachment(db, "household", 1, photo)
    info = attachments_of(db, "household", 1)[0]
    assert open_attachment(db, info).exists()
    stored_path(db, info.sha256).write_bytes(b"tampered")
    with pytest.raises(InputError) as err:
        open_attachment(db, info)
    assert err.value.problems[0].code == "attachment.missing"
    with pytest.raises(InputError):
        add_attachment(db, "household", 1, tmp_path / "nope.png")
