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
# (example-damped-oscillation)=
# # Predicting a damped oscillation
#
# - **What it shows:** SimpleRNN, GRU and LSTM models learn to predict the next value of a damped oscillation, then generate the curve on their own by feeding their predictions back. The experiment is first reproduced as the source tutorials ran it in Keras, then repeated over several seeds, in Keras and in PyTorch.
# - **Data:** synthetic: 200 samples of $y = e^{-x/5}\cos x$ on $[0, 5\pi]$.
# - **Run time:** under three minutes on a 2-core CPU at the size of the book (the foot of the page gives the time of this build); `python examples/damped_oscillation.py --quick` runs in seconds.
#
# Three Japanese and English tutorials compare recurrent layers of Keras on this curve.
# They slide a window of 20 values along it, train a model of 40 units to predict, at every step of the window, the value that comes next, and then let the model continue the curve from its own output.
# Each tutorial trains each model once, with one seed, and draws conclusions from that single run.
# This page repeats their experiment with their settings, then runs it properly: several seeds, the same models in PyTorch, training times, a number for the quality of the generated curve, and a generation loop that does not call `model.predict` at every step.
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
SEEDS = example_seeds(5)
TUTORIAL_EPOCHS = 2 if QUICK else 1000
EPOCHS = 2 if QUICK else 40
BATCH_SIZE = 16
# The smoke test leaves out the GRU: its code is the same, and each Keras model costs compile time.
MODELS = ["SimpleRNN", "LSTM"] if QUICK else ["SimpleRNN", "GRU", "LSTM"]
DEVICE = start_example(torch_threads=1)
# XLA on a CPU with TensorFlow: the tutorials' 16,000 training steps repay its compile time.
JIT_COMPILE = jit_compile(DEVICE)
STEPS_PER_EXECUTION = steps_per_execution(32)

# %% [markdown]
# ## Data
#
# The curve is sampled at 200 points.
# Each training example is a window of 20 consecutive values, and its target is the same window shifted by one step, so the model predicts the next value at every position of the window.
# As in the tutorials, the last tenth of the windows is held out for validation: Keras's `validation_split=0.1` takes the last samples, not a random tenth.
# These windows come from the end of the curve, where the oscillation has almost died out.

# %%
WINDOW = 20
x = np.linspace(0, 5 * np.pi, 200)
y = (np.exp(-x / 5) * np.cos(x)).astype("float32")

starts = np.arange(len(y) - WINDOW)
inputs = np.stack([y[s : s + WINDOW] for s in starts])[..., None]  # (180, 20, 1)
targets = np.stack([y[s + 1 : s + WINDOW + 1] for s in starts])[..., None]
n_train = int(len(inputs) * 0.9)  # validation_split=0.1 keeps the first 90 % for training
x_train, y_train = inputs[:n_train], targets[:n_train]
x_val, y_val = inputs[n_train:], targets[n_train:]
print(f"windows: {inputs.shape}, training: {len(x_train)}, validation: {len(x_val)}")

# %% [markdown]
# ## The tutorials' experiment in Keras
#
# The model is the tutorials': a recurrent layer of 40 units that returns its output at every step, followed by `Dense(1)`.
# The summaries give the totals the tutorials printed.


# %%
def keras_model(kind, units=40, stateful=False):
    """A recurrent layer returning every step, then a linear read-out, as in the tutorials.

    With `stateful=True` the layer keeps its state from one call to the next, for one sequence
    of any length: the generation below uses that.
    """
    layer = {
        "SimpleRNN": keras.layers.SimpleRNN,
        "GRU": keras.layers.GRU,
        "LSTM": keras.layers.LSTM,
    }
    inputs = keras.Input(batch_shape=(1, None, 1)) if stateful else keras.Input(shape=(WINDOW, 1))
    return keras.Sequential(
        [
            inputs,
            layer[kind](units, return_sequences=True, stateful=stateful),
            keras.layers.Dense(1),
        ],
        name=kind.lower(),
    )


for kind in MODELS:
    keras_model(kind).summary()

