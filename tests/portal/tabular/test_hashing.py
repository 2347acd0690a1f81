"""A file's SHA-256, from a path or from a stream that is read again afterwards."""

import hashlib
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from portal.tabular import file_sha256

DATA = b"sku,brand\r\n" * 200_000  # more than one read chunk
DIGEST = hashlib.sha256(DATA).hexdigest()


def test_it_hashes_a_path(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_bytes(DATA)
    assert file_sha256(path) == file_sha256(str(path)) == DIGEST


def test_it_hashes_a_stream_from_its_start_and_rewinds_it():
    stream = io.BytesIO(DATA)
    stream.seek(100)
    assert file_sha256(stream) == DIGEST
    assert stream.tell() == 0


def test_it_hashes_an_upload_that_is_then_stored_whole():
    upload = SimpleUploadedFile("catalog.csv", DATA)
    assert file_sha256(upload) == DIGEST
    assert upload.read() == DATA
