# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# (example-char-language-model)=
# # A Japanese character-level language model: LSTM against GRU on 吾輩は猫である
#
# - **What it shows:** a character-level language model, an `LSTM` and a `GRU` in Keras and in PyTorch, trained on a Japanese novel; perplexity on held-out text against a unigram baseline, training time and parameters, and text generated at two temperatures.
# - **Data:** 夏目漱石『吾輩は猫である』 (Natsume Sōseki, *I Am a Cat*, 1905–06, public domain) from Aozora Bunko, downloaded, checked against its SHA-256 and stripped of its markup by the code below.
# - **Run time:** under four minutes on a 2-core CPU at the size of the book (the foot of the page gives the time of this build); `python examples/char_language_model.py --quick` runs in seconds.
#
# Two of the tutorials this book grew out of leave this experiment undone.
# One trains an LSTM language model on Japanese Wikipedia, which is not available here; the other starts a character-level text generator in Keras and leaves it unfinished: its text and its window length `n_rnn` are never defined, and it builds its one-hot arrays with `np.bool`, which fails with NumPy 1.24 to 1.26 only: the name was deprecated in 1.20, removed in 1.24, and brought back in 2.0 as another name of the boolean type `np.bool_`.
# This page finishes that job on a novel of {glue:text}`char_language_model.py::n_chars:,d` characters.
# The script needs NumPy, pandas, Matplotlib, Keras, PyTorch and the book's package `gatedrnn`, from which it imports only what every page shares (the quick flag, the device, the settings of the frameworks); its data, models and training loops are all on this page.

# %%
import math
import re
import textwrap
import time
from collections import Counter

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch

from gatedrnn.aozora import clean_aozora, novel_bytes
from gatedrnn.book import QUICK, glue, progress, report, show, start_example

# The book builds this page at full size; `--quick` makes a smoke test of a few seconds.
SEED = 0
DEVICE = start_example()

# %% [markdown]
# ## The text
#
# Aozora Bunko publishes the novel as a zip archive holding one text file in Shift_JIS.
# The loader downloads the archive once with `keras.utils.get_file`, keeps the text file in the Keras cache (`~/.keras/datasets/aozora/`, or under `$KERAS_HOME`), and checks its size and SHA-256 every time it reads it.
# A file that does not match is an error that names the file, the expected hash and the hash found; the loader never falls back to other text.
# The machines that build this book are offline, so their build seeds the cache with the same bytes.
#
# The loader and the cleaning are in the book's package, in `gatedrnn.aozora`; this is the cleaning:
#
# ```{literalinclude} ../../src/gatedrnn/aozora.py
# :pyobject: clean_aozora
# ```

# %%
raw = novel_bytes()
text = clean_aozora(raw)
source = raw.decode("cp932")
markup = {
    "ruby": len(re.findall("《[^》]*》", source)),
    "notes": len(re.findall("［＃[^］]*］", source)),
}
n_distinct = len(set(text))
print(f"{len(raw):,} bytes of Shift_JIS, {len(text):,} characters after cleaning")
print(f"removed {markup['ruby']:,} ruby readings and {markup['notes']:,} notes")
print(text[:120])
glue("n_bytes", len(raw), display=False)
glue("n_chars", len(text), display=False)
glue("n_distinct", n_distinct, display=False)
glue("n_ruby", markup["ruby"], display=False)
glue("n_notes", markup["notes"], display=False)

# %% [markdown]
# ## Characters as indices
#
# The tutorial's pipeline listed the distinct characters, gave each an index, cut the text into every window of `n_rnn` characters with the character that follows as the target, and stored windows and targets as one-hot arrays.
# One-hot windows cost one byte for every window, position and character of the alphabet: with the {glue:text}`char_language_model.py::n_distinct:,d` distinct characters of this novel and windows of {glue:text}`char_language_model.py::seq_len:d` characters, that is {glue:text}`char_language_model.py::onehot_gb:,.0f` GB, for a model that learns from one target per window.
# The pipeline here keeps the text as one array of integer indices, and each training example is a window $x_1 \dots x_T$ with the targets $x_2 \dots x_{T+1}$: the model predicts the next character at every position, and an `Embedding` layer looks up each index instead of multiplying a one-hot vector.
#
# The novel is cut into three parts in its own order: the first {glue:text}`char_language_model.py::train_percent:d` % trains the models, the next {glue:text}`char_language_model.py::val_percent:d` %, {glue:text}`char_language_model.py::n_val:,d` characters, validates them, and the last {glue:text}`char_language_model.py::test_percent:d` %, {glue:text}`char_language_model.py::n_test:,d` characters, is the test text, scored once, at the end.
# The validation text picks the best model and the model that writes the samples; the test text decides nothing.
# The alphabet comes from the training text only.
# Characters seen fewer than {glue:text}`char_language_model.py::min_count:d` times there share one index, `<unk>`, which leaves {glue:text}`char_language_model.py::vocab:,d` symbols; {glue:text}`char_language_model.py::unk_percent:.2f` % of the test characters are `<unk>`.
# The threshold is a trade: the output layer scores every symbol at every position, so each symbol kept costs training time, and each symbol dropped adds to the `<unk>`s.
# Predicting one `<unk>` is easier than predicting the rare character it stands for, so the perplexities on this page hold only for this alphabet and cannot be compared with those of other papers, which treat rare characters in their own ways.

