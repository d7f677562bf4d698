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
# (example-gate-learning)=
# # A gate that learns when to open
#
# - **What it shows:** a single gate, a `Dense` layer with a sigmoid in Keras and an `nn.Linear` with a sigmoid in PyTorch, learns to pass a signal while a context says "on" and to block it while the context says "off".
# - **Data:** synthetic: a noisy sine wave and a random on/off context, generated below.
# - **Run time:** under a minute on a 2-core CPU at the size of the book (the foot of the page gives the time of this build); `python examples/gate_learning.py --quick` runs in seconds.
#
# The {doc}`../gates` chapter trains a gate whose values hardly change over time.
# Here the gate has to open and close as time goes on, which is what the gates of a GRU or an LSTM do at every step.
# The model computes
#
# $$
# g_t = \sigma(w_s s_t + w_u u_t + b), \qquad \hat y_t = g_t\, s_t,
# $$
#
# from a signal $s_t$ and a context $u_t \in \{-1, +1\}$, and the target is $y_t = s_t$ where $u_t = +1$ and $0$ where $u_t = -1$.
# The script needs NumPy, pandas, Matplotlib, Keras, PyTorch and the book's package `gatedrnn`, from which it imports only what every page shares (the quick flag, the device, the settings of the frameworks); its data, models and training loops are all on this page.

# %%
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch

from gatedrnn.book import QUICK, example_seeds, glue, report, show, start_example

# The book builds this page at full size; `--quick` makes a smoke test of a few seconds.
EPOCHS = 3 if QUICK else 30
SEEDS = example_seeds(3, quick=2)
DEVICE = start_example()


# %% [markdown]
# ## Data
#
# Each series has 400 time steps.
# The signal is a sine wave with a random phase and a little noise; the context is a random telegraph signal that flips with probability 0.05 at each step.
# The gate sees one time step at a time, so every time step of every series is one training example of two features.


# %%
def make_series(n_series, length=400, seed=0):
    """Return inputs (n_series, length, 2) holding (s_t, u_t) and targets (n_series, length)."""
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    phase = rng.uniform(0, 2 * np.pi, size=(n_series, 1))
    signal = np.sin(2 * np.pi * t / 50 + phase) + 0.05 * rng.standard_normal((n_series, length))
    flips = rng.random((n_series, length)) < 0.05
    context = np.where(np.cumsum(flips, axis=1) % 2 == 0, 1.0, -1.0)
    inputs = np.stack([signal, context], axis=-1).astype("float32")
    targets = np.where(context > 0, signal, 0.0).astype("float32")
    return inputs, targets


train_inputs, train_targets = make_series(64, seed=10)
test_inputs, test_targets = make_series(16, seed=11)

# Flatten the time axis: the gate reads one time step at a time.
x_train, y_train = train_inputs.reshape(-1, 2), train_targets.reshape(-1, 1)
x_test, y_test = test_inputs.reshape(-1, 2), test_targets.reshape(-1, 1)
print(f"train: {x_train.shape[0]:,} steps, test: {x_test.shape[0]:,} steps")

# %% [markdown]
# Two baselines frame the results: a gate that is always open ($\hat y_t = s_t$) and one that is always closed ($\hat y_t = 0$).

# %%
always_open = float(np.mean((x_test[:, :1] - y_test) ** 2))
always_closed = float(np.mean(y_test**2))
glue("mse_always_open", always_open, display=False)
glue("mse_always_closed", always_closed, display=False)
print(f"test MSE, gate always open: {always_open:.4f}, always closed: {always_closed:.4f}")

# %% [markdown]
# ## The gate in Keras
#
# In Keras the gate is a `Dense(1, activation="sigmoid")` layer.
# The model multiplies its output into the signal, the first feature of the input.


# %%
def keras_gate_model():
    """A functional Keras model: one sigmoid gate applied to the signal."""
    inputs = keras.Input(shape=(2,))
    gate = keras.layers.Dense(1, activation="sigmoid", name="gate")(inputs)
    signal = keras.layers.Lambda(lambda x: x[:, :1], output_shape=(1,), name="signal")(inputs)
    outputs = keras.layers.Multiply(name="gated")([gate, signal])
    return keras.Model(inputs, outputs)


