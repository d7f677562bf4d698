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
# (example-adding-problem)=
# # The adding problem: how far back can a network remember?
#
# - **What it shows:** SimpleRNN, GRU and LSTM layers, in Keras and in PyTorch, trained with the same budget on the adding problem in the form of {footcite:t}`le2015simple` and {footcite:t}`arjovsky2016unitary`, a variant of the task of {footcite:t}`hochreiter1997long`, for sequences of increasing length $T$; the gated layers solve the long sequences, and SimpleRNN stays at the error of a constant guess.
# - **Data:** synthetic: random values in $[0, 1]$ with two marked positions, generated below with NumPy.
# - **Run time:** about five minutes on a 2-core CPU at the size of the book (the foot of the page gives the time of this build); `python examples/adding_problem.py --quick` runs in seconds.
#
# Each sequence has $T$ steps of two features: a value $v_t$ drawn uniformly from $[0, 1]$ and a marker $m_t$ that is 1 at exactly two steps, one in the first half and one in the second, and 0 elsewhere.
# The target is the sum of the two marked values,
#
# $$
# y = \sum_{t=1}^{T} m_t v_t .
# $$
#
# The network reads the whole sequence and answers only at the end, so it has to notice the first marked value, keep it for up to $T - 1$ steps while it reads values that do not matter, and add the second.
# {doc}`../rnn` measures on this task how the gradient of a SimpleRNN fades with the distance; here we ask the question that matters in practice: up to which length does each layer *learn* the task?
# The script needs NumPy, pandas, Matplotlib, Keras, PyTorch and the book's package `gatedrnn`, from which it imports only what every page shares (the quick flag, the device, the settings of the frameworks); its data, models and training loops are all on this page.

# %%
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch

from gatedrnn.book import (
    QUICK,
    example_seeds,
    glue,
    jit_compile,
    progress,
    report,
    show,
    start_example,
    steps_per_execution,
)

# The book builds this page at full size; `--quick` makes a smoke test of a few seconds.
LENGTHS = [10] if QUICK else [10, 50, 100]
N_TRAIN = 320 if QUICK else 3200
N_TEST = 200 if QUICK else 2000
MAX_EPOCHS = 2 if QUICK else 20
DEVICE = start_example(torch_threads=1)

# XLA on a CPU with TensorFlow, where it makes these small models several times faster.
JIT_COMPILE = jit_compile(DEVICE)

# %% [markdown]
# ## Data
#
# One training set and one test set are drawn for each length, from fixed seeds; Keras and PyTorch train and test on the same arrays.
# The first marker falls anywhere in the first half and the second anywhere in the second half, so the first marked value lies on average $3T/4$ steps before the end of the sequence.


