"""Content Credentials: sign the exported MP4 with a C2PA manifest, offline.

This module owns the optional signature of the final video. The manifest says the
video is a composite that contains AI-generated media (IPTC digital source type
``compositeWithTrainedAlgorithmicMedia``, or plain ``composite`` when no AI was used)
and lists every scene picture, voice and the music bed as ingredients, each marked
with what made it: ``trainedAlgorithmicMedia`` for an AI model, ``algorithmicMedia``
for non-AI automation (placeholder art, espeak-ng, procedural gamelan), nothing for
the creator's own photos and recordings. A ``org.studio-lokal.ai-usage`` assertion
carries the same disclosure sentence as the end card and the MP4 comment.

The certificate is the creator's (or their agency's): a PEM chain, signer first,
and its private key. c2pa-python refuses a self-signed *signer* certificate ("the
certificate is invalid"), so a test or workshop certificate must be issued by a CA,
even one made on the spot (``make_test_credentials``). No network is used: no time
stamp authority unless one is given, no OCSP or remote manifest fetches. After
signing, the file is read back and must validate, or the export fails.

c2pa-python is imported inside the functions that need it (a native library).
"""

from __future__ import annotations

import datetime
import json
import logging
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio import APP_NAME, __version__
from studio.core import ailog, storage
from studio.core.errors import EngineFailed, Problem
from studio.core.hashing import file_sha256
from studio.core.jobs import JobContext
from studio.core.project import Project

log = logging.getLogger(__name__)

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
COMPOSITE_WITH_AI = IPTC + "compositeWithTrainedAlgorithmicMedia"
COMPOSITE = IPTC + "composite"
TRAINED = IPTC + "trainedAlgorithmicMedia"
ALGORITHMIC = IPTC + "algorithmicMedia"
AI_USAGE_LABEL = "org.studio-lokal.ai-usage"
_OFFLINE = {"verify": {"ocsp_fetch": False, "remote_manifest_fetch": False},
            "builder": {"thumbnail": {"enabled": False}}}
_ALGS = {"secp256r1": "es256", "secp384r1": "es384", "secp521r1": "es512"}


@dataclass(frozen=True)
class SigningKey:
    """The creator's signing credentials (never copied into the project or the bundle)."""

    certificate: Path
    """PEM file: the signer's certificate first, then the certificates that issued it."""
    private_key: Path
    """PEM file with the signer's private key, not password-protected."""
    tsa_url: str = ""
    """A time-stamp authority URL; empty (the default) keeps signing offline."""
    trust_anchors: Path | None = None
    """PEM of the CA(s) to trust when reading back (e.g. the agency's own CA)."""


@dataclass(frozen=True)
class Ingredient:
    """One media file of the video, as listed in the manifest."""

    path: Path
    title: str
    step: str
    scene_index: int | None
    digital_source_type: str | None
    description: str
    label: str
    mime: str


# ------------------------------------------------------------------ credentials


def _load(key: SigningKey) -> tuple[list[Any], Any]:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    certs = x509.load_pem_x509_certificates(Path(key.certificate).read_bytes())
    private = serialization.load_pem_private_key(Path(key.private_key).read_bytes(), password=None)
    return certs, private


def algorithm(private_key: Any) -> str:
    """The C2PA signing algorithm for a key (``es256`` for an EC P-256 key, ...)."""
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if isinstance(private_key, ec.EllipticCurvePrivateKey):
        alg = _ALGS.get(private_key.curve.name)
        if alg:
            return alg
    if isinstance(private_key, rsa.RSAPrivateKey):
        return "ps256"
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        return "ed25519"
    raise ValueError(f"unsupported key type {type(private_key).__name__}")