# %%
TRAIN_SHARE, VAL_SHARE = 0.8, 0.1  # the first 80 % trains, the next 10 % validates, the rest tests
MIN_COUNT = 10  # rarer characters become <unk>
SEQ_LEN = 64  # characters per training window
UNK = "<unk>"

split = int(len(text) * TRAIN_SHARE)
test_split = int(len(text) * (TRAIN_SHARE + VAL_SHARE))
train_text, val_text = text[:split], text[split:test_split]
counts = Counter(train_text)
alphabet = [UNK] + sorted(c for c, n in counts.items() if n >= MIN_COUNT)
char_to_index = {c: i for i, c in enumerate(alphabet)}
index_to_char = dict(enumerate(alphabet))


def encode(part: str) -> np.ndarray:
    return np.array([char_to_index.get(c, 0) for c in part], dtype=np.int32)


ids = encode(text)
train_ids, val_ids, test_ids = ids[:split], ids[split:test_split], ids[test_split:]
VOCAB = len(alphabet)
assert "".join(index_to_char[i] for i in encode("吾輩は猫である")) == "吾輩は猫である"

# The tutorial's one-hot arrays: a window and a target for every position, one byte per entry.
onehot_bytes = (len(text) - SEQ_LEN) * (SEQ_LEN + 1) * n_distinct
print(f"{VOCAB:,} symbols; one-hot windows of {SEQ_LEN} would take {onehot_bytes / 1e9:,.0f} GB")
glue("train_percent", round(TRAIN_SHARE * 100), display=False)
glue("val_percent", round(VAL_SHARE * 100), display=False)
glue("test_percent", round((1 - TRAIN_SHARE - VAL_SHARE) * 100), display=False)
glue("n_test", len(test_ids), display=False)
glue("min_count", MIN_COUNT, display=False)
glue("seq_len", SEQ_LEN, display=False)
glue("vocab", VOCAB, display=False)
glue("n_val", len(val_ids), display=False)
glue("unk_percent", float(np.mean(test_ids == 0)) * 100, display=False)
glue("onehot_gb", onehot_bytes / 1e9, display=False)

# %% [markdown]
# Perplexity is the exponential of the mean negative log-likelihood of the held-out characters, $\exp\left(-\frac{1}{N}\sum_t \ln p(x_t \mid x_{<t})\right)$: a model that spreads its bets evenly over $k$ symbols has perplexity $k$.
# The baseline ignores the context and predicts every character with its frequency in the training text (a unigram model).

# %%
unigram = np.bincount(train_ids, minlength=VOCAB) / len(train_ids)
baseline_perplexity = float(np.exp(-np.mean(np.log(unigram[val_ids]))))
print(f"unigram baseline: validation perplexity {baseline_perplexity:.1f}")
glue("baseline_perplexity", baseline_perplexity, display=False)
# Kept for the results table at the end; nothing before it looks at the test text.
baseline_test_perplexity = float(np.exp(-np.mean(np.log(unigram[test_ids]))))