# %%
def make_adding(n, length, seed):
    """Return inputs (n, length, 2) holding (v_t, m_t) and targets (n, 1), as float32."""
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, size=(n, length))
    markers = np.zeros((n, length))
    rows = np.arange(n)
    first = rng.integers(0, length // 2, size=n)
    second = rng.integers(length // 2, length, size=n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    inputs = np.stack([values, markers], axis=-1).astype("float32")
    targets = (values[rows, first] + values[rows, second])[:, None].astype("float32")
    return inputs, targets


data = {
    length: {
        "train": make_adding(N_TRAIN, length, seed=10 * length),
        "test": make_adding(N_TEST, length, seed=10 * length + 1),
    }
    for length in LENGTHS
}
example_inputs, example_target = data[LENGTHS[0]]["test"][0][0], data[LENGTHS[0]]["test"][1][0]
print(f"one test sequence of length {LENGTHS[0]} (value, marker):")
print(np.round(example_inputs.T, 2))
print(f"target: {example_target[0]:.3f}")

# %% [markdown]
# A model that ignores its input does best by always answering the mean of the target, 1.0.
# Its error is the variance of the sum of two independent uniform values, $2 \times 1/12 = 1/6$: this is the baseline that a model must beat to show that it has learned anything.
# A model that remembers only the second marked value, the nearer one, and adds 0.5, the mean of the first, has an error of $1/12$, the variance of the first value alone: half the baseline.
# A model that has learned only this half of the task stalls there.

# %%
baseline = {length: float(np.mean((data[length]["test"][1] - 1.0) ** 2)) for length in LENGTHS}
all_test_targets = np.concatenate([data[length]["test"][1] for length in LENGTHS])
glue("baseline_mse", float(np.mean((all_test_targets - 1.0) ** 2)), display=False)
glue("baseline_theory", 1 / 6, display=False)
glue("half_theory", 1 / 12, display=False)
for length in LENGTHS:
    glue(f"baseline_mse_T{length}", baseline[length], display=False)
print("test MSE of always predicting 1.0:", {T: round(b, 4) for T, b in baseline.items()})

# %% [markdown]
# ## The training budget
#
# All three layers, in both frameworks and at every length, get the same budget, set in the cell below: {glue:text}`adding_problem.py::units:d` units, Adam, the norm of the whole gradient clipped to {glue:text}`adding_problem.py::clipnorm:.1f`, and at most {glue:text}`adding_problem.py::max_steps:,d` steps, that is {glue:text}`adding_problem.py::max_epochs:d` epochs of {glue:text}`adding_problem.py::steps_per_epoch:,d` batches of {glue:text}`adding_problem.py::batch_size:d` over {glue:text}`adding_problem.py::n_train:,d` training sequences.
# Each test set holds {glue:text}`adding_problem.py::n_test:,d` sequences.
# The gated layers train at a learning rate of {glue:text}`adding_problem.py::learning_rate:.2f`, well above Adam's default of 0.001: at the longest length they first sit on a plateau at the error of the constant guess before they find the markers (the discussion measures how long), and the page must fit its time budget. This rate is not tuned; SimpleRNN's is, on a validation set, below.
# A run stops early at the end of the first epoch whose mean training error is below {glue:text}`adding_problem.py::stop_mse:.3f`: a model that has solved the task stops paying for more steps, which keeps the whole page within its time budget, while a model that has not trains to the end of the budget.
#
# Each framework trains every layer at every length from {glue:text}`adding_problem.py::n_seeds:d` seeds, so that a success or a failure is not one lucky or unlucky draw, and the two frameworks check each other.

# %%
UNITS = 32
BATCH_SIZE = 32
LEARNING_RATE = 0.01
CLIPNORM = 1.0
STOP_MSE = 0.005
SOLVED_MSE = 0.01
SEEDS = example_seeds(3)
SEED = SEEDS[0]
STEPS_PER_EPOCH = N_TRAIN // BATCH_SIZE
MODELS = ["SimpleRNN", "GRU", "LSTM"]
glue("units", UNITS, display=False)
glue("batch_size", BATCH_SIZE, display=False)
glue("learning_rate", LEARNING_RATE, display=False)
glue("stop_mse", STOP_MSE, display=False)
glue("solved_mse", SOLVED_MSE, display=False)
glue("n_train", N_TRAIN, display=False)
glue("n_test", N_TEST, display=False)
glue("steps_per_epoch", STEPS_PER_EPOCH, display=False)
glue("max_steps", MAX_EPOCHS * STEPS_PER_EPOCH, display=False)
glue("max_epochs", MAX_EPOCHS, display=False)
glue("clipnorm", CLIPNORM, display=False)
glue("seed", SEED, display=False)
glue("n_seeds", len(SEEDS), display=False)
results = []

# %% [markdown]
# ## The three layers in PyTorch
#
# In PyTorch the layers are `nn.RNN`, `nn.GRU` and `nn.LSTM` with `batch_first=True`, and an `nn.Linear` reads the hidden state of the last step.
# `nn.RNN` uses $\tanh$, as `SimpleRNN` does.
# Keras starts the forget gate of its LSTM open (`unit_forget_bias=True`) and PyTorch does not; as in {ref}`lstm-forget-bias`, we add one to the forget block of `bias_ih`, so that both LSTMs start alike.
# The training loop shuffles the training set into batches, clips the gradient norm with `clip_grad_norm_`, and stops by the rule above.
#
# SimpleRNN gets every chance the gated layers get, and two more.
# Its recurrent weights start orthogonal, as Keras' do, so that at the start they neither shrink nor stretch the state {footcite}`le2015simple`.
# And it trains at its own learning rate, the one of {glue:text}`adding_problem.py::n_rates:d` rates that gives the lowest error on a separate validation set at $T = $ {glue:text}`adding_problem.py::tuning_length:d`, where a rate too high for a plain network could make its gradient explode.


# %%
class TorchRegressor(torch.nn.Module):
    """A recurrent layer of UNITS units and a linear read-out of its last hidden state."""

    def __init__(self, name):
        super().__init__()
        layer = {"SimpleRNN": torch.nn.RNN, "GRU": torch.nn.GRU, "LSTM": torch.nn.LSTM}[name]
        self.rnn = layer(2, UNITS, batch_first=True)
        self.head = torch.nn.Linear(UNITS, 1)
        with torch.no_grad():
            if name == "LSTM":
                # Start the forget gate open, as Keras does (order: input, forget, cell, output).
                self.rnn.bias_ih_l0[UNITS : 2 * UNITS] += 1.0
            if name == "SimpleRNN":
                # Start the recurrent weights orthogonal, as Keras' SimpleRNN does.
                torch.nn.init.orthogonal_(self.rnn.weight_hh_l0)

    def forward(self, x):
        outputs, _ = self.rnn(x)
        return self.head(outputs[:, -1])


def fit_torch(name, length, seed, learning_rate, test=None):
    """Train one PyTorch model on one length; return a dictionary of results."""
    (x_train, y_train), (x_test, y_test) = data[length]["train"], test or data[length]["test"]
    torch.manual_seed(seed)
    model = TorchRegressor(name).to(DEVICE)
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    inputs, targets = torch.from_numpy(x_train).to(DEVICE), torch.from_numpy(y_train).to(DEVICE)
    epoch_losses = []
    start = time.perf_counter()
    for _ in range(MAX_EPOCHS):
        order = torch.randperm(len(inputs), device=DEVICE)
        total = torch.zeros((), device=DEVICE)
        for batch in order.split(BATCH_SIZE):
            optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(inputs[batch]), targets[batch])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), CLIPNORM)
            optimizer.step()
            total += loss.detach()
        epoch_losses.append(float(total) / STEPS_PER_EPOCH)
        if epoch_losses[-1] < STOP_MSE:
            break
    seconds = time.perf_counter() - start
    with torch.no_grad():
        prediction = model(torch.from_numpy(x_test).to(DEVICE)).cpu().numpy()
    return {
        "framework": "PyTorch",
        "model": name,
        "length": length,
        "seed": seed,
        "parameters": sum(p.numel() for p in model.parameters()),
        "mse": float(np.mean((prediction - y_test) ** 2)),
        "steps": len(epoch_losses) * STEPS_PER_EPOCH,
        "losses": epoch_losses,
        "seconds": seconds,
    }