# %% [markdown]
# The tutorials train with plain SGD (learning rate 0.01, the Keras default), a mean squared error, batches of 10 and 1,000 epochs.
# Calling `fit` for 1,000 short epochs spends most of its time outside the model: every epoch builds a new data iterator and runs the validation.
# The function below gives the same training in one call of `fit`: it passes all the epochs' windows at once, shuffled epoch by epoch as `fit` would shuffle them, and `fit` goes through them in order.
# The only difference is that a batch may take its windows from two consecutive epochs.
# After training, the losses on the training and validation windows are computed with the final weights.


# %%
def fit_keras(model, optimizer, epochs, batch_size, seed, jit_compile="auto"):
    """Train `model` for `epochs` shuffled passes over the training windows; return the fit time."""
    model.compile(
        optimizer=optimizer,
        loss="mse",
        jit_compile=jit_compile,
        steps_per_execution=STEPS_PER_EXECUTION,
    )
    rng = np.random.default_rng(seed)
    order = np.concatenate([rng.permutation(n_train) for _ in range(epochs)])
    start = time.perf_counter()
    model.fit(x_train[order], y_train[order], batch_size=batch_size, shuffle=False, verbose=0)
    return time.perf_counter() - start


def keras_losses(model):
    """Mean squared error on the training and validation windows."""
    errors = (model.predict_on_batch(inputs) - targets) ** 2  # all windows in one call
    return [float(errors[:n_train].mean()), float(errors[n_train:].mean())]


tutorial_runs = {}
for kind in MODELS:
    keras.utils.set_random_seed(SEEDS[0])
    model = keras_model(kind)
    seconds = fit_keras(
        model, keras.optimizers.SGD(0.01), TUTORIAL_EPOCHS, 10, SEEDS[0], JIT_COMPILE
    )
    tutorial_runs[kind] = (model, seconds)
    progress(f"{kind}: fit {seconds:.1f} s, losses {keras_losses(model)}")

# %% [markdown]
# ## Generating the curve
#
# To generate, a model reads the first 20 values of the curve and predicts the next one; that prediction becomes its next input, and so on until the end of the curve, 180 values later.
# There are two ways to continue.
#
# - **Windowed**, as the tutorials do: each new value is predicted from the last 20 values, starting from a zero state, exactly as in training.
#   Each value costs a pass over a whole window.
# - **Stepped**: the recurrent state already summarises everything the model has read, so the model can take one step per new value and carry its state forward.
#   Each value costs one step of the cell and one of the read-out.
#
# The tutorials also call `model.predict` for every value.
# `predict` is built for large datasets: each call sets up a data pipeline and its callbacks, which costs far more than a step of a 40-unit network.
# Both functions below call `predict_on_batch`, which runs the compiled model on one batch and nothing else.
# The stepped one copies the weights into a twin model whose layer is `stateful`: it keeps its state from one call to the next, so each call reads one new value.
# One twin per kind of layer serves every trained model of that kind.
# The generation error is the mean squared error between the 180 generated values and the curve.

# %%
PRIME = y[:WINDOW]
GENERATED_STEPS = 30 if QUICK else len(y) - WINDOW  # to the end of the curve


def generate_like_the_tutorials(model, prime=PRIME, steps=GENERATED_STEPS):
    """The tutorials' loop: one call of `predict` on the last 20 values per new value."""
    values = list(prime)
    for _ in range(steps):
        window = np.array(values[-WINDOW:], dtype="float32").reshape(1, WINDOW, 1)
        values.append(float(model.predict(window, verbose=0)[0, -1, 0]))
    return np.array(values[WINDOW:])


def generate_keras_windowed(model, prime=PRIME, steps=GENERATED_STEPS):
    """Each new value from the last 20, with one compiled call of the model per value."""
    values = list(prime)
    for _ in range(steps):
        window = np.array(values[-WINDOW:], dtype="float32").reshape(1, WINDOW, 1)
        values.append(float(model.predict_on_batch(window)[0, -1, 0]))
    return np.array(values[WINDOW:])


TWINS = {}  # one stateful twin per kind of layer, built and compiled once