# %% [markdown]
# ## The models
#
# Each model reads the indices through an `Embedding` of {glue:text}`char_language_model.py::embed:d` dimensions, runs one recurrent layer of {glue:text}`char_language_model.py::units:d` units over them, and maps the output at every step to one logit per symbol with a `Dense` (`Linear`) layer.
# All four train on the same {glue:text}`char_language_model.py::steps:,d` batches of {glue:text}`char_language_model.py::batch:d` windows drawn at random from the training text, {glue:text}`char_language_model.py::epochs_seen:.1f` passes over it, with Adam at a learning rate of {glue:text}`char_language_model.py::lr:g` and gradients clipped to a norm of 1.
# Two settings of the Keras models follow PyTorch, to keep the training of the two frameworks alike: the embedding starts from a standard normal distribution, PyTorch's default, instead of Keras' much smaller uniform one, and `global_clipnorm` clips all gradients together, as `clip_grad_norm_` does, where `clipnorm` would clip each on its own.
# The recurrent and output layers start from each framework's own default, so the Keras and PyTorch models of one kind do not start from the same weights.
#
# Scoring cuts the validation text, and then the test text, into windows of {glue:text}`char_language_model.py::seq_len:d` characters and feeds each one after the {glue:text}`char_language_model.py::seq_len:d` characters before it, so that every scored character is predicted from at least that much context; the context of the first window comes from the text before, and only the characters of the part being scored count.

# %%
EMBED, UNITS = 32, 128
BATCH_SIZE, LEARNING_RATE = 64, 4e-3
STEPS = 8 if QUICK else 250
rng = np.random.default_rng(SEED)
starts = rng.integers(0, len(train_ids) - SEQ_LEN - 1, size=(STEPS, BATCH_SIZE))
train_x = train_ids[starts[..., None] + np.arange(SEQ_LEN)]  # (steps, batch, time)
train_y = train_ids[starts[..., None] + np.arange(1, SEQ_LEN + 1)]


def scoring_windows(begin: int, end: int) -> tuple[np.ndarray, np.ndarray]:
    """Windows over ids[begin:end]: SEQ_LEN characters of context, then SEQ_LEN to score."""
    starts = np.arange(begin - SEQ_LEN, end - 2 * SEQ_LEN, SEQ_LEN)
    if QUICK:
        starts = starts[:16]
    return (
        ids[starts[:, None] + np.arange(2 * SEQ_LEN)],
        ids[starts[:, None] + np.arange(1, 2 * SEQ_LEN + 1)],
    )


val_windows = scoring_windows(split, test_split)
test_windows = scoring_windows(test_split, len(ids))
print(f"{STEPS} steps of {BATCH_SIZE} windows; {len(val_windows[0])} validation windows")
glue("embed", EMBED, display=False)
glue("units", UNITS, display=False)
glue("steps", STEPS, display=False)
glue("batch", BATCH_SIZE, display=False)
glue("lr", LEARNING_RATE, display=False)
glue("epochs_seen", STEPS * BATCH_SIZE * SEQ_LEN / len(train_ids), display=False)