# %% [markdown]
# The cell below picks SimpleRNN's learning rate on the validation set, from seed {glue:text}`adding_problem.py::seed:d`; the test sets play no part in it.

# %%
RATES = [0.001, 0.003, 0.01]
TUNING_LENGTH = LENGTHS[min(1, len(LENGTHS) - 1)]
validation_set = make_adding(N_TEST, TUNING_LENGTH, seed=10 * TUNING_LENGTH + 2)
tuning = {
    rate: fit_torch("SimpleRNN", TUNING_LENGTH, SEED, rate, test=validation_set)["mse"]
    for rate in RATES
}
SIMPLERNN_RATE = min(tuning, key=tuning.get)
print("SimpleRNN validation MSE per learning rate:", {r: round(m, 4) for r, m in tuning.items()})
glue("n_rates", len(RATES), display=False)
glue("tuning_best_mse", min(tuning.values()), display=False)
glue("tuning_length", TUNING_LENGTH, display=False)
glue("simplernn_rate", SIMPLERNN_RATE, display=False)


def learning_rate(name):
    """The learning rate of a layer: SimpleRNN's own, the gated layers' shared one."""
    return SIMPLERNN_RATE if name == "SimpleRNN" else LEARNING_RATE


# %%
for length in LENGTHS:
    for name in MODELS:
        for seed in SEEDS:
            results.append(fit_torch(name, length, seed, learning_rate(name)))
            last = results[-1]
            progress(
                f"PyTorch {name:9s} T={length:3d} seed {seed}: test MSE {last['mse']:.4f} "
                f"after {last['steps']:4d} steps ({last['seconds']:.1f} s)"
            )

# %% [markdown]
# ## The three layers in Keras
#
# In Keras each model is the recurrent layer, which returns its last hidden state, followed by `Dense(1)`.
# Keras's `clipnorm` would clip the gradient of each weight separately; `global_clipnorm` clips the norm of all of them together, as PyTorch's `clip_grad_norm_` does.
# A small callback stops training at the end of the first epoch whose mean training error is below the threshold.
# SimpleRNN trains at the learning rate chosen above, and its recurrent weights start orthogonal by Keras' default.


# %%
class StopWhenSolved(keras.callbacks.Callback):
    """Stop training at the end of the first epoch whose mean training MSE is below STOP_MSE."""

    def on_epoch_end(self, epoch, logs=None):
        if logs["loss"] < STOP_MSE:
            self.model.stop_training = True


def keras_model(name, length):
    """A recurrent layer of UNITS units and a linear read-out of its last hidden state."""
    layer = {
        "SimpleRNN": keras.layers.SimpleRNN,
        "GRU": keras.layers.GRU,
        "LSTM": keras.layers.LSTM,
    }
    return keras.Sequential(
        [keras.Input(shape=(length, 2)), layer[name](UNITS), keras.layers.Dense(1)], name=name
    )


def fit_keras(name, length, seed):
    """Train one Keras model on one length from one seed; return a dictionary of results."""
    (x_train, y_train), (x_test, y_test) = data[length]["train"], data[length]["test"]
    keras.utils.set_random_seed(seed)
    model = keras_model(name, length)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate(name), global_clipnorm=CLIPNORM),
        loss="mse",
        jit_compile=JIT_COMPILE,
        # One call runs a whole epoch where the backend allows it.
        steps_per_execution=steps_per_execution(STEPS_PER_EPOCH),
    )
    start = time.perf_counter()
    history = model.fit(
        x_train,
        y_train,
        batch_size=BATCH_SIZE,
        epochs=MAX_EPOCHS,
        shuffle=True,
        verbose=0,
        callbacks=[StopWhenSolved()],
    )
    seconds = time.perf_counter() - start
    # One call on the whole test set; no compiled predict function is needed for it.
    prediction = keras.ops.convert_to_numpy(model(x_test, training=False))
    return {
        "framework": "Keras",
        "model": name,
        "length": length,
        "seed": seed,
        "parameters": model.count_params(),
        "mse": float(np.mean((prediction - y_test) ** 2)),
        "steps": len(history.history["loss"]) * STEPS_PER_EPOCH,
        "losses": history.history["loss"],
        "seconds": seconds,
    }


