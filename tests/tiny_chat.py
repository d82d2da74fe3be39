"""Build a tiny random chat model (Qwen2 architecture) on disk, for tests of the local LLM path.

No model hub is reachable from the build machines, so tests build a ~120 kB
``Qwen2ForCausalLM`` with random weights and a byte-level tokenizer with a ChatML
chat template, all offline, save it with ``save_pretrained`` and load it back through
the engine's own loader. Its answers are random bytes, which exercises the
repair/retry path to its clear failure.

``steer`` makes the same random model answer a fixed text: each piece becomes one
token of the vocabulary, and the model's saved ``generation_config.json`` carries a
``sequence_bias`` that makes each piece follow the previous one (and end-of-turn
follow the last). The weights stay random; only the decoding is steered, through a
file every real model folder also ships, so the success path (with a repairable
answer) runs through the real load → chat template → generate → stream → parse code.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

CHATML = ("{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
          "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")
NO_SYSTEM = ("{% for message in messages %}{% if message['role'] == 'system' %}"
             "{{ raise_exception('System role not supported') }}{% endif %}"
             "<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
             "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")
README = """---
license: apache-2.0
---
# tiny-random-chat

A tiny chat model with random weights, built by the Studio Lokal tests.
"""


def build_tiny_chat(folder: Path, *, steer: Sequence[str] = (), template: str | None = CHATML,
                    seed: int = 0, heads: int = 4) -> Path:
    """Build, save and return ``folder`` holding a tiny random chat model.

    ``heads=2`` gives heads 16 wide, the narrowest ONNX Runtime's GroupQueryAttention runs.
    """
    import torch
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM

    folder = Path(folder)
    alphabet = sorted(pre_tokenizers.ByteLevel.alphabet())
    vocab = {ch: i for i, ch in enumerate(alphabet)}
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    for s in specials:
        vocab[s] = len(vocab)
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>")
    if steer:
        tokenizer.add_tokens([AddedToken(p, special=False, normalized=False) for p in steer])
    if template is not None:
        tokenizer.chat_template = template
    tokenizer.save_pretrained(str(folder))
    eos = tokenizer.convert_tokens_to_ids("<|im_end|>")
    config = Qwen2Config(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=heads, num_key_value_heads=2, max_position_embeddings=32768,
                         eos_token_id=eos, pad_token_id=tokenizer.pad_token_id, bos_token_id=None,
                         tie_word_embeddings=True)
    torch.manual_seed(seed)
    model = Qwen2ForCausalLM(config)
    if steer:
        newline = tokenizer.encode("\n")[-1]  # the last token of "<|im_start|>assistant\n"
        chain = [newline] + [tokenizer.convert_tokens_to_ids(p) for p in steer] + [eos]
        model.generation_config.sequence_bias = [[[a, b], 100.0] for a, b in zip(chain, chain[1:], strict=False)]
    model.save_pretrained(str(folder))
    (folder / "README.md").write_text(README, encoding="utf-8")
    return folder