def fit_keras(seed):
    """Train the Keras gate from one seed; return the model, test MSE and fit time."""
    keras.utils.set_random_seed(seed)
    model = keras_gate_model()
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")
    start = time.perf_counter()
    model.fit(x_train, y_train, batch_size=256, epochs=EPOCHS, shuffle=True, verbose=0)
    seconds = time.perf_counter() - start
    mse = float(model.evaluate(x_test, y_test, batch_size=4096, verbose=0))
    return model, mse, seconds


keras_runs = [fit_keras(seed) for seed in SEEDS]
keras_model = keras_runs[0][0]
print("Keras test MSE per seed:", [round(mse, 5) for _, mse, _ in keras_runs])

# %% [markdown]
# ## The gate in PyTorch
#
# In PyTorch the gate is an `nn.Linear(2, 1)` followed by `torch.sigmoid`.
# The training loop shuffles the same data into batches of the same size, with the same optimiser and learning rate.


# %%
class TorchGateModel(torch.nn.Module):
    """One sigmoid gate applied to the signal, the first feature of the input."""

    def __init__(self):
        super().__init__()
        self.gate = torch.nn.Linear(2, 1)

    def forward(self, x):
        return torch.sigmoid(self.gate(x)) * x[:, :1]


def fit_torch(seed):
    """Train the PyTorch gate from one seed; return the model, test MSE and fit time."""
    torch.manual_seed(seed)
    model = TorchGateModel().to(DEVICE)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    inputs = torch.from_numpy(x_train).to(DEVICE)
    targets = torch.from_numpy(y_train).to(DEVICE)
    start = time.perf_counter()
    for _ in range(EPOCHS):
        order = torch.randperm(len(inputs), device=DEVICE)
        for batch in order.split(256):
            optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(inputs[batch]), targets[batch])
            loss.backward()
            optimizer.step()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        prediction = model(torch.from_numpy(x_test).to(DEVICE)).cpu()
    mse = float(torch.nn.functional.mse_loss(prediction, torch.from_numpy(y_test)))
    return model, mse, seconds


torch_runs = [fit_torch(seed) for seed in SEEDS]
torch_model = torch_runs[0][0]
print("PyTorch test MSE per seed:", [round(mse, 5) for _, mse, _ in torch_runs])

# %% [markdown]
# ## Results
#
# The table gives the mean and standard deviation over the seeds of the test error and the fit time, and the learned weights of the first seed.
# The weight on the context, $w_u$, tells how hard the gate switches.
# Fit times vary a little from one build to the next; every other number on this page is the same in every build on the same machine.


# %%
def learned_weights(framework, model):
    """Return (w_s, w_u, b) of a trained gate."""
    if framework == "Keras":
        kernel, bias = model.get_layer("gate").get_weights()
        return float(kernel[0, 0]), float(kernel[1, 0]), float(bias[0])
    weight = model.gate.weight.detach().cpu().numpy()[0]
    return float(weight[0]), float(weight[1]), float(model.gate.bias.item())


rows, learned = [], {}
for framework, runs in [("Keras", keras_runs), ("PyTorch", torch_runs)]:
    mses = np.array([mse for _, mse, _ in runs])
    seconds = np.array([s for _, _, s in runs])
    w_s, w_u, b = learned_weights(framework, runs[0][0])
    parameters = (
        runs[0][0].count_params()
        if framework == "Keras"
        else sum(p.numel() for p in runs[0][0].parameters())
    )
    rows.append(
        {
            "framework": framework,
            "parameters": parameters,
            "test MSE": f"{mses.mean():.2e} ± {mses.std():.1e}",
            "fit time (s)": f"{seconds.mean():.1f} ± {seconds.std():.1f}",
            "w_s": round(w_s, 2),
            "w_u": round(w_u, 2),
            "b": round(b, 2),
        }
    )
    glue(f"mse_{framework.lower()}", float(mses.mean()), display=False)
    glue(f"wu_{framework.lower()}", w_u, display=False)
    learned[framework] = float(mses.mean()), w_u
# The discussion below says that both learned gates do far better than a gate that is always
# open or always closed, and that the two frameworks' numbers are close but not equal.
if not QUICK:
    for mse, w_u in learned.values():
        assert mse < min(always_open, always_closed) / 10 and w_u > 0, learned
    (keras_mse, keras_wu), (torch_mse, torch_wu) = learned["Keras"], learned["PyTorch"]
    assert keras_mse != torch_mse and 0.1 < keras_mse / torch_mse < 10, learned
    assert 0.5 < keras_wu / torch_wu < 2, learned