for length in LENGTHS:
    for name in MODELS:
        for seed in SEEDS:
            results.append(fit_keras(name, length, seed))
            last = results[-1]
            progress(
                f"Keras   {name:9s} T={length:3d} seed {seed}: test MSE {last['mse']:.4f} "
                f"after {last['steps']:4d} steps ({last['seconds']:.1f} s)"
            )

# %% [markdown]
# ## Results
#
# A run counts as having solved a length when its test error is below {glue:text}`adding_problem.py::solved_mse:.2f`, less than a tenth of the constant guess's.
# The table gives, for each framework and layer, the number of parameters, and at each length the number of runs that solved it, the median test error over the runs, and the median number of training steps they used (the budget is the largest); then the total fit time over all runs.
# The last row is the constant guess 1.0 on the same test sets.
# Fit times vary from one build to the next; every other number on this page is the same in every build on the same machine.


# %%
def runs_of(framework, name, length):
    """The runs of one framework, layer and length, one per seed."""
    return [
        r
        for r in results
        if r["framework"] == framework and r["model"] == name and r["length"] == length
    ]


rows = {}
for framework in ["PyTorch", "Keras"]:
    for name in MODELS:
        row = rows.setdefault((framework, name), {})
        row[("parameters", "")] = runs_of(framework, name, LENGTHS[0])[0]["parameters"]
        for length in LENGTHS:
            runs = runs_of(framework, name, length)
            solved = sum(r["mse"] < SOLVED_MSE for r in runs)
            row[("solved", f"T = {length}")] = f"{solved}/{len(runs)}"
            row[("test MSE", f"T = {length}")] = f"{np.median([r['mse'] for r in runs]):.4f}"
            row[("training steps", f"T = {length}")] = int(np.median([r["steps"] for r in runs]))
            key = f"{'keras' if framework == 'Keras' else 'torch'}_{name.lower()}_T{length}"
            glue(f"solved_{key}", solved, display=False)
            glue(f"mse_{key}", float(np.median([r["mse"] for r in runs])), display=False)
            glue(f"mse_max_{key}", max(r["mse"] for r in runs), display=False)
            glue(f"mse_min_{key}", min(r["mse"] for r in runs), display=False)
            glue(f"steps_{key}", int(np.median([r["steps"] for r in runs])), display=False)
        seconds = sum(
            r["seconds"] for r in results if r["framework"] == framework and r["model"] == name
        )
        row[("fit time (s)", "")] = round(seconds, 1)
rows[("baseline", "always 1.0")] = {("parameters", ""): 0, ("fit time (s)", ""): 0.0}
for length in LENGTHS:
    rows[("baseline", "always 1.0")][("solved", f"T = {length}")] = ""
    rows[("baseline", "always 1.0")][("test MSE", f"T = {length}")] = f"{baseline[length]:.4f}"
    rows[("baseline", "always 1.0")][("training steps", f"T = {length}")] = 0
summary = pd.DataFrame.from_dict(rows, orient="index")
summary.columns = pd.MultiIndex.from_tuples(summary.columns)
summary.index.names = ["framework", "model"]
summary = summary[["parameters", "solved", "test MSE", "training steps", "fit time (s)"]]
report("Solved runs, median test MSE and training steps", summary)
summary

# %% [markdown]
# The parameter counts differ between the frameworks for SimpleRNN and LSTM, and agree for the GRU.

# %%
for name in MODELS:
    keras_count = rows[("Keras", name)][("parameters", "")]
    torch_count = rows[("PyTorch", name)][("parameters", "")]
    glue(f"params_keras_{name.lower()}", keras_count, display=False)
    glue(f"params_torch_{name.lower()}", torch_count, display=False)
    glue(f"params_diff_{name.lower()}", torch_count - keras_count, display=False)

# The steps each seed-0 run at the longest length spent on the plateau: the epochs whose mean
# training error was still above half the baseline.
longest = LENGTHS[-1]
for run in results:
    if run["length"] == longest and run["seed"] == SEED:
        plateau = int(np.sum(np.array(run["losses"]) > baseline[longest] / 2)) * STEPS_PER_EPOCH
        key = f"{'keras' if run['framework'] == 'Keras' else 'torch'}_{run['model'].lower()}"
        glue(f"plateau_{key}_T{longest}", plateau, display=False)
        if run["model"] == "SimpleRNN" and not QUICK:
            # The discussion says that SimpleRNN never leaves the plateau.
            assert plateau == len(run["losses"]) * STEPS_PER_EPOCH, (key, run["losses"])
glue("longest", longest, display=False)