def generate_keras_stepped(model, prime=PRIME, steps=GENERATED_STEPS):
    """Copy the weights into a stateful twin, let it read `prime`, then feed back one value a step."""
    kind = model.layers[0].__class__.__name__
    if kind not in TWINS:
        TWINS[kind] = keras_model(kind, stateful=True)
    twin = TWINS[kind]
    twin.set_weights(model.get_weights())
    twin.layers[0].reset_state()  # start from a zero state, as the model did in training
    for value in prime:  # one value per call, so the compiled step is traced only once
        prediction = twin.predict_on_batch(value.reshape(1, 1, 1))
    generated = [prediction]
    for _ in range(steps - 1):
        generated.append(twin.predict_on_batch(generated[-1]))
    return np.concatenate(generated).ravel()


def generation_mse(generated):
    """Mean squared error of the generated values against the curve."""
    return float(np.mean((generated - y[WINDOW : WINDOW + len(generated)]) ** 2))


def ms_per_value(generate, model, steps=GENERATED_STEPS):
    """Milliseconds per generated value, after one call that lets Keras trace its functions."""
    generate(model, steps=1)
    start = time.perf_counter()
    generate(model, steps=steps)
    return 1000 * (time.perf_counter() - start) / steps


model = tutorial_runs["LSTM"][0]
timed_steps = 3 if QUICK else 20
speeds = {
    "predict per value (tutorials)": ms_per_value(generate_like_the_tutorials, model, timed_steps),
    "windowed, predict_on_batch": ms_per_value(generate_keras_windowed, model),
    "stepped, predict_on_batch": ms_per_value(generate_keras_stepped, model),
}
for key, name in zip(["predict", "windowed", "stepped"], speeds, strict=True):
    glue(f"timing_{key}_ms_per_value", speeds[name], display=False)
    glue(
        f"timing_{key}_speedup",
        speeds["predict per value (tutorials)"] / speeds[name],
        display=False,
    )
glue("timed_steps", timed_steps, display=False)
# The text below says that both loops gain from leaving out predict, and that with windows this
# short they run at about the same speed. Timings vary, so the bounds are wide.
windowed_over_stepped = speeds["windowed, predict_on_batch"] / speeds["stepped, predict_on_batch"]
glue("timing_windowed_over_stepped", windowed_over_stepped, display=False)
if not QUICK:
    fastest_loop = max(speeds["windowed, predict_on_batch"], speeds["stepped, predict_on_batch"])
    assert speeds["predict per value (tutorials)"] > 3 * fastest_loop, speeds
    assert 1 / 3 < windowed_over_stepped < 3, windowed_over_stepped
pd.DataFrame({"time per generated value (ms)": speeds}).round(2)

# %% [markdown]
# For the LSTM, stepping is {glue:text}`damped_oscillation.py::timing_stepped_speedup:.0f` times faster than the tutorials' loop ({glue:text}`damped_oscillation.py::timing_stepped_ms_per_value:.1f` ms per value against {glue:text}`damped_oscillation.py::timing_predict_ms_per_value:.0f` ms, the latter timed over its first {glue:text}`damped_oscillation.py::timed_steps:d` values), and the windowed loop with `predict_on_batch` is {glue:text}`damped_oscillation.py::timing_windowed_speedup:.0f` times faster ({glue:text}`damped_oscillation.py::timing_windowed_ms_per_value:.1f` ms).
# Nearly all of the gain comes from leaving out `predict`, which both loops do.
# A compiled pass over 20 values costs little more than a single step, so with windows this short the two loops run at about the same speed (the windowed one takes {glue:text}`damped_oscillation.py::timing_windowed_over_stepped:.2f` times as long per value); stepping should win when windows are long, because its cost per value does not grow with the window, which this page does not measure.
# The two ways do not compute the same thing, though: the results below show what that costs.

# %% [markdown]
# ## Several seeds, in Keras and in PyTorch
#
# One run says little: the initial weights alone can change the result.
# Each model is therefore trained from five seeds in each framework.
# The optimiser changes too.
# SGD with a learning rate of 0.01 needs many epochs; Adam with the same learning rate and batches of 16 gets as far in 40 epochs, a twenty-fifth of the tutorials' 1,000, which leaves time for five seeds in two frameworks inside the page's budget.
# The tutorials' setting stays in the table as its own rows.
#
# The PyTorch model is the same network: `nn.RNN`, `nn.GRU` or `nn.LSTM` with 40 units and `batch_first=True`, then `nn.Linear(40, 1)` at every step.
# Its training loop uses the same optimiser, learning rate, batch size and number of epochs.
# The two frameworks initialise their weights differently, so their results differ even with the same seeds.