summary = pd.DataFrame(rows).set_index("framework")
report("The gate, trained in Keras and in PyTorch", summary)
glue("n_seeds", len(SEEDS), display=False)
glue("epochs", EPOCHS, display=False)
summary

# %% [markdown]
# The figure shows one test series: the signal, the context, the gate values of both trained models, and the gated output against the target.

# %%
series = 0
steps = np.arange(test_inputs.shape[1])
series_inputs = test_inputs[series]
keras_gate_values = keras.ops.convert_to_numpy(
    keras.Model(keras_model.inputs[0], keras_model.get_layer("gate").output)(series_inputs)
)[:, 0]
with torch.no_grad():
    torch_gate_values = (
        torch.sigmoid(torch_model.gate(torch.from_numpy(series_inputs).to(DEVICE)))
        .cpu()
        .numpy()[:, 0]
    )

fig, axes = plt.subplots(3, 1, figsize=(7, 5.5), sharex=True)
axes[0].plot(steps, series_inputs[:, 0], label="$s_t$")
axes[0].plot(steps, series_inputs[:, 1], label="$u_t$", linestyle="--")
axes[0].legend(loc="upper right", ncols=2)
axes[1].plot(steps, keras_gate_values, label="Keras")
axes[1].plot(steps, torch_gate_values, label="PyTorch", linestyle=":")
axes[1].set_ylabel("$g_t$")
axes[1].legend(loc="upper right", ncols=2)
axes[2].plot(steps, test_targets[series], label="$y_t$", color="0.6", linewidth=3)
axes[2].plot(steps, keras_gate_values * series_inputs[:, 0], label=r"$\hat y_t$ (Keras)")
axes[2].set_xlabel("$t$")
axes[2].legend(loc="upper right", ncols=2)
fig.tight_layout()
glue("fig_gate_over_steps", fig, display=False)
show(fig)  # The page shows the glued figure, with its caption, below.

# %% [markdown]
# ```{glue:figure} fig_gate_over_steps
# :name: fig-gate-over-time
#
# One test series. Top: the signal $s_t$ and the context $u_t$. Middle: the values of the gates learned in Keras and in PyTorch. Bottom: the target and the output of the Keras model.
# ```
#
# ## Discussion
#
# A gate that is always open has a test error of {glue:text}`gate_learning.py::mse_always_open:.3f`, and one that is always closed {glue:text}`gate_learning.py::mse_always_closed:.3f`.
# After {glue:text}`gate_learning.py::epochs:d` epochs the learned gates reach {glue:text}`gate_learning.py::mse_keras:.1e` in Keras and {glue:text}`gate_learning.py::mse_pytorch:.1e` in PyTorch, averaged over {glue:text}`gate_learning.py::n_seeds:d` seeds.
# The weight on the context grew to {glue:text}`gate_learning.py::wu_keras:.1f` in Keras and {glue:text}`gate_learning.py::wu_pytorch:.1f` in PyTorch: the larger it is, the closer the sigmoid comes to a hard switch, and the gradient keeps pushing it up as long as a half-open gate costs error.
# The two frameworks start from different random weights and shuffle the data differently, so their numbers are close (within a factor of ten for the error, of two for the weight) but not equal.
#
# The gate here reads only the current time step.
# The gates of a GRU or an LSTM also read the previous hidden state, so they can open and close on what the network has seen before, not only on what it sees now.

# %% [markdown]
# ## Exercises
#
# ```{exercise}
# :label: gate-learning-exercise-sign
#
# **Which way the gate switches.** Before you look at the table, answer: which sign must $w_u$ have for the gate to open where $u_t = +1$ and to close where $u_t = -1$?
# Check your answer on every trained gate, from every seed and in both frameworks, with `learned_weights`.
# Then check that the trained gates of the first seed are more than half open at every test step where the context is on, and less than half open at every step where it is off.
# ```
#
# ````{solution-start} gate-learning-exercise-sign
# :class: dropdown
# ````
#
# The context enters the gate as $w_u u_t$, which is $+w_u$ where the context is on and $-w_u$ where it is off; the gate $\sigma(w_s s_t + w_u u_t + b)$ is open where its argument is large, so $w_u$ must be positive.
# The signal $s_t$ takes positive and negative values whatever the context says, so it tells the gate nothing about when to open, and $w_s$ and $b$ stay small next to $w_u$: the sign of the argument, and so which side of one half the gate is on, follows the context.