# The discussion below draws these conclusions; a build whose numbers disagree fails here.
if not QUICK:
    short, long = LENGTHS[0], LENGTHS[1:]
    for framework in ["PyTorch", "Keras"]:
        # At the shortest length every gated run solves the task, and every SimpleRNN run ends
        # below half the error of the half solution (1/12); SimpleRNN needs more steps.
        assert all(
            r["mse"] < SOLVED_MSE
            for name in ["GRU", "LSTM"]
            for r in runs_of(framework, name, short)
        )
        assert all(r["mse"] < 1 / 24 for r in runs_of(framework, "SimpleRNN", short))
        steps = {
            name: np.median([r["steps"] for r in runs_of(framework, name, short)])
            for name in MODELS
        }
        assert steps["SimpleRNN"] > steps["GRU"]
        for length in long:
            # At the longer lengths no SimpleRNN run solves it or gets below half the error of
            # the half solution, and at the longest each ends near the constant guess, while
            # every gated run solves it.
            plain = runs_of(framework, "SimpleRNN", length)
            assert all(r["mse"] > 1 / 24 for r in plain)
            if length == LENGTHS[-1]:
                assert all(r["mse"] > 0.8 * baseline[length] for r in plain)
            assert all(r["steps"] == MAX_EPOCHS * STEPS_PER_EPOCH for r in plain)
            assert all(
                r["mse"] < SOLVED_MSE
                for name in ["GRU", "LSTM"]
                for r in runs_of(framework, name, length)
            )
    # No learning rate helped SimpleRNN on the validation set either.
    assert min(tuning.values()) > 0.8 * float(np.mean((validation_set[1] - 1.0) ** 2))

# %% [markdown]
# The first figure shows the test error of every run against the length of the sequences, and the number of training steps each run used; the second shows how the training error of the seed-{glue:text}`adding_problem.py::seed:d` runs fell at the longest length.

# %%
colours = {"SimpleRNN": "C0", "GRU": "C1", "LSTM": "C2"}
styles = {"Keras": ("-", "o"), "PyTorch": ("--", "s")}
fig, axes = plt.subplots(1, 2, figsize=(9, 4.5), layout="constrained")
# Each framework's median over its runs as a line, and every run as a point.
for name in MODELS:
    for run_framework, (linestyle, marker) in styles.items():
        for ax, quantity in zip(axes, ["mse", "steps"], strict=True):
            runs = [runs_of(run_framework, name, length) for length in LENGTHS]
            ax.plot(
                LENGTHS,
                [np.median([r[quantity] for r in rs]) for rs in runs],
                linestyle=linestyle,
                marker=marker,
                color=colours[name],
                label=f"{name} ({run_framework})" if quantity == "mse" else None,
            )
            ax.scatter(
                [r["length"] for rs in runs for r in rs],
                [r[quantity] for rs in runs for r in rs],
                marker=marker,
                facecolors="none",
                edgecolors=colours[name],
                alpha=0.6,
            )
axes[0].plot(
    LENGTHS, [baseline[length] for length in LENGTHS], ":", color="0.3", label="always 1.0"
)
axes[0].set_yscale("log")
axes[0].set_ylabel("test MSE")
axes[1].axhline(MAX_EPOCHS * STEPS_PER_EPOCH, linestyle="-.", color="0.6", label="budget")
axes[1].set_ylabel("training steps")
for ax in axes:
    ax.set_xlabel("sequence length T")
    ax.set_xticks(LENGTHS)
fig.legend(loc="outside lower center", ncols=4, fontsize="small")
glue("fig_mse_vs_length", fig, display=False)
show(fig)  # The page shows the glued figure, with its caption, below.

# %% [markdown]
# ```{glue:figure} fig_mse_vs_length
# :name: fig-adding-mse-vs-length
#
# Left: the test error of each layer against the length $T$ of the sequences, the median over the runs as a line (Keras solid, PyTorch dashed) and every run as an open mark, with the error of always predicting 1.0; the vertical axis is logarithmic. Right: the number of training steps each run used before it stopped; a run that never reached the stopping threshold used the whole budget.
# ```

# %%
fig, ax = plt.subplots(figsize=(7, 4))
for run in results:
    if run["length"] == longest and run["seed"] == SEED:
        linestyle, _ = styles[run["framework"]]
        steps = STEPS_PER_EPOCH * np.arange(1, len(run["losses"]) + 1)
        ax.plot(
            steps,
            run["losses"],
            linestyle=linestyle,
            color=colours[run["model"]],
            label=f"{run['model']} ({run['framework']})",
        )
ax.axhline(baseline[longest], linestyle=":", color="0.3", label="always 1.0")
ax.axhline(STOP_MSE, linestyle="-.", color="0.6", label="stopping threshold")
ax.set_yscale("log")
ax.set_xlabel("training step")
ax.set_ylabel("mean training MSE of the epoch")
ax.legend(fontsize="small")
fig.tight_layout()
glue("fig_training_curves", fig, display=False)
show(fig)  # The page shows the glued figure, with its caption, below.