def perplexity(logits_of, windows) -> float:
    """Perplexity on the scored half of ``windows``, the inputs and targets of scoring_windows.

    ``logits_of(windows)`` returns the logits of a batch of windows as a NumPy array.
    """
    x, y = windows
    total = 0.0
    for rows in np.array_split(np.arange(len(x)), max(1, len(x) // 64)):
        scored = logits_of(x[rows])[:, SEQ_LEN:].astype(np.float64)
        targets = y[rows, SEQ_LEN:]
        peak = scored.max(-1, keepdims=True)
        log_norm = np.log(np.exp(scored - peak).sum(-1)) + peak[..., 0]
        picked = np.take_along_axis(scored, targets[..., None], axis=-1)[..., 0]
        total += float(np.sum(log_norm - picked))
    return math.exp(total / y[:, SEQ_LEN:].size)


# %% [markdown]
# In Keras the model is a `Sequential` stack, trained with `fit` on the prepared batches in order.


# %%
def keras_model(kind: str) -> keras.Model:
    keras.utils.set_random_seed(SEED)
    recurrent = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[kind]
    model = keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            # PyTorch's default: embeddings drawn from N(0, 1), not Keras' U(-0.05, 0.05).
            keras.layers.Embedding(
                VOCAB, EMBED, embeddings_initializer=keras.initializers.RandomNormal(stddev=1.0)
            ),
            recurrent(UNITS, return_sequences=True),
            keras.layers.Dense(VOCAB),
        ]
    )
    model.compile(
        # global_clipnorm clips the norm of all gradients together, as clip_grad_norm_ does.
        optimizer=keras.optimizers.Adam(LEARNING_RATE, global_clipnorm=1.0),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def fit_keras(kind: str) -> dict:
    model = keras_model(kind)
    start = time.perf_counter()
    history = model.fit(
        train_x.reshape(-1, SEQ_LEN),
        train_y.reshape(-1, SEQ_LEN),
        batch_size=BATCH_SIZE,
        epochs=1,
        shuffle=False,
        verbose=0,
    )
    seconds = time.perf_counter() - start

    def logits_of(x):
        return keras.ops.convert_to_numpy(model(x))

    return {
        "model": model,
        "seconds": seconds,
        "parameters": model.count_params(),
        "mean training loss": float(history.history["loss"][-1]),
        "perplexity": perplexity(logits_of, val_windows),
        # Kept for the results table at the end; nothing before it looks at them.
        "test perplexity": perplexity(logits_of, test_windows),
    }


# %% [markdown]
# In PyTorch the same three layers form a module, trained by a loop over the same batches.


# %%
class CharModel(torch.nn.Module):
    def __init__(self, kind: str):
        super().__init__()
        recurrent = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
        self.embedding = torch.nn.Embedding(VOCAB, EMBED)
        self.rnn = recurrent(EMBED, UNITS, batch_first=True)
        self.head = torch.nn.Linear(UNITS, VOCAB)

    def forward(self, x, state=None):
        outputs, state = self.rnn(self.embedding(x), state)
        return self.head(outputs), state


def fit_torch(kind: str) -> dict:
    torch.manual_seed(SEED)
    model = CharModel(kind).to(DEVICE)
    optimizer = torch.optim.Adam(model.parameters(), lr=LEARNING_RATE)
    losses = []
    start = time.perf_counter()
    for x, y in zip(
        torch.from_numpy(train_x).long(), torch.from_numpy(train_y).long(), strict=True
    ):
        x, y = x.to(DEVICE), y.to(DEVICE)
        logits, _ = model(x)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, VOCAB), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
    seconds = time.perf_counter() - start
    model.eval()

    def logits_of(x):
        with torch.no_grad():
            return model(torch.from_numpy(x).long().to(DEVICE))[0].cpu().numpy()

    return {
        "model": model,
        "seconds": seconds,
        "parameters": sum(p.numel() for p in model.parameters()),
        # Keras reports the mean loss over its one epoch; the same here.
        "mean training loss": float(np.mean(losses)),
        "perplexity": perplexity(logits_of, val_windows),
        # Kept for the results table at the end; nothing before it looks at them.
        "test perplexity": perplexity(logits_of, test_windows),
    }


# %%
results = {}
for framework, train in [("Keras", fit_keras), ("PyTorch", fit_torch)]:
    for kind in ["lstm", "gru"]:
        results[framework, kind] = train(kind)
        r = results[framework, kind]
        progress(
            f"{framework} {kind.upper()}: validation perplexity {r['perplexity']:.1f}, "
            f"{r['seconds']:.0f} s, {r['parameters']:,} parameters"
        )


# %% [markdown]
# ## Results
#
# The table compares the four models with the unigram baseline on the validation text and, scored here for the first time, on the test text; the training time is the time of the {glue:text}`char_language_model.py::steps:,d` steps alone, on the device that the first cell prints and the foot of the page names.

# %%
rows = [
    {
        "framework": "—",
        "model": "unigram frequencies",
        "parameters": VOCAB - 1,
        "training time (s)": float("nan"),
        "mean training loss": float("nan"),
        "validation perplexity": baseline_perplexity,
        "test perplexity": baseline_test_perplexity,
    }
]
for (framework, kind), r in results.items():
    rows.append(
        {
            "framework": framework,
            "model": kind.upper(),
            "parameters": r["parameters"],
            "training time (s)": r["seconds"],
            "mean training loss": r["mean training loss"],
            "validation perplexity": r["perplexity"],
            "test perplexity": r["test perplexity"],
        }
    )
summary = pd.DataFrame(rows)
report("Models", summary.to_string(index=False, float_format=lambda v: f"{v:.2f}"))
summary.style.format(
    {
        "parameters": "{:,}",
        "training time (s)": "{:.0f}",
        "mean training loss": "{:.3f}",
        "validation perplexity": "{:.1f}",
        "test perplexity": "{:.1f}",
    },
    na_rep="—",
).hide(axis="index")

# %%
for (framework, kind), r in results.items():
    key = f"{framework.lower()}_{kind}"
    glue(f"perplexity_{key}", r["perplexity"], display=False)
    glue(f"test_perplexity_{key}", r["test perplexity"], display=False)
    glue(f"params_{key}", r["parameters"], display=False)
    glue(f"timing_seconds_{key}", r["seconds"], display=False)
