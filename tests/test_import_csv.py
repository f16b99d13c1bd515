import unicodedata

import pytest

from importer.csv_source import FileRejected, open_source

REQUIRED = ("code", "name")
OPTIONAL = ("note",)


def _write(tmp_path, data: bytes, name="f.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _rejected(path) -> FileRejected:
    """The error open_source raises on `path`."""
    with pytest.raises(FileRejected) as err:
        open_source(path, REQUIRED, OPTIONAL)
    return err.value


def test_utf8_file_with_bom_is_read_and_header_names_are_clean(tmp_path):
    path = _write(tmp_path, "\ufeffcode,name\r\nA,Sở Nội vụ\r\n".encode())
    source = open_source(path, REQUIRED, OPTIONAL)
    assert source.header.columns == ("code", "name")
    assert list(source.records()) == [(2, ["A", "Sở Nội vụ"])]


def test_line_numbers_are_where_each_record_starts_even_with_quoted_newlines(tmp_path):
    text = 'code,name\nA,"một\ndòng\nba"\nB,hai\n\nC,"x\r\ny"\n'
    source = open_source(_write(tmp_path, text.encode()), REQUIRED, OPTIONAL)
    records = list(source.records())
    assert [(line, fields[0]) for line, fields in records] == [(2, "A"), (5, "B"), (7, "C")]
    assert records[0][1][1] == "một\ndòng\nba"


def test_missing_required_column_rejects_the_file_naming_it(tmp_path):
    path = _write(tmp_path, b"code,note\nA,x\n")
    err = _rejected(path)
    assert "thiếu cột bắt buộc: name" in err.message_vi
    assert "missing required column(s): name" in err.message_en


def test_semicolon_separated_file_is_rejected_with_a_hint(tmp_path):
    path = _write(tmp_path, b"code;name\nA;B\n")
    err = _rejected(path)
    assert "code, name" in err.message_vi
    assert "dấu phẩy" in err.message_vi


def test_unknown_columns_are_reported_as_warnings(tmp_path):
    path = _write(tmp_path, b"code,name,colour\nA,B,red\n")
    source = open_source(path, REQUIRED, OPTIONAL)
    assert source.header.unknown == ("colour",)
    assert any("colour" in w for w in source.warnings)


def test_latin1_bytes_reject_the_file_naming_byte_offset_and_line(tmp_path):
    data = "code,name\nA,Sở\n".encode() + "B,Caf\u00e9\n".encode("latin-1")
    path = _write(tmp_path, data)
    offset = data.index(b"\xe9")
    err = _rejected(path)
    assert f"vị trí {offset}, dòng 3" in err.message_vi
    assert "0xe9" in err.message_vi
    assert f"byte offset {offset}, line 3" in err.message_en


def test_cp1258_file_is_rejected_even_when_the_bad_byte_is_far_into_the_file(tmp_path):
    head = "code,name\n" + "".join(f"A{i},Sở Nội vụ\n" for i in range(120_000))
    tail = unicodedata.normalize("NFD", "B,Quảng Nam\n").encode("cp1258")  # Windows-1258 export
    data = head.encode() + tail
    path = _write(tmp_path, data)
    offset = len(head.encode()) + len(b"B,Qua")  # the combining hook byte 0xD2
    err = _rejected(path)
    assert f"vị trí {offset}, dòng 120002" in err.message_vi


def test_binary_file_is_rejected(tmp_path):
    path = _write(tmp_path, b"code,name\nA,\x00\x01\x02\x03\n")
    err = _rejected(path)
    assert "tệp nhị phân" in err.message_vi
    assert "binary" in err.message_en


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "tệp rỗng"),
        (b"\xef\xbb\xbf\r\n  \n", "tệp rỗng"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel"),
        ("code,name\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_empty_excel_and_utf16_files_are_rejected_with_a_clear_reason(tmp_path, data, words):
    err = _rejected(_write(tmp_path, data))
    assert words in err.message_vi


def test_missing_file_is_rejected(tmp_path):
    with pytest.raises(FileRejected, match="không tìm thấy"):
        open_source(tmp_path / "nope.csv", REQUIRED, OPTIONAL)


def test_duplicate_header_columns_are_rejected(tmp_path):
    with pytest.raises(FileRejected, match="lặp"):
        open_source(_write(tmp_path, b"code,name,code\n1,2,3\n"), REQUIRED, OPTIONAL)
