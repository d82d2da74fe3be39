"""Content Credentials on the exported MP4: signed offline with a certificate made here,
read back with c2pa's own Reader, and refused clearly when the certificate cannot sign."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from media_samples import sample
from test_export import make_project

from studio.core import ailog
from studio.core.errors import EngineFailed
from studio.core.jobs import JobContext
from studio.core.project import ImageAsset
from studio.engines.support.wav import write_wav
from studio.pipeline.checks import check_export, check_file
from studio.pipeline.export.bundle import CHECKSUMS, export_bundle
from studio.pipeline.export.sign import (
    ALGORITHMIC,
    COMPOSITE_WITH_AI,
    TRAINED,
    SigningKey,
    make_test_credentials,
    preflight,
    read_credentials,
    sign_video,
)
from studio.pipeline.media.probe import probe_media
from studio.pipeline.report.build import validate_report

c2pa = pytest.importorskip("c2pa")


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> SigningKey:
    return make_test_credentials(tmp_path_factory.mktemp("kunci"), "Sri Lestari", "Dinas Kebudayaan DIY")


def project_with_media(root: Path):
    """test_export's 9-scene project, with real voice files and scene 2 replaced by the creator's photo."""
    project = make_project(root)
    for i, scene in enumerate(project.scenes):
        tone = 0.3 * np.sin(np.arange(22050) * 2 * np.pi * (200 + 20 * i) / 22050)
        write_wav(root / scene.voice.path, tone.astype(np.float32), 22050)
    own = project.scenes[1]
    photo = root / "images" / "foto-sendiri.jpg"
    shutil.copy(root / "images" / "scene-1.png", photo.with_suffix(".png"))
    from PIL import Image

    with Image.open(photo.with_suffix(".png")) as img:
        img.convert("RGB").save(photo, quality=90)
    own.image = ImageAsset(path="images/foto-sendiri.jpg", origin="own")
    ailog.append(root, ailog.AiRecord(step="images", action="replace", actor="human", scene_id=own.id,
                                      tool="Kreator", note="Foto milik kreator"))
    return project


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, key: SigningKey):
    root = tmp_path_factory.mktemp("c2pa") / "proyek"
    project = project_with_media(root)
    video = root / "render" / "weton.mp4"
    shutil.copy(sample("ok"), video)
    findings, facts = check_export(project, root, video)
    result = export_bundle(project, root, JobContext("export"), video=video, findings=findings,
                           facts=facts, signing=key)
    return root, project, result, video


def test_the_bundle_mp4_is_signed_and_reads_back_trusted(signed, key: SigningKey) -> None:
    root, project, result, video = signed
    cred = result.credentials
    assert cred is not None and cred["standard"] == "C2PA"
    assert cred["validation_state"] == "Trusted"  # our test CA was given as the trust anchor
    assert cred["digital_source_type"] == COMPOSITE_WITH_AI
    assert (cred["signer"], cred["issuer"]) == ("Sri Lestari", "Dinas Kebudayaan DIY")

    # Read back independently with c2pa's Reader, as a jury's tool would.
    read = read_credentials(result.video, key.trust_anchors)
    assert read["validation_state"] == "Trusted" and read["failures"] == []
    kinds = {(i["title"], i["digital_source_type"]) for i in read["ingredients"]}
    images = {t: k for t, k in kinds if t.endswith((".png", ".jpg"))}
    voices = {t: k for t, k in kinds if t.endswith(".wav")}
    # AI pictures are trainedAlgorithmicMedia; the creator's own photo carries no AI claim;
    # espeak-ng voices are algorithmic (rule-based), not AI.
    assert len(images) == 9 and len(voices) == 9
    assert images.pop("foto-sendiri.jpg") is None
    assert set(images.values()) == {TRAINED}
    assert set(voices.values()) == {ALGORITHMIC}
    report = json.loads(result.report_json.read_text(encoding="utf-8"))
    assert read["ai_usage"]["disclosure_id"] == report["disclosure"]["id"]
    assert read["ai_usage"]["creator"] == "Sri Lestari"

    # Without the anchor the signature is still valid, but its issuer is unknown.
    plain = read_credentials(result.video)
    assert plain["validation_state"] == "Valid" and plain["failures"] == ["signingCredential.untrusted"]
    # The rendered video itself is untouched; only the bundle's copy is signed.
    assert read_credentials(video) is None


def test_the_signed_file_still_meets_the_rules_and_the_report_says_so(signed) -> None:
    root, project, result, video = signed
    facts = probe_media(result.video, loudness=False)
    assert facts.faststart is True and facts.duration == pytest.approx(60.5, abs=0.05)
    assert [f.rule for f in check_file(result.video, project.preset) if f.blocks] == []
    report = json.loads(result.report_json.read_text(encoding="utf-8"))
    validate_report(report)
    cred = report["content_credentials"]
    assert cred == json.loads(json.dumps(result.credentials))
    by_title = {i["title"]: i for i in cred["ingredients"]}
    assert by_title["foto-sendiri.jpg"]["step"] == "images" and by_title["foto-sendiri.jpg"]["scene_index"] == 2
    files = {f["name"]: f["sha256"] for f in report["files"]}
    import hashlib

    assert files[result.video.name] == hashlib.sha256(result.video.read_bytes()).hexdigest()
    sums = dict(line.split("  ")[::-1] for line in (result.folder / CHECKSUMS).read_text().splitlines())
    assert sums[result.video.name] == files[result.video.name]
    page = result.report_html.read_text(encoding="utf-8")
    assert "Kredensial Konten (C2PA)" in page and "Sri Lestari (Dinas Kebudayaan DIY)" in page
    assert "Content Credentials (C2PA) oleh Sri Lestari" in (result.folder / "README.txt").read_text()


def test_no_key_material_in_the_bundle(signed, key: SigningKey) -> None:
    _, _, result, _ = signed
    secret = Path(key.private_key).read_bytes()
    body = b"".join(l for l in secret.splitlines() if not l.startswith(b"-----"))
    for path in result.folder.iterdir():
        assert body[:40] not in path.read_bytes(), path.name


def test_a_changed_video_no_longer_validates(signed, tmp_path: Path) -> None:
    _, _, result, _ = signed
    data = bytearray(result.video.read_bytes())
    middle = len(data) * 3 // 4  # inside the media data
    data[middle:middle + 16] = bytes(255 - b for b in data[middle:middle + 16])
    changed = tmp_path / "diubah.mp4"
    changed.write_bytes(bytes(data))
    read = read_credentials(changed)
    assert read["validation_state"] == "Invalid"
    assert any("mismatch" in code for code in read["failures"]), read["failures"]


def test_a_self_signed_certificate_is_refused_with_a_reason(tmp_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sri Lestari")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private.public_key())
            .serial_number(1).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30)).sign(private, hashes.SHA256()))
    cert_file, key_file = tmp_path / "self.pem", tmp_path / "self-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    self_signed = SigningKey(cert_file, key_file)
    (problem,) = preflight(self_signed)
    assert "self-signed" in problem and "ditandatangani sendiri (self-signed)" in problem.text("id")

    # What c2pa itself says when asked anyway (the preflight exists because of this).
    out = tmp_path / "signed.mp4"
    with pytest.raises(EngineFailed) as err:
        sign_video(sample("small_ok"), out, self_signed, {"claim_generator_info": [{"name": "t"}],
                                                          "title": "t", "format": "video/mp4"}, [],
                   JobContext("export"))
    assert "the certificate is invalid" in str(err.value)
    assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_export_with_an_unusable_key_leaves_nothing(tmp_path: Path, key: SigningKey) -> None:
    root = tmp_path / "p"
    project = make_project(root)
    video = root / "render" / "v.mp4"
    shutil.copy(sample("small_ok"), video)
    other = make_test_credentials(tmp_path / "lain", "Orang Lain")
    mismatched = SigningKey(key.certificate, other.private_key)
    with pytest.raises(EngineFailed) as err:
        export_bundle(project, root, JobContext("export"), video=video, findings=[], signing=mismatched)
    assert "does not belong to the certificate" in str(err.value)
    assert "bukan pasangan sertifikat" in err.value.text("id")
    assert list((root / "export").iterdir()) == []


def test_preflight_names_each_problem(tmp_path: Path, key: SigningKey) -> None:
    from cryptography.hazmat.primitives import serialization

    assert preflight(key) == []
    missing = preflight(SigningKey(tmp_path / "tidak-ada.pem", key.private_key))
    assert len(missing) == 1 and "does not exist" in missing[0]
    private = serialization.load_pem_private_key(Path(key.private_key).read_bytes(), password=None)
    locked = tmp_path / "terkunci.pem"
    locked.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                             serialization.BestAvailableEncryption(b"rahasia")))
    (problem,) = preflight(SigningKey(key.certificate, locked))
    assert "protected by a password" in problem and "kata sandi" in problem.text("id")
    expired = make_test_credentials(tmp_path / "kedaluwarsa", "Lama", days=-2)
    assert any("not valid today" in p for p in preflight(expired))


def test_cli_export_refuses_a_bad_key_before_rendering(tmp_path: Path, key: SigningKey,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from studio.cli import EXIT_INPUT, main

    root = tmp_path / "p"
    make_project(root)
    other = make_test_credentials(tmp_path / "lain", "Orang Lain")
    code = main(["export", str(root), "--sign", str(key.certificate), str(other.private_key)])
    err = capsys.readouterr().err
    assert code == EXIT_INPUT
    assert err.startswith("error: Content Credentials cannot be signed: The private key does not belong")
    assert list((root / "render").iterdir()) == []  # nothing was rendered
    assert not (root / "export").exists() or list((root / "export").iterdir()) == []