# %% [markdown]
# ```{glue:figure} fig_training_curves
# :name: fig-adding-training-curves
#
# The mean training error of each epoch at the longest length, for each layer from seed 0, Keras in solid lines and PyTorch in dashed lines, with the error of always predicting 1.0 and the threshold at which a run stops; the vertical axis is logarithmic. A curve ends where its run stopped.
# ```
#
# ## Discussion
#
# Always predicting 1.0 gives a test error of {glue:text}`adding_problem.py::baseline_mse:.4f` over all the test sets, close to the theoretical $1/6 \approx$ {glue:text}`adding_problem.py::baseline_theory:.4f`.
#
# **Short sequences.**
# At $T = 10$ every run of the gated layers solves the task, in both frameworks: the GRU in a median of {glue:text}`adding_problem.py::steps_torch_gru_T10:,d` steps in PyTorch and {glue:text}`adding_problem.py::steps_keras_gru_T10:,d` in Keras.
# SimpleRNN learns more slowly: its runs use a median of {glue:text}`adding_problem.py::steps_torch_simplernn_T10:,d` steps in PyTorch and {glue:text}`adding_problem.py::steps_keras_simplernn_T10:,d` in Keras and end at median errors of {glue:text}`adding_problem.py::mse_torch_simplernn_T10:.4f` and {glue:text}`adding_problem.py::mse_keras_simplernn_T10:.4f`, less than half the error of the half solution, so it has learned to use both marked values; {glue:text}`adding_problem.py::solved_torch_simplernn_T10:d` of its {glue:text}`adding_problem.py::n_seeds:d` PyTorch runs and {glue:text}`adding_problem.py::solved_keras_simplernn_T10:d` of its Keras runs get below the threshold within the budget.
# SimpleRNN's margin at this length is narrow, so whether its runs cross the threshold can change with the floating-point rounding of the machine that builds the book; the gated layers' margin is wide.
#
# **Long sequences.**
# At $T = 50$ and $T = 100$ no SimpleRNN run solves the task; each uses its whole budget of {glue:text}`adding_problem.py::max_steps:,d` steps.
# At $T = 100$ every run ends near the constant guess, at a median of {glue:text}`adding_problem.py::mse_torch_simplernn_T100:.3f` in PyTorch and {glue:text}`adding_problem.py::mse_keras_simplernn_T100:.3f` in Keras, next to the {glue:text}`adding_problem.py::baseline_mse_T100:.3f` of the constant guess: it has learned to predict the mean and nothing else.
# At $T = 50$ it ends at medians of {glue:text}`adding_problem.py::mse_torch_simplernn_T50:.3f` in PyTorch and {glue:text}`adding_problem.py::mse_keras_simplernn_T50:.3f` in Keras, where the constant guess scores {glue:text}`adding_problem.py::baseline_mse_T50:.3f` and the half solution $1/12 \approx$ {glue:text}`adding_problem.py::half_theory:.3f`: at best it has learned the nearer of the two values, and no run gets below half the error of the half solution.
# Every run of the gated layers solves both lengths.
# At $T = 100$ the GRU reaches a median of {glue:text}`adding_problem.py::mse_torch_gru_T100:.4f` in PyTorch (at worst {glue:text}`adding_problem.py::mse_max_torch_gru_T100:.4f`) and {glue:text}`adding_problem.py::mse_keras_gru_T100:.4f` in Keras (at worst {glue:text}`adding_problem.py::mse_max_keras_gru_T100:.4f`), and the LSTM {glue:text}`adding_problem.py::mse_torch_lstm_T100:.4f` (at worst {glue:text}`adding_problem.py::mse_max_torch_lstm_T100:.4f`) and {glue:text}`adding_problem.py::mse_keras_lstm_T100:.4f` (at worst {glue:text}`adding_problem.py::mse_max_keras_lstm_T100:.4f`).
#
# **What the budget can and cannot show.**
# SimpleRNN had its chance: its recurrent weights started orthogonal, and it trained at the learning rate that did best on the validation set, {glue:text}`adding_problem.py::simplernn_rate:g`; at $T = $ {glue:text}`adding_problem.py::tuning_length:d` no rate brought its validation error below {glue:text}`adding_problem.py::tuning_best_mse:.3f`.
# So within {glue:text}`adding_problem.py::max_steps:,d` steps its failure is not a matter of its start or its learning rate, and the {glue:text}`adding_problem.py::n_seeds:d` seeds agree.
# What this budget cannot show is whether a plain network learns the long sequences with far more training: {footcite:t}`le2015simple` solved them with a plain network of rectified linear units whose recurrent weights start as the identity, trained much longer than this page can afford.
# What the gates buy, here, is that the GRU and the LSTM learn every length within that budget: at $T = 100$ the GRU in a median of {glue:text}`adding_problem.py::steps_torch_gru_T100:,d` steps in PyTorch and {glue:text}`adding_problem.py::steps_keras_gru_T100:,d` in Keras, the LSTM in {glue:text}`adding_problem.py::steps_torch_lstm_T100:,d` and {glue:text}`adding_problem.py::steps_keras_lstm_T100:,d`.
#
# **The plateau.**
# The second figure shows how the gated layers get there.
# Each first learns the mean and then stays on a plateau at the error of the constant guess while its gradient searches for the markers; then its error falls to the stopping threshold.
# At $T = 100$, from seed 0, the GRU spends {glue:text}`adding_problem.py::plateau_keras_gru_T100:,d` steps on the plateau in Keras and {glue:text}`adding_problem.py::plateau_torch_gru_T100:,d` in PyTorch, the LSTM {glue:text}`adding_problem.py::plateau_keras_lstm_T100:,d` and {glue:text}`adding_problem.py::plateau_torch_lstm_T100:,d` (counted as the epochs whose mean training error is above half the baseline).
# SimpleRNN never leaves it: every epoch of its seed-{glue:text}`adding_problem.py::seed:d` runs at $T = 100$ ends above half the baseline.
# The length of the plateau depends on the seed and on the initial weights, which the two frameworks draw differently (Keras: a Glorot-uniform kernel and an orthogonal recurrent kernel; PyTorch: every weight uniform in $\pm 1/\sqrt{\text{units}}$, except SimpleRNN's orthogonal recurrent weights here), so the two frameworks agree on which layers solve the task, not on the exact number of steps; the open marks of the first figure show how the number of steps varies between seeds.
#
# **Why.**
# The first marked value lies on average $3T/4$ steps before the end, and the only signal that tells the network to keep it is the gradient of the error at the end.
# In SimpleRNN that gradient passes through $h_t = \tanh(W_{ih} x_t + b + W_{hh} h_{t-1})$ once per step, and each step multiplies it by $\operatorname{diag}(1 - h_t^2) W_{hh}$; over dozens of steps the product shrinks geometrically, as {doc}`../rnn` measures, and the early inputs receive almost nothing to learn from {footcite}`bengio1994learning`.
# The LSTM updates its cell state additively, $c_t = f_t \odot c_{t-1} + i_t \odot \tilde c_t$, and the GRU its hidden state, $h_t = z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t$: along these paths the gradient is multiplied at each step by a gate, $f_t$ or $z_t$, not by a weight matrix, and it passes almost unchanged where the gate is near 1.
# Once the network has learned to hold a gate open between the markers, the value survives the wait, and so does the gradient that taught it to.
# The gradient clipping used here guards against exploding gradients {footcite}`pascanu2013difficulty`; it can do nothing for vanishing ones.
#
# **Parameters.**
# With {glue:text}`adding_problem.py::units:d` units the models have {glue:text}`adding_problem.py::params_keras_simplernn:,d`, {glue:text}`adding_problem.py::params_keras_gru:,d` and {glue:text}`adding_problem.py::params_keras_lstm:,d` parameters in Keras (SimpleRNN, GRU, LSTM, with the `Dense` read-out), and {glue:text}`adding_problem.py::params_torch_simplernn:,d`, {glue:text}`adding_problem.py::params_torch_gru:,d` and {glue:text}`adding_problem.py::params_torch_lstm:,d` in PyTorch.
# PyTorch's `nn.RNN` and `nn.LSTM` have two bias vectors, `bias_ih` and `bias_hh`, where Keras's `SimpleRNN` and `LSTM` have one, which adds one bias per unit and gate: {glue:text}`adding_problem.py::params_diff_simplernn:d` for SimpleRNN and {glue:text}`adding_problem.py::params_diff_lstm:d` for the LSTM with its four gates.
# The two biases always appear as a sum, so they add parameters but not expressive power.
# Keras's `GRU` with its default `reset_after=True` also keeps two biases, because its reset gate multiplies the recurrent term after its bias is added, so the GRU counts agree (a difference of {glue:text}`adding_problem.py::params_diff_gru:d`).
# The gated layers have several times as many parameters as SimpleRNN, but parameters are not what SimpleRNN lacks: at $T = 10$ it learns to use both marked values with its {glue:text}`adding_problem.py::params_keras_simplernn:,d`.