# The best model is the one with the lowest validation perplexity; its test perplexity is the result.
best_key = min(results, key=lambda k: results[k]["perplexity"])
best = results[best_key]
worst_test = max(r["test perplexity"] for r in results.values())
glue("best_framework", best_key[0], display=False)
glue("best_kind", best_key[1].upper(), display=False)
glue("best_perplexity", best["perplexity"], display=False)
glue("best_test_perplexity", best["test perplexity"], display=False)
glue("baseline_test_perplexity", baseline_test_perplexity, display=False)
glue("best_over_baseline", baseline_test_perplexity / best["test perplexity"], display=False)
glue("worst_test_perplexity", worst_test, display=False)
# The text below says that every model beats the baseline on the test text (after the
# smoke test's few steps no model does).
assert QUICK or worst_test < baseline_test_perplexity, (worst_test, baseline_test_perplexity)
glue(
    "lstm_extra_params",
    results["PyTorch", "lstm"]["parameters"] - results["Keras", "lstm"]["parameters"],
    display=False,
)
glue("timing_total_train_seconds", sum(r["seconds"] for r in results.values()), display=False)

# Test perplexity of each model, with the baseline as a line.
fig, ax = plt.subplots(figsize=(6, 3.2))
labels = [f"{framework} {kind.upper()}" for framework, kind in results]
ax.bar(labels, [r["test perplexity"] for r in results.values()], color=["C0", "C1", "C0", "C1"])
ax.axhline(baseline_test_perplexity, color="0.4", linestyle="--", label="unigram")
ax.set_ylabel("test perplexity")
# Room above the baseline's line, so the legend (drawn without a frame) does not sit on it.
ax.set_ylim(0, 1.3 * baseline_test_perplexity)
ax.legend(loc="upper right")
fig.tight_layout()
glue("fig_perplexity", fig, display=False)
show(fig)

# %% [markdown]
# ```{glue:figure} fig_perplexity
# :name: fig-char-perplexity
#
# Test perplexity of the four models on the last tenth of the novel (lower is better); the dashed line is the unigram baseline.
# ```
#
# On the test text every model beats the baseline's perplexity of {glue:text}`char_language_model.py::baseline_test_perplexity:.1f`, the worst of them with {glue:text}`char_language_model.py::worst_test_perplexity:.1f`.
# The best model on the validation text, the {glue:text}`char_language_model.py::best_framework:s` {glue:text}`char_language_model.py::best_kind:s` ({glue:text}`char_language_model.py::best_perplexity:.1f` there), reaches {glue:text}`char_language_model.py::best_test_perplexity:.1f` on the test text, {glue:text}`char_language_model.py::best_over_baseline:.1f` times lower than the baseline: knowing the characters before it narrows the next one from about {glue:text}`char_language_model.py::baseline_test_perplexity:.0f` equally likely symbols to about {glue:text}`char_language_model.py::best_test_perplexity:.0f`.
# The four models took {glue:text}`char_language_model.py::timing_total_train_seconds:.0f` s to train in all.
#
# The PyTorch LSTM has {glue:text}`char_language_model.py::lstm_extra_params:d` parameters more than the Keras one: its second bias vector for each of the four blocks of {glue:text}`char_language_model.py::units:d` units, as {doc}`../lstm` explains; the two GRUs have the same count.
# The models of one kind differ between the frameworks in more than the bias: their recurrent and output weights start from each framework's own initialisation, and after {glue:text}`char_language_model.py::epochs_seen:.1f` passes over the text, far from convergence, two models of one kind need not agree; this page does not separate the initialisation from the other differences.
# This page compares a budget of a few minutes, not the best these models can do; how far more units, longer windows and more passes would lower the perplexity of each, it does not measure.

# %% [markdown]
# ## Generated text
#
# The better model of each framework continues a prompt one character at a time: it reads the prompt, then draws each next character from the softmax of its logits divided by a *temperature*, and feeds it back.
# A low temperature sharpens the distribution towards the likeliest characters; a temperature of 1 samples from the model as it is.
# The `<unk>` symbol is never drawn, and the draws come from a seeded generator, so the samples are the same in every build on the same machine.

# %%
PROMPT = "吾輩は"
GENERATE = 20 if QUICK else 120
TEMPERATURES = [0.5, 1.0]