def preflight(key: SigningKey) -> list[Problem]:
    """What stops signing with ``key``, in words; ``[]`` when it can sign. Cheap, offline."""
    try:
        import c2pa  # noqa: F401
    except ImportError:
        return [Problem("Signing needs the c2pa-python package; install it with: pip install c2pa-python.",
                        "Tanda tangan C2PA memerlukan paket c2pa-python; pasang dengan: pip install "
                        "c2pa-python.")]
    cert_path, key_path = Path(key.certificate), Path(key.private_key)
    for path, en, idn in ((cert_path, "certificate", "sertifikat"), (key_path, "private key", "kunci privat")):
        if not path.is_file():
            return [Problem(f"The {en} file {path} does not exist.", f"Berkas {idn} {path} tidak ada.")]
    try:
        certs, private = _load(key)
    except TypeError:
        return [Problem(f"The private key {key_path.name} is protected by a password; export it without "
                        "one for signing (keep that file safe).",
                        f"Kunci privat {key_path.name} dilindungi kata sandi; simpan salinan tanpa kata "
                        "sandi untuk menandatangani (jaga berkas itu baik-baik).")]
    except ValueError:
        # cryptography's own message is a FAQ link for developers; name the file instead.
        from cryptography import x509

        try:
            x509.load_pem_x509_certificates(cert_path.read_bytes())
            bad, en, idn = key_path, "private key", "kunci privat"
        except ValueError:
            bad, en, idn = cert_path, "certificate", "sertifikat"
        return [Problem(f"The {en} file {bad.name} is not a PEM {en} (it should start with "
                        "\"-----BEGIN\"); choose the right file.",
                        f"Berkas {idn} {bad.name} bukan {idn} PEM (seharusnya diawali \"-----BEGIN\"); "
                        "pilih berkas yang benar.")]
    problems: list[Problem] = []
    leaf = certs[0]
    try:
        algorithm(private)
    except ValueError:
        problems.append(Problem("The key type is not supported; use an EC P-256 (ES256), P-384, RSA or "
                                "Ed25519 key.",
                                "Jenis kunci tidak didukung; pakai kunci EC P-256 (ES256), P-384, RSA atau "
                                "Ed25519."))
    from cryptography.hazmat.primitives import serialization

    def public(obj: Any) -> bytes:
        return obj.public_bytes(serialization.Encoding.DER,
                                serialization.PublicFormat.SubjectPublicKeyInfo)

    if public(leaf.public_key()) != public(private.public_key()):
        problems.append(Problem("The private key does not belong to the certificate (the first one in "
                                f"{cert_path.name}).",
                                f"Kunci privat bukan pasangan sertifikat (yang pertama di {cert_path.name})."))
    now = datetime.datetime.now(datetime.timezone.utc)
    if not (leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc):
        until = leaf.not_valid_after_utc.date().isoformat()
        problems.append(Problem(f"The certificate is not valid today (valid until {until}); renew it.",
                                f"Sertifikat tidak berlaku hari ini (berlaku sampai {until}); perbarui."))
    if leaf.issuer == leaf.subject:
        problems.append(Problem(
            "The certificate is self-signed; C2PA refuses a self-signed signer. Use a certificate "
            "issued by a certificate authority (your agency's own CA is fine) and put the CA's "
            "certificate after yours in the same file.",
            "Sertifikat ini ditandatangani sendiri (self-signed); C2PA menolaknya. Pakai sertifikat "
            "yang diterbitkan otoritas sertifikat (CA milik instansi pun boleh) dan taruh sertifikat "
            "CA itu sesudah sertifikat Anda di berkas yang sama."))
    return problems