# %%
# The sign of w_u on every trained gate.
weights = {
    (framework, seed): learned_weights(framework, model)
    for framework, runs in [("Keras", keras_runs), ("PyTorch", torch_runs)]
    for seed, (model, _, _) in zip(SEEDS, runs, strict=True)
}
print({key: round(w_u, 2) for key, (_, w_u, _) in weights.items()})
assert all(w_u > 0 for _, w_u, _ in weights.values()), weights
# The gates of the first seed at every test step, from each framework's own layers.
keras_gate = keras.Model(keras_model.inputs[0], keras_model.get_layer("gate").output)
keras_test_gate = keras.ops.convert_to_numpy(keras_gate(x_test))[:, 0]
with torch.no_grad():
    torch_inputs = torch.from_numpy(x_test).to(DEVICE)
    torch_test_gate = torch.sigmoid(torch_model.gate(torch_inputs)).cpu().numpy()[:, 0]
on = x_test[:, 1] > 0
half_open = {"Keras": keras_test_gate > 0.5, "PyTorch": torch_test_gate > 0.5}
for name, values in [("Keras", keras_test_gate), ("PyTorch", torch_test_gate)]:
    print(
        f"{name}: {values[on].min():.3f} or more where on, {values[~on].max():.3f} or less where off"
    )
# The check: each gate is more than half open exactly where the context is on.
assert all(np.array_equal(opened, on) for opened in half_open.values()), {
    name: int(np.sum(opened != on)) for name, opened in half_open.items()
}

# %% [markdown]
# ````{solution-end}
# ````
#
# ```{exercise}
# :label: gate-learning-exercise-hard-switch
#
# **How hard must the switch be?** Take a gate that reads the context only, with $w_s = b = 0$.
# Show that its test error is $\sigma(-w_u)^2\, \overline{s^2}$, where $\overline{s^2}$ is the mean of $s_t^2$ over the test steps, and solve for the $w_u$ that gives the test error of the trained Keras gate of the first seed.
# Set that weight in a new `keras_gate_model()`, check with `evaluate` that it has that error, and compare it with the $w_u$ the gate learned.
# ```
#
# ````{solution-start} gate-learning-exercise-hard-switch
# :class: dropdown
# ````
#
# Where the context is on, the gate is $\sigma(w_u)$ and the error is $(\sigma(w_u) s_t - s_t)^2 = (1 - \sigma(w_u))^2 s_t^2 = \sigma(-w_u)^2 s_t^2$; where it is off, the gate is $\sigma(-w_u)$ and the error is $\sigma(-w_u)^2 s_t^2$ as well.
# The mean over the test steps is therefore $\sigma(-w_u)^2\, \overline{s^2}$.
# Setting it equal to an error $E$ gives $\sigma(-w_u) = \sqrt{E / \overline{s^2}} = q$, and $w_u = \ln\frac{1 - q}{q}$.
# Since the trained gate's $w_s$ and $b$ are small, the weight found this way is close to the one it learned.

# %%
# The weight on the context that gives the trained gate's error, from the closed form.
trained_mse = keras_runs[0][1]
mean_square = float(np.mean(x_test[:, 0].astype("float64") ** 2))
q = np.sqrt(trained_mse / mean_square)
w_u_needed = float(np.log((1 - q) / q))
# A context-only gate with that weight, evaluated by Keras on the CPU, in full float32 (a GPU
# may round the products to TensorFloat-32).
with keras.device("cpu"):
    context_gate = keras_gate_model()
    context_gate.get_layer("gate").set_weights(
        [np.array([[0.0], [w_u_needed]], dtype="float32"), np.zeros(1, dtype="float32")]
    )
    context_gate.compile(loss="mse")
    context_mse = float(context_gate.evaluate(x_test, y_test, batch_size=4096, verbose=0))
w_u_learned = learned_weights("Keras", keras_model)[1]
print(f"trained gate: test MSE {trained_mse:.3e}, w_u {w_u_learned:.2f}")
print(f"context-only gate with w_u {w_u_needed:.2f}: test MSE {context_mse:.3e}")
# The check: Keras measures the error that the closed form promised.
np.testing.assert_allclose(context_mse, trained_mse, rtol=1e-5)

# %% [markdown]
# ````{solution-end}
# ````