def draw(logits: np.ndarray, temperature: float, rng: np.random.Generator) -> int:
    """One index drawn from softmax(logits / temperature), never <unk>."""
    scaled = logits.astype(np.float64) / temperature
    scaled[0] = -np.inf
    probabilities = np.exp(scaled - scaled.max())
    return int(rng.choice(len(probabilities), p=probabilities / probabilities.sum()))


def generate_torch(model: CharModel, temperature: float) -> str:
    rng = np.random.default_rng(SEED)
    x = torch.from_numpy(encode(PROMPT)[None]).long().to(DEVICE)
    text_out, state = PROMPT, None
    with torch.no_grad():
        for _ in range(GENERATE):
            logits, state = model(x, state)
            index = draw(logits[0, -1].cpu().numpy(), temperature, rng)
            text_out += index_to_char[index]
            x = torch.tensor([[index]], device=DEVICE)
    return text_out


def generate_keras(model: keras.Model, temperature: float) -> str:
    rng = np.random.default_rng(SEED)
    embedding, trained, head = model.layers
    # A copy of the recurrent layer that also returns its state, to carry it between calls.
    stepper = type(trained)(UNITS, return_sequences=True, return_state=True)
    stepper.build((None, None, EMBED))
    stepper.set_weights(trained.get_weights())
    x, text_out, state = encode(PROMPT)[None], PROMPT, None
    for _ in range(GENERATE):
        outputs, *state = stepper(embedding(x), initial_state=state)
        logits = keras.ops.convert_to_numpy(head(outputs[:, -1]))[0]
        index = draw(logits, temperature, rng)
        text_out += index_to_char[index]
        x = np.array([[index]], dtype=np.int32)
    return text_out


# The best model of each framework, at each temperature.
samples = {}
for framework, generate in [("Keras", generate_keras), ("PyTorch", generate_torch)]:
    kind = min(["lstm", "gru"], key=lambda k: results[framework, k]["perplexity"])
    for temperature in TEMPERATURES:
        sample = generate(results[framework, kind]["model"], temperature)
        samples[framework, temperature] = sample
        print(f"{framework} {kind.upper()}, temperature {temperature}:")
        for line in sample.splitlines():
            print(textwrap.fill(line, 38))
        print()
# How much of the samples uses the 100 most frequent characters of the training text.
common = {c for c, _ in counts.most_common(100)}
common_shares = []
for temperature in TEMPERATURES:
    generated = "".join(samples[f, temperature][len(PROMPT) :] for f in ["Keras", "PyTorch"])
    share = np.mean([c in common for c in generated]) * 100
    common_shares.append(share)
    glue(f"common_share_{round(temperature * 10)}", float(share), display=False)
glue("prompt", PROMPT, display=False)
glue("n_generate", GENERATE, display=False)
glue("common_share_novel", float(np.mean([c in common for c in val_text])) * 100, display=False)
# The text below says that the lower temperature keeps the samples to the frequent characters.
assert QUICK or common_shares[0] > common_shares[-1], common_shares

# %% [markdown]
# Every sample starts from 「{glue:text}`char_language_model.py::prompt:s`」 and adds {glue:text}`char_language_model.py::n_generate:d` characters.
# The lower temperature keeps the models to what they find most likely: {glue:text}`char_language_model.py::common_share_5:.0f` % of the characters they generated are among the 100 most frequent characters of the training text, against {glue:text}`char_language_model.py::common_share_10:.0f` % at temperature 1 and {glue:text}`char_language_model.py::common_share_novel:.0f` % in the validation text itself.
# None of the samples makes sense for long: a character model of this size learns the surface of the language, such as which kana follow which kanji and where a sentence ends, but not what the sentences say.

# %% [markdown]
# ## Exercises
#
# ```{exercise}
# :label: char-exercise-uniform
#
# **Two perplexities you can predict.** The page says that a model that spreads its bets evenly over $k$ symbols has perplexity $k$.
# Check it with the page's `perplexity` function: write a `logits_of` that gives every symbol the same logit, and score the first 32 validation windows with it.
# Then write one that returns the unigram baseline's logits, the logarithms of `unigram`, whatever the context, and compare its perplexity with the one computed directly from `unigram` on the characters that those windows score.
# ```
#
# ````{solution-start} char-exercise-uniform
# :class: dropdown
# ````
#
# Equal logits give each of the `VOCAB` symbols the probability $1/\text{VOCAB}$ after the softmax, so every character costs $\ln \text{VOCAB}$ and the perplexity is `VOCAB`, whatever the text.
# The softmax of the logits $\ln p_c$ is $p_c$ itself, because the frequencies sum to 1, so the unigram's logits give back its probabilities, and `perplexity` must agree with the direct formula on the characters it scores, the second half of each window's targets.