def make_test_credentials(folder: Path, common_name: str, organisation: str = "",
                          days: int = 30) -> SigningKey:
    """A throw-away CA and an ES256 signer certificate it issued, for tests and workshops.

    Signatures made with it validate but are not trusted by anyone (the CA is ours).
    Files: ``signer-chain.pem`` (signer + CA), ``signer-key.pem``, ``test-ca.pem``.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    # ``days`` <= 0 makes an already expired certificate (to test that it is refused).
    start = now - datetime.timedelta(hours=1) if days > 0 else now + datetime.timedelta(days=days - 2)

    def name(cn: str) -> x509.Name:
        attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
        if organisation:
            attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
        return x509.Name(attrs)

    def usage(signer: bool) -> x509.KeyUsage:
        return x509.KeyUsage(digital_signature=signer, content_commitment=False, key_encipherment=False,
                             data_encipherment=False, key_agreement=False, key_cert_sign=not signer,
                             crl_sign=not signer, encipher_only=False, decipher_only=False)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = name(f"{common_name} test CA")
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(start)
          .not_valid_after(now + datetime.timedelta(days=days + 1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(usage(False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder().subject_name(name(common_name)).issuer_name(ca_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(now + datetime.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage(True), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    chain, key_file, ca_file = folder / "signer-chain.pem", folder / "signer-key.pem", folder / "test-ca.pem"
    storage.atomic_write_bytes(chain, leaf.public_bytes(pem) + ca.public_bytes(pem))
    storage.atomic_write_bytes(key_file, key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                           serialization.NoEncryption()))
    storage.atomic_write_bytes(ca_file, ca.public_bytes(pem))
    return SigningKey(certificate=chain, private_key=key_file, trust_anchors=ca_file)


# ------------------------------------------------------------------ manifest


def _kind(actor: str | None) -> str | None:
    return {"ai": TRAINED, "declared": TRAINED, "tool": ALGORITHMIC}.get(actor or "")


def ingredients_for(project: Project, root: Path, records: Sequence[ailog.AiRecord]) -> list[Ingredient]:
    """Every scene picture and voice and the music bed, with the digital source type the AI
    log supports (the latest record that made each one decides)."""
    root = Path(root)
    current = ailog.current_records(records, [s.id for s in project.scenes])
    maker: dict[tuple[str, str | None], ailog.AiRecord] = {}
    for rec in current:
        if rec.action in ("generate", "regenerate", "replace", "import", "record"):
            maker[(rec.step, rec.scene_id)] = rec
    out: list[Ingredient] = []

    def add(rel: str, step: str, scene_index: int | None, rec: ailog.AiRecord | None, what: str) -> None:
        try:
            path = storage.resolve_in(root, rel)
        except storage.UnsafePathError:
            return
        if not path.is_file():
            return
        if rec is None:
            how = "asal tidak tercatat"
        elif rec.actor == "human":
            how = "karya kreator"
        else:
            how = f"dibuat dengan {ailog.tool_label(rec.tool or rec.engine, rec.model)}" + (
                f", seed {rec.seed}" if rec.seed is not None else "") + (
                " (dinyatakan pembuat)" if rec.actor == "declared" else "")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        mime = {"audio/x-wav": "audio/wav"}.get(mime, mime)
        out.append(Ingredient(path=path, title=path.name, step=step, scene_index=scene_index,
                              digital_source_type=_kind(rec.actor if rec else None),
                              description=f"{what}: {how}", label=f"{step}-{len(out) + 1}", mime=mime))

    for i, scene in enumerate(project.scenes, start=1):
        if scene.image is not None:
            rec = maker.get(("images", scene.id))
            if rec is None and scene.image.origin in ("ai", "generated", "own"):
                actor = {"ai": "ai", "generated": "tool", "own": "human"}[scene.image.origin]
                rec = ailog.AiRecord(step="images", action="generate", actor=actor,  # type: ignore[arg-type]
                                     engine=scene.image.engine, model=scene.image.model)
            add(scene.image.path, "images", i, rec, f"Gambar adegan {i}")
        if scene.voice is not None:
            add(scene.voice.path, "voice", i, maker.get(("voice", scene.id)), f"Suara adegan {i}")
    if project.music.source != "none" and project.music.path:
        add(project.music.path, "music", None, maker.get(("music", None)), "Musik latar")
    return out


def build_manifest(project: Project, records: Sequence[ailog.AiRecord], ingredients: Sequence[Ingredient],
                   title: str) -> dict[str, Any]:
    """The manifest definition (before ingredients are attached)."""
    current = ailog.current_records(records, [s.id for s in project.scenes])
    used_ai = bool(ailog.steps_with_ai(current))
    actions: list[dict[str, Any]] = [{
        "action": "c2pa.created",
        "digitalSourceType": COMPOSITE_WITH_AI if used_ai else COMPOSITE,
        "softwareAgent": {"name": APP_NAME, "version": __version__},
        "description": ailog.disclosure_text(current, "en"),
    }]
    for ing in ingredients:
        action: dict[str, Any] = {"action": "c2pa.placed",
                                  "parameters": {"ingredientIds": [ing.label], "description": ing.description}}
        if ing.digital_source_type:
            action["digitalSourceType"] = ing.digital_source_type
        actions.append(action)
    tools = [{"tool": tool, "model": model, "steps": steps} for tool, model, steps in ailog.ai_tools(current)]
    tools += [{"tool": tool, "model": model, "steps": steps, "declared_by_creator": True}
              for tool, model, steps in ailog.declared_tools(current)]
    b = project.brief
    return {
        "claim_generator_info": [{"name": APP_NAME, "version": __version__}],
        "title": title,
        "format": "video/mp4",
        "assertions": [
            {"label": "c2pa.actions", "data": {"actions": actions}},
            {"label": AI_USAGE_LABEL, "data": {
                "disclosure_id": ailog.disclosure_text(current, "id"),
                "disclosure_en": ailog.disclosure_text(current, "en"),
                "ai_tools": tools, "creator": b.creator, "agency": b.agency, "title": b.title,
                "region": b.region, "theme": b.theme, "report": "laporan-ai.json"}},
        ],
    }


# ------------------------------------------------------------------ sign and verify


def _context(extra: dict[str, Any] | None = None) -> Any:
    import c2pa

    settings = json.loads(json.dumps(_OFFLINE))
    for key, value in (extra or {}).items():
        settings.setdefault(key, {}).update(value)
    return c2pa.Context.from_dict(settings)


def sign_video(src: Path, dst: Path, key: SigningKey, manifest: dict[str, Any],
               ingredients: Sequence[Ingredient], ctx: JobContext) -> None:
    """Write ``src`` signed with ``manifest`` to ``dst`` (atomically; ``dst`` never partial)."""
    import c2pa

    certs_pem = Path(key.certificate).read_bytes()
    key_pem = Path(key.private_key).read_bytes()
    _, private = _load(key)
    alg = algorithm(private).encode()
    ctx.check()
    try:
        signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(alg, certs_pem, key_pem,
                                                           key.tsa_url.encode() if key.tsa_url else None))
        builder = c2pa.Builder(manifest, _context())
        for ing in ingredients:
            ctx.check()
            meta = {"title": ing.title, "relationship": "componentOf", "label": ing.label,
                    "description": ing.description}
            with open(ing.path, "rb") as f:
                builder.add_ingredient(meta, ing.mime, f)
        with storage.atomic_output(Path(dst)) as part, open(src, "rb") as fin, open(part, "w+b") as fout:
            builder.sign(signer, "video/mp4", fin, fout)
    except c2pa.C2paError as exc:
        raise EngineFailed(
            f"The video could not be signed with Content Credentials: {exc}. The certificate must be "
            "issued by a certificate authority (not self-signed), allow digital signatures and "
            "match the key.",
            f"Video tidak bisa ditandatangani dengan Content Credentials: {exc}. Sertifikat harus "
            "diterbitkan otoritas sertifikat (bukan self-signed), boleh dipakai untuk tanda tangan "
            "digital, dan cocok dengan kuncinya.", details=repr(exc)) from exc
    ctx.check()


def read_credentials(path: Path, trust_anchors: Path | None = None) -> dict[str, Any] | None:
    """The active manifest of a signed file, summarised; None when it carries none.

    Keys: ``manifest`` (label), ``validation_state`` (``Valid``, ``Trusted`` or ``Invalid``),
    ``failures`` (validation codes), ``signer``, ``issuer``, ``algorithm``,
    ``digital_source_type`` (of the ``c2pa.created`` action), ``ingredients`` (title,
    digital source type of the action that placed it), ``ai_usage`` (our assertion).
    """
    import c2pa

    extra = None
    if trust_anchors is not None:
        extra = {"trust": {"user_anchors": Path(trust_anchors).read_text(encoding="utf-8")},
                 "verify": {"verify_trust": True}}
    reader = c2pa.Reader.try_create(str(path), context=_context(extra))
    if reader is None:
        return None
    try:
        manifest = reader.get_active_manifest()
        if manifest is None:
            return None
        state = reader.get_validation_state() or ""
        results = reader.get_validation_results() or {}
    finally:
        reader.close()
    failures = [f.get("code", "") for f in (results.get("activeManifest") or {}).get("failure", [])]
    created = None
    placed: dict[str, str | None] = {}
    usage: dict[str, Any] = {}
    for assertion in manifest.get("assertions", []):
        label = assertion.get("label", "")
        if label.startswith("c2pa.actions"):
            for action in assertion.get("data", {}).get("actions", []):
                if action.get("action") == "c2pa.created":
                    created = action.get("digitalSourceType")
                for ref in (action.get("parameters") or {}).get("ingredients", []):
                    placed[ref.get("url", "").rsplit("/", 1)[-1]] = action.get("digitalSourceType")
        elif label == AI_USAGE_LABEL:
            usage = assertion.get("data", {})
    ingredients = [{"title": ing.get("title", ""), "format": ing.get("format", ""),
                    "description": ing.get("description", ""),
                    "digital_source_type": placed.get(ing.get("label", ""))}
                   for ing in manifest.get("ingredients", [])]
    sig = manifest.get("signature_info") or {}
    return {"manifest": manifest.get("label", ""), "validation_state": state, "failures": failures,
            "signer": sig.get("common_name", ""), "issuer": sig.get("issuer", ""),
            "algorithm": str(sig.get("alg", "")), "digital_source_type": created or "",
            "ingredients": ingredients, "ai_usage": usage, "title": manifest.get("title", "")}


def sign_export(project: Project, root: Path, records: Sequence[ailog.AiRecord], src: Path, dst: Path,
                key: SigningKey, ctx: JobContext) -> dict[str, Any]:
    """Sign ``src`` into ``dst`` for the export bundle, read it back, and return the summary the
    AI-usage report carries (``content_credentials``). Raises EngineFailed if the signature
    does not validate."""
    problems = preflight(key)
    if problems:
        raise EngineFailed("Content Credentials cannot be signed: " + " ".join(problems),
                           "Content Credentials tidak bisa ditandatangani: "
                           + " ".join(p.text("id") for p in problems))
    ingredients = ingredients_for(project, root, records)
    manifest = build_manifest(project, records, ingredients, Path(dst).name)
    sign_video(Path(src), Path(dst), key, manifest, ingredients, ctx)
    read = read_credentials(Path(dst), key.trust_anchors)
    if read is None or read["validation_state"] not in ("Valid", "Trusted"):
        Path(dst).unlink(missing_ok=True)
        state = "no manifest" if read is None else f"{read['validation_state']} ({', '.join(read['failures'])})"
        raise EngineFailed(f"The signed video did not validate when read back: {state}. Nothing was exported.",
                           f"Video yang ditandatangani tidak lolos verifikasi saat dibaca ulang: {state}. "
                           "Tidak ada yang diekspor.")
    made = {i.title: i for i in ingredients}
    rows = []
    for ing in read["ingredients"]:
        mine = made.get(ing["title"])
        rows.append({"title": ing["title"], "step": mine.step if mine else "",
                     "scene_index": mine.scene_index if mine else None,
                     "digital_source_type": ing["digital_source_type"],
                     "sha256": file_sha256(mine.path) if mine else ""})
    return {
        "standard": "C2PA",
        "manifest": read["manifest"],
        "digital_source_type": read["digital_source_type"],
        "signer": read["signer"], "issuer": read["issuer"], "algorithm": read["algorithm"],
        "validation_state": read["validation_state"],
        "ingredients": rows,
    }