# %% [markdown]
# ## Exercises
#
# ```{exercise}
# :label: adding-exercise-half-solution
#
# **Half the task.** The section on the data says that a model that remembers only the second marked value and adds 0.5, the mean of the first, has an error of $1/12$.
# Write this predictor, $\hat y = v_{t_2} + 0.5$, where $t_2$ is the marked step of the second half, apply it to a hundred thousand sequences drawn with `make_adding`, and check its mean squared error against $1/12$.
# Then do the same for the predictor that remembers only the first marked value: is it better or worse?
# ```
#
# ````{solution-start} adding-exercise-half-solution
# :class: dropdown
# ````
#
# The error of the predictor is $y - \hat y = v_{t_1} - 0.5$, the distance of the forgotten value from its mean, so its mean squared error is the variance of a value drawn uniformly from $[0, 1]$, $1/12$.
# The predictor that remembers only the first value forgets the second instead, which is uniform too: its error is the same.
# A sample estimates $1/12$ to within a few standard errors, and the standard error of the mean of $(v - 0.5)^2$ over $n$ draws is $\sqrt{(1/80 - 1/144)/n}$, since $\mathbb{E}[(v - 0.5)^4] = 1/80$.

# %%
# Draw many sequences of the shortest length; the length does not change the answer.
n_samples = 100_000
sample_inputs, sample_targets = make_adding(n_samples, LENGTHS[0], seed=SEED)
half = LENGTHS[0] // 2
# The marked value of each half is the sum over that half of value times marker.
marked = sample_inputs[..., 0] * sample_inputs[..., 1]
first_value, second_value = marked[:, :half].sum(axis=1), marked[:, half:].sum(axis=1)
half_mse = {
    "second value + 0.5": float(np.mean((second_value + 0.5 - sample_targets[:, 0]) ** 2)),
    "first value + 0.5": float(np.mean((first_value + 0.5 - sample_targets[:, 0]) ** 2)),
}
print({name: round(mse, 4) for name, mse in half_mse.items()}, "1/12 =", round(1 / 12, 4))
# The check: each error is 1/12 to within five standard errors of the sample.
standard_error = np.sqrt((1 / 80 - 1 / 144) / n_samples)
assert all(abs(mse - 1 / 12) < 5 * standard_error for mse in half_mse.values()), (
    half_mse,
    1 / 12,
    standard_error,
)