# %%
class TorchModel(torch.nn.Module):
    """A recurrent layer returning every step, then a linear read-out."""

    def __init__(self, kind, units=40):
        super().__init__()
        layer = {"SimpleRNN": torch.nn.RNN, "GRU": torch.nn.GRU, "LSTM": torch.nn.LSTM}
        self.rnn = layer[kind](1, units, batch_first=True)
        self.readout = torch.nn.Linear(units, 1)

    def forward(self, x, state=None):
        output, state = self.rnn(x, state)
        return self.readout(output), state


def fit_torch(model, epochs, batch_size, seed):
    """Adam on shuffled batches of the training windows; return the fit time."""
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    inputs, targets = torch.from_numpy(x_train).to(DEVICE), torch.from_numpy(y_train).to(DEVICE)
    generator = torch.Generator().manual_seed(seed)
    start = time.perf_counter()
    for _ in range(epochs):
        for batch in torch.randperm(n_train, generator=generator).split(batch_size):
            optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(inputs[batch])[0], targets[batch])
            loss.backward()
            optimizer.step()
    return time.perf_counter() - start


@torch.no_grad()
def torch_losses(model):
    """Mean squared error on the training and validation windows."""
    return [
        float(
            torch.nn.functional.mse_loss(
                model(torch.from_numpy(x).to(DEVICE))[0].cpu(), torch.from_numpy(t)
            )
        )
        for x, t in [(x_train, y_train), (x_val, y_val)]
    ]


@torch.no_grad()
def generate_torch_windowed(model, prime=PRIME, steps=GENERATED_STEPS):
    """Each new value from the last 20 values, starting from a zero state."""
    values = torch.from_numpy(prime).to(DEVICE)
    for _ in range(steps):
        output, _ = model(values[-WINDOW:].view(1, WINDOW, 1))
        values = torch.cat([values, output[0, -1]])
    return values[WINDOW:].cpu().numpy()


@torch.no_grad()
def generate_torch_stepped(model, prime=PRIME, steps=GENERATED_STEPS):
    """Read `prime`, then feed each prediction back, carrying the layer's state."""
    output, state = model(torch.from_numpy(prime).view(1, -1, 1).to(DEVICE))
    generated = [output[:, -1:]]
    for _ in range(steps - 1):
        output, state = model(generated[-1], state)
        generated.append(output)
    return torch.cat(generated).flatten().cpu().numpy()


def keras_results(model, fit_s):
    """Losses, both generations and the parameter count of a trained Keras model."""
    return dict(
        fit_s=fit_s,
        losses=keras_losses(model),
        windowed=generate_keras_windowed(model),
        stepped=generate_keras_stepped(model),
        parameters=model.count_params(),
    )


def keras_run(kind, seed, optimizer, epochs, batch_size):
    keras.utils.set_random_seed(seed)
    model = keras_model(kind)
    return keras_results(model, fit_keras(model, optimizer, epochs, batch_size, seed))


def torch_run(kind, seed):
    torch.manual_seed(seed)
    model = TorchModel(kind).to(DEVICE)
    return dict(
        fit_s=fit_torch(model, EPOCHS, BATCH_SIZE, seed),
        losses=torch_losses(model),
        windowed=generate_torch_windowed(model),
        stepped=generate_torch_stepped(model),
        parameters=sum(p.numel() for p in model.parameters()),
    )


runs = {}
for kind, (model, seconds) in tutorial_runs.items():
    runs["Keras", kind, "tutorials"] = [keras_results(model, seconds)]
for kind in MODELS:
    adam = keras.optimizers.Adam
    runs["Keras", kind, "Adam"] = [
        keras_run(kind, seed, adam(0.01), EPOCHS, BATCH_SIZE) for seed in SEEDS
    ]
for kind in MODELS:
    runs["PyTorch", kind, "Adam"] = [torch_run(kind, seed) for seed in SEEDS]

