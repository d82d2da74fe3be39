"""SD-Turbo's real shapes with random weights, saved as a diffusers folder (for the benches).

Compute does not depend on the weights, so a folder built from the published
configurations (UNet of SD 2.1 base, 866 M parameters; OpenCLIP ViT-H text encoder,
340 M; the SD VAE, 84 M, or TAESD, 2.4 M; Euler, trailing timesteps) times exactly
what the real model would. Built once per folder and reused (``studio-bench.json``
is written last, so a half-saved folder is rebuilt).

    python tests/bench/sd_turbo_shapes.py /tmp/models/sd-turbo-shapes [--vae tiny|full]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ for tiny_diffusers

DONE = "studio-bench.json"


def build_pipeline(dtype_name: str = "float32", vae_kind: str = "tiny"):
    """The StableDiffusionPipeline (in memory) with SD-Turbo's architecture, built in ``dtype``."""
    import torch
    from diffusers import (
        AutoencoderKL,
        AutoencoderTiny,
        EulerDiscreteScheduler,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from tiny_diffusers import _write_tokenizer
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    dtype = {"bfloat16": torch.bfloat16, "float32": torch.float32}[dtype_name]
    torch.manual_seed(0)
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)  # parameters are created in the variant's dtype: no fp32 copy in memory
    try:
        unet = UNet2DConditionModel(
            sample_size=64, in_channels=4, out_channels=4, block_out_channels=(320, 640, 1280, 1280),
            layers_per_block=2, cross_attention_dim=1024, attention_head_dim=(5, 10, 20, 20),
            use_linear_projection=True,
            down_block_types=("CrossAttnDownBlock2D",) * 3 + ("DownBlock2D",),
            up_block_types=("UpBlock2D",) + ("CrossAttnUpBlock2D",) * 3)
        text = CLIPTextModel(CLIPTextConfig(
            vocab_size=49408, hidden_size=1024, intermediate_size=4096, num_hidden_layers=23,
            num_attention_heads=16, max_position_embeddings=77, hidden_act="gelu", projection_dim=512,
            bos_token_id=0, eos_token_id=2, pad_token_id=1))
        if vae_kind == "tiny":
            vae = AutoencoderTiny()  # the TAESD architecture
        else:
            vae = AutoencoderKL(
                in_channels=3, out_channels=3, latent_channels=4, block_out_channels=(128, 256, 512, 512),
                layers_per_block=2, down_block_types=("DownEncoderBlock2D",) * 4,
                up_block_types=("UpDecoderBlock2D",) * 4, sample_size=768)
    finally:
        torch.set_default_dtype(previous)
    tok_dir = Path(tempfile.mkdtemp()) / "tok"
    _write_tokenizer(tok_dir)
    tokenizer = CLIPTokenizer.from_pretrained(str(tok_dir), model_max_length=77)
    scheduler = EulerDiscreteScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear",
                                       timestep_spacing="trailing", prediction_type="epsilon", steps_offset=1)
    pipe = StableDiffusionPipeline(unet=unet.eval(), vae=vae.eval(), text_encoder=text.eval(), tokenizer=tokenizer,
                                   scheduler=scheduler, safety_checker=None, feature_extractor=None,
                                   requires_safety_checker=False)
    pipe.set_progress_bar_config(disable=True)
    return pipe


def sd_turbo_folder(folder: Path, vae_kind: str = "tiny") -> Path:
    """``folder`` holding the random-weight SD-Turbo-shaped diffusers pipeline (built once)."""
    import torch

    folder = Path(folder)
    done = folder / DONE
    if done.is_file() and json.loads(done.read_text(encoding="utf-8")).get("files") == "fp16":
        return folder
    # Saved as the hub's fp16 files, the ones the catalogue's sd-turbo downloads: a folder of
    # fp32 files made the torch engine's load (mapped fp32 + its bf16 copy) peak at 6.22 GB
    # against 3.85 GB from fp16 files, for the same 384×680 picture.
    pipe = build_pipeline("float32", vae_kind).to(torch.float16)
    pipe.save_pretrained(str(folder), variant="fp16")
    for stale in folder.glob("*/*.safetensors"):  # an older build's fp32 files
        if ".fp16." not in stale.name:
            stale.unlink()
    (folder / "README.md").write_text("---\nlicense: other\n---\n# SD-Turbo shapes, random weights (bench)\n",
                                      encoding="utf-8")
    (folder / DONE).write_text(json.dumps({"vae": vae_kind, "weights": "random", "files": "fp16"}), encoding="utf-8")
    return folder


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--vae", choices=("tiny", "full"), default="tiny")
    args = parser.parse_args()
    print(sd_turbo_folder(args.folder, args.vae))