# %% [markdown]
# ````{solution-end}
# ````
#
# ```{exercise}
# :label: adding-exercise-identity
#
# **An identity start.** {footcite:t}`le2015simple` start a plain network of rectified linear units with the identity matrix as its recurrent weights and zero biases, and call it the IRNN: at the start, each step adds its input to the state and loses nothing of it; the exercises of {doc}`../rnn` measure what this does to the gradient.
# Here, retry the adding problem with it: build an IRNN regressor from `TorchRegressor`, with an `nn.RNN` whose `nonlinearity` is `"relu"`, and train it and the page's SimpleRNN for the same 300 steps at $T = 10$, with the same batches, the page's batch size and clipping, and a learning rate of 0.003.
# Which of the two has the lower test error?
# ```
#
# ````{solution-start} adding-exercise-identity
# :class: dropdown
# ````
#
# Through the page's SimpleRNN, the gradient is multiplied at every step by $\operatorname{diag}(1 - h_t^2) W_{hh}$, as the discussion above says: $W_{hh}$ starts orthogonal, but the derivative of $\tanh$ is below 1 wherever $h_t \neq 0$.
# In the IRNN a step is $h_t = \max(0, W_{ih} x_t + h_{t-1})$ at the start, whose Jacobian is the identity on the units that are active: there the gradient reaches the first marked value unchanged, and the network learns to keep it sooner.
# After the same 300 steps the IRNN's test error is several times lower than the SimpleRNN's.
# In Keras the same start is `SimpleRNN(units, activation="relu", recurrent_initializer="identity", bias_initializer="zeros")`.


# %%
class IRNNRegressor(TorchRegressor):
    """The SimpleRNN regressor with ReLU units, identity recurrent weights and zero biases."""

    def __init__(self):
        super().__init__("SimpleRNN")
        self.rnn = torch.nn.RNN(2, UNITS, nonlinearity="relu", batch_first=True)
        with torch.no_grad():
            self.rnn.weight_hh_l0.copy_(torch.eye(UNITS))
            self.rnn.bias_ih_l0.zero_()
            self.rnn.bias_hh_l0.zero_()


def train_steps(model, steps, learning_rate, length=LENGTHS[0]):
    """Train for a number of steps on random batches drawn from SEED; return the test MSE."""
    (x_train, y_train), (x_test, y_test) = data[length]["train"], data[length]["test"]
    inputs, targets = torch.from_numpy(x_train).to(DEVICE), torch.from_numpy(y_train).to(DEVICE)
    optimizer = torch.optim.Adam(model.parameters(), lr=learning_rate)
    generator = torch.Generator().manual_seed(SEED)
    for _ in range(steps):
        batch = torch.randint(len(inputs), (BATCH_SIZE,), generator=generator).to(DEVICE)
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(inputs[batch]), targets[batch])
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), CLIPNORM)
        optimizer.step()
    with torch.no_grad():
        prediction = model(torch.from_numpy(x_test).to(DEVICE)).cpu().numpy()
    return float(np.mean((prediction - y_test) ** 2))


# Both networks start from the same seed and see the same batches.
short_run = {}
for name in ["SimpleRNN", "IRNN"]:
    torch.manual_seed(SEED)
    model = IRNNRegressor() if name == "IRNN" else TorchRegressor(name)
    short_run[name] = train_steps(model.to(DEVICE), 300, 0.003)
print("test MSE after 300 steps:", {name: round(mse, 4) for name, mse in short_run.items()})
# The check: the identity start learns the task several times faster.
assert short_run["IRNN"] < short_run["SimpleRNN"] / 3, short_run

# %% [markdown]
# ````{solution-end}
# ````
#
# ## References
#
# ```{footbibliography}
# ```
