"""fmt(): a translated text's markers filled in one pass, as Qt's QString::arg."""

from renewal_desk.ui.i18n import fmt


def test_markers_are_filled_once_each_and_a_value_holding_a_marker_stays_as_typed():
    # a household named "%2 号楼" (or a file name with %2 in it) is shown as typed, not filled in its turn
    assert fmt("%1（%2）", "%2 号楼", "管理员") == "%2 号楼（管理员）"
    assert fmt("%2 before %1", "a", "b") == "b before a"
    assert fmt("%1 of %2 (%3)", 3, 10, "30.0%") == "3 of 10 (30.0%)"  # values as text; a % sign stays
    assert fmt("共 %1 户", "1,200") == "共 1,200 户"
    assert fmt("%1 and %2", "only one") == "only one and %2"  # a marker without its value is left as it is
    assert fmt("no markers", "x") == "no markers"
