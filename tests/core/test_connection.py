"""core.connection: the database this computer opens at start, kept without any password."""

import pytest

from renewal_desk.core import connection
from renewal_desk.core.db import server_url
from renewal_desk.core.problems import InputError


def test_a_server_choice_round_trips_through_its_address_and_the_saved_file():
    for server in (connection.ServerChoice("desk-server", 5433, "renewal_desk", "renewal_desk"),
                   connection.ServerChoice("/tmp/rd socket", 41000, "rd", "renewal")):
        address = server.address("p@ss:/word")
        assert server_url(address).password == "p@ss:/word"
        assert connection.ServerChoice.from_address(address) == server
        connection.save(connection.Choice(server=server))
        assert connection.load() == connection.Choice(server=server)
        assert "p@ss" not in connection.config_path().read_text(encoding="utf-8")
        assert connection.start_target(connection.load()) == server.address()


def test_a_typed_password_is_kept_for_this_run_only():
    server = connection.ServerChoice("desk-server", 5432, "renewal_desk", "anna")
    assert connection.with_password(server.address()) == server.address()
    connection.give(server, "secret")
    try:
        assert server_url(connection.with_password(server.address())).password == "secret"
        assert connection.with_password(server.address("other")) == server.address("other")  # its own wins
    finally:
        connection.give(server, None)
    assert connection.with_password(server.address()) == server.address()


def test_missing_fields_and_unusable_files_are_refused_in_chinese(tmp_path):
    with pytest.raises(InputError) as refused:
        connection.server_choice(" ", 5432, "", "anna")
    assert "服务器地址" in refused.value.describe() and "数据库名" in refused.value.describe()
    with pytest.raises(InputError):
        connection.file_choice("")
    assert connection.file_choice(tmp_path / "desk.sqlite").path == (tmp_path / "desk.sqlite").resolve()
    assert connection.load() is None  # nothing saved by any of this