# %% [markdown]
# ## Results
#
# The table gives, for each framework, model and setting, the number of parameters, the final losses on the training and validation windows, the errors of the windowed and the stepped generation, and the fit time, as mean ± standard deviation over the seeds.
# Fit times vary a little from one build to the next; every other number on this page is the same in every build on the same machine.

# %%
SETTINGS = {
    "tutorials": f"SGD, batch 10, {TUTORIAL_EPOCHS} epochs",
    "Adam": f"Adam, batch {BATCH_SIZE}, {EPOCHS} epochs",
}


def mean_std(values, spec):
    """'mean ± std' over the seeds, or the value alone for a single seed."""
    values = np.asarray(values)
    if len(values) == 1:
        return f"{values[0]:{spec}}"
    return f"{values.mean():{spec}} ± {values.std():{spec}}"


rows = []
for (framework, kind, setting), results in runs.items():
    windowed = [generation_mse(r["windowed"]) for r in results]
    stepped = [generation_mse(r["stepped"]) for r in results]
    rows.append(
        {
            "framework": framework,
            "model": kind,
            "setting": SETTINGS[setting],
            "seeds": len(results),
            "parameters": results[0]["parameters"],
            "training loss": mean_std([r["losses"][0] for r in results], ".1e"),
            "validation loss": mean_std([r["losses"][1] for r in results], ".1e"),
            "generation MSE, windowed": mean_std(windowed, ".1e"),
            "generation MSE, stepped": mean_std(stepped, ".1e"),
            "fit time (s)": mean_std([r["fit_s"] for r in results], ".2g"),
        }
    )
    key = f"{setting.lower()}_{'keras' if framework == 'Keras' else 'torch'}_{kind.lower()}"
    glue(f"windowed_{key}", float(np.mean(windowed)), display=False)
    glue(f"stepped_{key}", float(np.mean(stepped)), display=False)
    glue(f"stepped_max_{key}", float(np.max(stepped)), display=False)
    glue(f"train_loss_{key}", float(np.mean([r["losses"][0] for r in results])), display=False)
    if setting == "Adam":
        glue(f"params_{key[5:]}", results[0]["parameters"], display=False)
    else:
        glue(f"tutorial_params_{kind.lower()}", results[0]["parameters"], display=False)
glue("n_seeds", len(SEEDS), display=False)
glue("epochs", EPOCHS, display=False)


def mean_of(quantity, framework, kind, setting):
    """The mean over the seeds of one quantity of one row of the table."""
    return float(np.mean([quantity(r) for r in runs[framework, kind, setting]]))


# The discussion below draws these conclusions; a build whose numbers disagree fails here.
if not QUICK:
    windowed_mse = lambda r: generation_mse(r["windowed"])  # noqa: E731
    stepped_mse = lambda r: generation_mse(r["stepped"])  # noqa: E731
    for framework, kind, setting in runs:
        # One step ahead is easy for every model, and the validation loss is lower still.
        train_loss = mean_of(lambda r: r["losses"][0], framework, kind, setting)
        assert train_loss < 1e-2
        assert mean_of(lambda r: r["losses"][1], framework, kind, setting) < train_loss
        # No model continues the curve closely.
        assert mean_of(windowed_mse, framework, kind, setting) > 1e-2
    for kind in MODELS:
        # Adam takes a fraction of the time of the tutorials' SGD.
        adam_s = mean_of(lambda r: r["fit_s"], "Keras", kind, "Adam")
        assert adam_s < mean_of(lambda r: r["fit_s"], "Keras", kind, "tutorials")
    for framework in ["Keras", "PyTorch"]:
        # The spread over the seeds is as large as the differences between the models.
        per_model = [[windowed_mse(r) for r in runs[framework, k, "Adam"]] for k in MODELS]
        means = [np.mean(v) for v in per_model]
        assert max(np.std(v) for v in per_model) >= 0.5 * (max(means) - min(means))
    # Stepped generation is worse for most rows, and worst for the Keras GRU.
    grows = [mean_of(stepped_mse, *row) > mean_of(windowed_mse, *row) for row in runs]
    assert sum(grows) > len(grows) / 2
    assert max(runs, key=lambda row: mean_of(stepped_mse, *row)) == ("Keras", "GRU", "Adam")
