"""Build a tiny random StableDiffusionPipeline on disk, for tests of the real diffusers path.

No model hub is reachable from the build machines, so tests build a ~6 MB pipeline
with random weights (recipe: research/feasibility-ai.md §5a) and load it back
through the same loader the app uses. Import this module from any test:

    from tiny_diffusers import tiny_sd_folder
    folder = tiny_sd_folder(tmp_path_factory.mktemp("models"))

transformers 5 trap: ``CLIPTokenizer(vocab_file=..., merges_file=...)`` is silently
ignored, so the tokenizer is written as vocab.json + merges.txt and loaded with
``from_pretrained(folder)``.
"""

from __future__ import annotations

import json
from pathlib import Path

README = """---
license: mit
tags:
- test
---
# tiny-random-sd

A tiny Stable Diffusion pipeline with random weights, built by the Studio Lokal tests.
"""


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2/CLIP's reversible byte → printable character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs)))


def _write_tokenizer(folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    chars = list(_bytes_to_unicode().values())
    vocab: dict[str, int] = {}
    for ch in chars:
        vocab[ch] = len(vocab)
    for ch in chars:
        vocab[ch + "</w>"] = len(vocab)
    merges = [("w", "e"), ("t", "o"), ("n</w>", "j"), ("a", "w")]
    for a, b in merges:
        vocab.setdefault(a + b, len(vocab))
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    (folder / "merges.txt").write_text("#version: 0.2\n" + "\n".join(f"{a} {b}" for a, b in merges) + "\n",
                                       encoding="utf-8")
    return len(vocab)


def build_tiny_sd(folder: Path, *, with_readme: bool = True, safety: str | None = None,
                  variant: str | None = None) -> Path:
    """Build, save and return ``folder`` holding a tiny StableDiffusionPipeline.

    ``safety="flag"`` / ``"pass"`` adds a tiny ``StableDiffusionSafetyChecker`` whose
    thresholds make it flag every image / none (random weights cannot be relied on
    either way). ``variant="fp16"`` saves only ``*.fp16.*`` weight files, as the hub's
    smaller downloads are.
    """
    import torch
    from diffusers import AutoencoderKL, DDIMScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    folder = Path(folder)
    torch.manual_seed(0)
    tok_dir = folder.parent / (folder.name + "-tokenizer-src")
    vocab_size = _write_tokenizer(tok_dir)
    tokenizer = CLIPTokenizer.from_pretrained(str(tok_dir), model_max_length=77)
    unet = UNet2DConditionModel(
        block_out_channels=(32, 64), layers_per_block=1, sample_size=32, in_channels=4, out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"), cross_attention_dim=32, attention_head_dim=8)
    vae = AutoencoderKL(
        block_out_channels=[32, 64], in_channels=3, out_channels=3,
        down_block_types=["DownEncoderBlock2D", "DownEncoderBlock2D"],
        up_block_types=["UpDecoderBlock2D", "UpDecoderBlock2D"], latent_channels=4)
    text_encoder = CLIPTextModel(CLIPTextConfig(
        bos_token_id=vocab_size - 2, eos_token_id=vocab_size - 1, hidden_size=32, intermediate_size=37,
        layer_norm_eps=1e-05, num_attention_heads=4, num_hidden_layers=2, pad_token_id=1,
        vocab_size=vocab_size, max_position_embeddings=77))
    scheduler = DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                              clip_sample=False, set_alpha_to_one=False, steps_offset=1)
    checker = extractor = None
    if safety is not None:
        from diffusers.pipelines.stable_diffusion.safety_checker import StableDiffusionSafetyChecker
        from transformers import CLIPConfig, CLIPImageProcessor

        checker = StableDiffusionSafetyChecker(CLIPConfig(
            text_config=dict(hidden_size=16, intermediate_size=32, num_attention_heads=2, num_hidden_layers=1,
                             vocab_size=100, max_position_embeddings=16, bos_token_id=0, eos_token_id=1),
            vision_config=dict(hidden_size=16, intermediate_size=32, num_attention_heads=2, num_hidden_layers=1,
                               image_size=32, patch_size=8), projection_dim=8))
        with torch.no_grad():
            checker.concept_embeds_weights.fill_(-100.0 if safety == "flag" else 100.0)
            checker.special_care_embeds_weights.fill_(100.0)
        extractor = CLIPImageProcessor(size={"shortest_edge": 32}, crop_size={"height": 32, "width": 32})
    pipe = StableDiffusionPipeline(unet=unet, vae=vae, text_encoder=text_encoder, tokenizer=tokenizer,
                                   scheduler=scheduler, safety_checker=checker, feature_extractor=extractor,
                                   requires_safety_checker=safety is not None)
    pipe.save_pretrained(str(folder), variant=variant)
    if with_readme:
        (folder / "README.md").write_text(README, encoding="utf-8")
    return folder


def build_tiny_taesd(folder: Path) -> Path:
    """A tiny ``AutoencoderTiny`` (the TAESD architecture) matching the tiny pipeline's latents (4 channels, ×2)."""
    import torch
    from diffusers import AutoencoderTiny

    torch.manual_seed(1)
    vae = AutoencoderTiny(encoder_block_out_channels=(16, 16), decoder_block_out_channels=(16, 16),
                          num_encoder_blocks=(1, 1), num_decoder_blocks=(1, 1), latent_channels=4)
    vae.save_pretrained(str(folder))
    return Path(folder)


def tiny_sd_folder(parent: Path, name: str = "tiny-random-sd") -> Path:
    """The tiny pipeline under ``parent/name``, built once per parent folder."""
    folder = Path(parent) / name
    if not (folder / "model_index.json").is_file():
        build_tiny_sd(folder)
    return folder