# %%
# The inputs and targets of the first 32 validation windows.
windows = (val_windows[0][:32], val_windows[1][:32])


def uniform_logits(x):
    """The same logit for every symbol, at every position of every window."""
    return np.zeros((*x.shape, VOCAB), dtype="float32")


def unigram_logits(x):
    """The logarithms of the training frequencies, whatever the characters before."""
    return np.broadcast_to(np.log(unigram).astype("float32"), (*x.shape, VOCAB))


uniform_perplexity = perplexity(uniform_logits, windows)
unigram_window_perplexity = perplexity(unigram_logits, windows)
# The same characters scored directly from the frequencies.
scored = windows[1][:, SEQ_LEN:]
direct_perplexity = float(np.exp(-np.mean(np.log(unigram[scored]))))
print(f"uniform: {uniform_perplexity:.2f} for {VOCAB} symbols")
print(f"unigram: {unigram_window_perplexity:.2f} by `perplexity`, {direct_perplexity:.2f} directly")
# The check: the uniform model's perplexity is the size of the alphabet, and the scorer
# agrees with the frequencies.
np.testing.assert_allclose(uniform_perplexity, VOCAB, rtol=1e-5)
np.testing.assert_allclose(unigram_window_perplexity, direct_perplexity, rtol=1e-5)

# %% [markdown]
# ````{solution-end}
# ````
#
# ```{exercise}
# :label: char-exercise-entropy
#
# **The baseline on its own text.** Scored on the training text, from which its frequencies $p_c$ were counted, the unigram baseline has the perplexity $e^{H(p)}$, where $H(p) = -\sum_c p_c \ln p_c$ is the entropy of the frequencies.
# Show why, and check it with `torch.distributions.Categorical(probs=...).entropy()`.
# Then compare $e^{H(p)}$ with the baseline's validation perplexity: is the perplexity on the text the frequencies came from a lower bound for other text?
# ```
#
# ````{solution-start} char-exercise-entropy
# :class: dropdown
# ````
#
# Group the $N$ characters of the training text by symbol: symbol $c$ occurs $N p_c$ times, so $-\frac{1}{N}\sum_t \ln p_{x_t} = -\sum_c p_c \ln p_c = H(p)$.
# On the validation text, whose own frequencies are $q_c$, the same mean is the cross-entropy $H(q, p) = -\sum_c q_c \ln p_c$, and nothing keeps it above $H(p)$: here it is below, because the characters of the validation text are, on average, more frequent ones in the training text.
# What does hold is Gibbs' inequality, $H(q, p) \ge H(q)$: no unigram model scores the validation text better than its own frequencies, which a model cannot know in advance.

# %%
# The entropy of the training frequencies, from PyTorch's categorical distribution.
train_entropy = float(torch.distributions.Categorical(probs=torch.from_numpy(unigram)).entropy())
# The baseline's perplexity on the training text, by the page's formula.
train_perplexity = float(np.exp(-np.mean(np.log(unigram[train_ids]))))
# The entropy of the validation text's own frequencies.
val_frequencies = np.bincount(val_ids, minlength=VOCAB) / len(val_ids)
val_entropy = float(
    torch.distributions.Categorical(probs=torch.from_numpy(val_frequencies)).entropy()
)
exp_h_train, exp_h_val = math.exp(train_entropy), math.exp(val_entropy)
print(f"training text: perplexity {train_perplexity:.2f}, exp(H(p)) = {exp_h_train:.2f}")
print(f"validation text: perplexity {baseline_perplexity:.2f}, exp(H(q)) = {exp_h_val:.2f}")
# The check: the identity on the training text; on the validation text, Gibbs' inequality
# holds, and the perplexity falls below exp(H(p)).
np.testing.assert_allclose(train_perplexity, exp_h_train, rtol=1e-5)
assert exp_h_val <= baseline_perplexity < exp_h_train, (
    exp_h_val,
    baseline_perplexity,
    exp_h_train,
)

# %% [markdown]
# ````{solution-end}
# ````