summary = pd.DataFrame(rows).set_index(["framework", "model", "setting"])
report("Models and settings", summary)
summary

# %% [markdown]
# The figure shows the curves generated, windowed, by the models of the first seed, from the same 20 values.

# %%
fig, axes = plt.subplots(3, 1, figsize=(7, 7.5), sharex=True, sharey=True)
panels = [("Keras", "tutorials"), ("Keras", "Adam"), ("PyTorch", "Adam")]
for ax, (framework, setting) in zip(axes, panels, strict=True):
    ax.plot(x, y, color="0.6", linewidth=3, label="curve")
    for kind in MODELS:
        generated = runs[framework, kind, setting][0]["windowed"]
        ax.plot(x[WINDOW : WINDOW + len(generated)], generated, label=kind)
    ax.axvline(x[WINDOW - 1], color="0.3", linestyle=":", linewidth=1)
    ax.set_title(f"{framework}, {SETTINGS[setting]}", fontsize="medium")
    ax.set_ylabel("$y$")
axes[0].legend(loc="upper right", ncols=2)
axes[-1].set_xlabel("$x$")
fig.tight_layout()
glue("fig_generation", fig, display=False)
show(fig)  # The page shows the glued figure, with its caption, below.

# %% [markdown]
# ```{glue:figure} fig_generation
# :name: fig-damped-generation
#
# Curves generated window by window, each model feeding back its own predictions after the first 20 values of the curve (left of the dotted line). Top: Keras in the tutorials' setting. Middle and bottom: Keras and PyTorch trained with Adam, first seed.
# ```
#
# ## Discussion
#
# **Parameters.**
# The Keras models have the totals printed in the tutorials: {glue:text}`damped_oscillation.py::tutorial_params_simplernn:,d` for SimpleRNN, {glue:text}`damped_oscillation.py::tutorial_params_gru:,d` for GRU and {glue:text}`damped_oscillation.py::tutorial_params_lstm:,d` for LSTM.
# PyTorch's GRU has the same count, {glue:text}`damped_oscillation.py::params_torch_gru:,d`, because Keras's `GRU`, with its default `reset_after=True`, keeps two bias vectors, one for the input and one for the recurrent connection, as `nn.GRU` does.
# PyTorch's `nn.RNN` and `nn.LSTM` keep two bias vectors too, where Keras's `SimpleRNN` and `LSTM` keep one, so they carry one extra bias per gate and unit: {glue:text}`damped_oscillation.py::params_torch_simplernn:,d` parameters against {glue:text}`damped_oscillation.py::params_keras_simplernn:,d`, and {glue:text}`damped_oscillation.py::params_torch_lstm:,d` against {glue:text}`damped_oscillation.py::params_keras_lstm:,d`.
# The two biases are always added together, so the extra ones do not let the network compute anything new.
#
# **Training.**
# In the tutorials' setting the training losses end at {glue:text}`damped_oscillation.py::train_loss_tutorials_keras_simplernn:.1e` for SimpleRNN, {glue:text}`damped_oscillation.py::train_loss_tutorials_keras_gru:.1e` for GRU and {glue:text}`damped_oscillation.py::train_loss_tutorials_keras_lstm:.1e` for LSTM.
# With Adam the Keras models reach {glue:text}`damped_oscillation.py::train_loss_adam_keras_simplernn:.1e`, {glue:text}`damped_oscillation.py::train_loss_adam_keras_gru:.1e` and {glue:text}`damped_oscillation.py::train_loss_adam_keras_lstm:.1e` in a fraction of the time (the fit times are in the table).
# The validation losses are smaller still, because the validation windows come from the end of the curve, where every value is close to zero: a low validation loss here says little.
# Predicting one step ahead is easy for all three models; it does not tell them apart.
#
# **Generation.**
# Generating 180 values from 20 is much harder, because each error is fed back and compounds.
# Generated window by window, the models trained with Adam reach errors of {glue:text}`damped_oscillation.py::windowed_adam_keras_simplernn:.3f` (SimpleRNN), {glue:text}`damped_oscillation.py::windowed_adam_keras_gru:.3f` (GRU) and {glue:text}`damped_oscillation.py::windowed_adam_keras_lstm:.3f` (LSTM) in Keras, and {glue:text}`damped_oscillation.py::windowed_adam_torch_simplernn:.3f`, {glue:text}`damped_oscillation.py::windowed_adam_torch_gru:.3f` and {glue:text}`damped_oscillation.py::windowed_adam_torch_lstm:.3f` in PyTorch, averaged over {glue:text}`damped_oscillation.py::n_seeds:d` seeds.
# The spread over seeds in the table is as large as the differences between the models.
# A single run, as in the tutorials, cannot rank them: with another seed its conclusion could be reversed.
# On a curve this smooth, a window of 20 values leaves little for gates to do, and none of the models continues the curve closely.
#
# **Windowed or stepped.**
# Stepping is much faster, but it asks more of the model.
# In training, every window started from a zero state and lasted 20 steps; a stepped model carries its state for 200 steps, into a region of its state space that training never visited.
# Stepped, the errors grow for most models; the worst case is the Keras GRU, with a mean of {glue:text}`damped_oscillation.py::stepped_adam_keras_gru:.2f` and a worst seed at {glue:text}`damped_oscillation.py::stepped_max_adam_keras_gru:.2f`, against {glue:text}`damped_oscillation.py::windowed_adam_keras_gru:.3f` windowed.
# The remedy is to train the way the model will be used: on long sequences, carrying the state from one window to the next, so that fast stepped generation is also faithful.

# %% [markdown]
# ## Exercises
#
# ```{exercise}
# :label: damped-exercise-growing-window
#
# **Stepping is a window that never slides.** Write `generate_torch_growing`, which predicts each new value from all the values so far, the 20 given and those generated, starting from a zero state: a window that grows instead of sliding.
# Train a `TorchModel("GRU")` with `fit_torch` for ten epochs, and check that the growing window generates the same curve as `generate_torch_stepped`.
# Then compare both with `generate_torch_windowed`: which generated values do all three share, and from which value on does the windowed one go its own way?
# ```
#
# ````{solution-start} damped-exercise-growing-window
# :class: dropdown
# ````
#
# A recurrent layer that reads a sequence from a zero state in one call computes the same states as one that reads it step by step and carries its state, so predicting from the whole history is stepped generation, paid for with a pass over the whole history at each value.
# All three ways predict the first value from the same 20 values and a zero state, so they agree on it.
# From the second value on, the windowed generation drops the oldest value and starts again from a zero state, while the other two keep everything they have read: the windowed curve parts from them there, a little at first, then more as each difference is fed back.


# %%
@torch.no_grad()
def generate_torch_growing(model, prime=PRIME, steps=GENERATED_STEPS):
    """Each new value from all the values so far, starting from a zero state."""
    values = torch.from_numpy(prime).to(DEVICE)
    for _ in range(steps):
        output, _ = model(values.view(1, -1, 1))
        values = torch.cat([values, output[0, -1]])
    return values[WINDOW:].cpu().numpy()


# A small GRU, trained for ten epochs, on which to compare the three ways of generating.
torch.manual_seed(SEEDS[0])
gru = TorchModel("GRU").to(DEVICE)
fit_torch(gru, 10, BATCH_SIZE, SEEDS[0])
# On a GPU, in full float32: cuDNN would otherwise round its products to TensorFloat-32.
with torch.backends.cudnn.flags(enabled=True, allow_tf32=False):
    curves = {
        "growing": generate_torch_growing(gru),
        "stepped": generate_torch_stepped(gru),
        "windowed": generate_torch_windowed(gru),
    }
gap = np.abs(curves["windowed"] - curves["stepped"])
print(f"growing against stepped: {np.abs(curves['growing'] - curves['stepped']).max():.1e}")
print(f"windowed against stepped: {gap[0]:.1e}, {gap[1]:.1e} and {gap[2]:.1e} at the first three")
print(f"windowed against stepped, at most: {gap.max():.1e}")
# The check: growing and stepped generate the same curve; windowed shares only its first value.
np.testing.assert_allclose(curves["growing"], curves["stepped"], atol=1e-5)
assert gap[0] < 1e-5 < gap[1], gap[:3]

# %% [markdown]
# ````{solution-end}
# ````
