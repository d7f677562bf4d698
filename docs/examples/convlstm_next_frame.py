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
# (example-convlstm-next-frame)=
# # Next-frame prediction: a ConvLSTM watches shapes move
#
# - **What it shows:** a ConvLSTM trained to predict the next frame of a video, once with `keras.layers.ConvLSTM2D` and once with the from-scratch PyTorch layer of {doc}`../convlstm`; after ten frames, each model predicts the next ten from its own predictions, and we compare its error at each step with a copy of the last frame. On the way, we show how a widely copied model lets each prediction see the frame it is meant to predict, and build ours so that it cannot.
# - **Data:** synthetic: a square and a disc bounce inside 40 × 40 frames for 20 frames, generated below with NumPy from fixed seeds.
# - **Run time:** under four minutes on a 2-core CPU at the size of the book (the foot of the page gives the time of this build); `python examples/convlstm_next_frame.py --quick` runs in seconds.
#
# The script needs NumPy, pandas, Matplotlib, Keras, PyTorch and the book's package `gatedrnn`, from which it imports what every page shares (the quick flag, the device, the settings of the frameworks) and the from-scratch ConvLSTM of the chapter; its data, models and training loops are all on this page.

# %%
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch

from gatedrnn.book import QUICK, glue, report, show, start_example

# The book builds this page at full size; `--quick` makes a smoke test of a few seconds.
N_TRAIN = 32 if QUICK else 288
N_TEST = 8 if QUICK else 64
EPOCHS = 1 if QUICK else 8
DEVICE = start_example()

# %% [markdown]
# ## Data: a square and a disc that bounce
#
# Each sequence holds two shapes, a square and a disc, with a random size, start and direction.
# At each frame a shape moves by one pixel along each axis, up or down and left or right, or along one axis only, and bounces off the walls, so its path is fully determined by its last two positions.
# The frames are black and white: a pixel is 1 where a shape covers it and 0 elsewhere.
# Nothing in the future is random: a model that has seen two frames of a shape knows where it goes next, so a perfect model would make no error.

# %%
SIZE, FRAMES, OBSERVED = 40, 20, 10


def make_moving_shapes(n, seed, size=SIZE, frames=FRAMES):
    """Return n videos of shape (n, frames, size, size), float32 in {0, 1}."""
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:size, 0:size]
    steps = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0)]
    videos = np.zeros((n, frames, size, size), dtype="float32")
    for video in videos:
        for kind in ("square", "disc"):
            # Draw a size, a start that keeps the shape inside the frame, and a direction.
            radius = int(rng.integers(3, 6))
            low, high = radius, size - 1 - radius
            position = rng.integers(low, high + 1, size=2)
            velocity = np.array(steps[rng.integers(len(steps))])
            for frame in video:
                dy, dx = rows - position[0], cols - position[1]
                if kind == "square":
                    frame[np.maximum(abs(dy), abs(dx)) < radius] = 1.0
                else:
                    frame[dy**2 + dx**2 <= radius**2] = 1.0
                # Move, and reflect off a wall the step that would cross it.
                position = position + velocity
                for axis in range(2):
                    if not low <= position[axis] <= high:
                        velocity[axis] *= -1
                        position[axis] += 2 * velocity[axis]
    return videos


train_videos = make_moving_shapes(N_TRAIN, seed=1)
test_videos = make_moving_shapes(N_TEST, seed=2)
print(f"training videos {train_videos.shape}, test videos {test_videos.shape}")
print(f"fraction of pixels that are on: {train_videos.mean():.3f}")
glue("n_train", N_TRAIN, display=False)
glue("n_test", N_TEST, display=False)
glue("size", SIZE, display=False)
glue("frames", FRAMES, display=False)
glue("observed", OBSERVED, display=False)
glue("predicted", FRAMES - OBSERVED, display=False)
glue("on_fraction", float(train_videos.mean()), display=False)

# %%
fig, axes = plt.subplots(2, FRAMES // 2, figsize=(9, 2.2))
for t, ax in enumerate(axes.flat):
    ax.imshow(train_videos[0, t], cmap="gray_r", vmin=0, vmax=1)
    ax.set_title(f"$t={t + 1}$", fontsize=8)
    ax.axis("off")
fig.tight_layout()
glue("fig_sequence", fig, display=False)
show(fig)

# %% [markdown]
# ```{glue:figure} fig_sequence
# :name: fig-next-frame-sequence
#
# The first training video, frame by frame: a square and a disc move in straight lines and bounce off the walls.
# ```
#
# The task is to predict frame $t+1$ from frames $1, \dots, t$.
# For training, the input is frames 1 to 19 and the target is frames 2 to 20, so that every step of the sequence contributes a prediction.

# %% [markdown]
# (next-frame-no-peeking)=
# ## No peeking at the future
#
# A ConvLSTM with `return_sequences=True` gives one hidden state per frame, and the hidden state at step $t$ depends only on frames $1, \dots, t$.
# What turns these states into frames must keep that property.
# The next-frame example of keras-io, `examples/vision/conv_lstm.py`, stacks three `ConvLSTM2D` layers of 64 filters on Moving MNIST; the older Keras example it replaced, copied into many tutorials, stacks four layers of 40 filters on moving squares in 40 × 40 frames.
# Both end with `Conv3D(filters=1, kernel_size=(3, 3, 3), padding="same")` and train on frames shifted by one, as we do.
# A kernel of 3 along the time axis with "same" padding makes the output at step $t$ a mix of the hidden states at $t-1$, $t$ and $t+1$; the state at $t+1$ has read frame $t+1$, which is exactly the target of step $t$.
# In training, every step but the last can copy its answer from its input, so the training loss says little about how well the model predicts.
# At prediction time the model reads the output of the last step, where the slot of the next frame holds the zeros of the padding: the frame it has learned to copy is never there.
#
# The check below builds both heads on the same untrained ConvLSTM, changes every frame after step $t$, and measures how much the outputs up to step $t$ move.
# A causal model must not move at all; the head we use, `Conv3D` with a kernel of 1 along time, is a 2D convolution of each frame's hidden state and passes.

# %%
FILTERS, KERNEL = 8, 3


def keras_next_frame_model(time_kernel=1):
    """ConvLSTM2D and a convolution back to one channel; time_kernel=3 is the leaky head."""
    return keras.Sequential(
        [
            keras.Input(shape=(None, SIZE, SIZE, 1)),
            keras.layers.ConvLSTM2D(FILTERS, KERNEL, padding="same", return_sequences=True),
            keras.layers.Conv3D(1, (time_kernel, 3, 3), padding="same", activation="sigmoid"),
        ]
    )


def future_influence(predict, videos, t):
    """The largest change of the predictions for steps 1..t when frames after t change."""
    changed = videos.copy()
    changed[:, t:] = np.random.default_rng(0).random(changed[:, t:].shape)
    before, after = predict(videos), predict(changed)
    return float(np.abs(before[:, :t] - after[:, :t]).max())


keras.utils.set_random_seed(0)
probe = test_videos[:2, :-1, :, :, None]
influence = {}
for name, time_kernel in [("leaky", 3), ("causal", 1)]:
    model = keras_next_frame_model(time_kernel)
    influence[name] = future_influence(model.predict_on_batch, probe, OBSERVED)
    print(
        f"{name} head: changing frames after t={OBSERVED} moves the predictions "
        f"up to t by {influence[name]:.2e}"
    )
glue("influence_leaky", influence["leaky"], display=False)
glue("influence_causal", influence["causal"], display=False)
assert influence["causal"] < 1e-6 < influence["leaky"]

# %% [markdown]
# With the leaky head, changing the future moves the past predictions by up to {glue:text}`convlstm_next_frame.py::influence_leaky:.2e`, even before any training; with ours the change is {glue:text}`convlstm_next_frame.py::influence_causal:.1f`.
# The same check runs on the PyTorch model below.
# The `BatchNormalization` layers between the ConvLSTM layers of the keras-io model are a weaker channel of the same kind: in training they normalise with the mean and variance over the batch, all time steps included; at prediction time they use running statistics.
# Our model has a single ConvLSTM layer and no normalisation.

# %% [markdown]
# ## The model in Keras
#
# The model is one `ConvLSTM2D` layer of {glue:text}`convlstm_next_frame.py::filters:d` filters with a {glue:text}`convlstm_next_frame.py::kernel:d` × {glue:text}`convlstm_next_frame.py::kernel:d` kernel and "same" padding, so that its states keep the size of the frames, followed by the causal head: a 3 × 3 convolution of each step's hidden state to one channel and a sigmoid, the probability that a pixel is on.
# It is trained with the binary cross-entropy, Adam with a learning rate of {glue:text}`convlstm_next_frame.py::learning_rate:.2f`, batches of {glue:text}`convlstm_next_frame.py::batch_size:d` and {glue:text}`convlstm_next_frame.py::epochs:d` epochs over {glue:text}`convlstm_next_frame.py::n_train:d` videos.
# Each video gives {glue:text}`convlstm_next_frame.py::steps_per_video:d` predictions, one per step.

# %%
BATCH_SIZE, LEARNING_RATE, SEED = 16, 0.01, 0
glue("filters", FILTERS, display=False)
glue("kernel", KERNEL, display=False)
glue("batch_size", BATCH_SIZE, display=False)
glue("learning_rate", LEARNING_RATE, display=False)
glue("epochs", EPOCHS, display=False)
glue("steps_per_video", FRAMES - 1, display=False)

# Inputs are frames 1..19 and targets frames 2..20, with a channel axis last (channels_last).
x_train, y_train = train_videos[:, :-1, :, :, None], train_videos[:, 1:, :, :, None]
keras.utils.set_random_seed(SEED)
keras_model = keras_next_frame_model()
keras_model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="binary_crossentropy")
start = time.perf_counter()
history = keras_model.fit(
    x_train, y_train, batch_size=BATCH_SIZE, epochs=EPOCHS, shuffle=True, verbose=0
)
keras_seconds = time.perf_counter() - start
keras_losses = history.history["loss"]
print(
    f"Keras: {keras_model.count_params():,} parameters, {keras_seconds:.1f} s, "
    f"training loss {keras_losses[0]:.4f} -> {keras_losses[-1]:.4f}"
)
keras_model.summary()

# %% [markdown]
# ## The model in PyTorch, on the from-scratch ConvLSTM
#
# The PyTorch model uses the `ConvLSTM2D` layer of {doc}`../convlstm`, which that chapter checks against `keras.layers.ConvLSTM2D` with copied weights.
# The example imports that layer from the book's package, `gatedrnn.convlstm_torch`; the step of its cell, where the four gates are computed, reads:
#
# ```{literalinclude} ../../src/gatedrnn/convlstm_torch.py
# :pyobject: ConvLSTM2DCell.step
# ```
#
# PyTorch puts channels first, so a video is `(batch, time, channels, rows, cols)`.
# The head is a 3 × 3 `Conv2d` applied to each step's hidden state, the same causal head as in Keras; the model returns logits, and `binary_cross_entropy_with_logits` applies the sigmoid inside the loss.
# The initialisation follows Keras (Glorot-uniform input kernels, orthogonal recurrent kernels, forget-gate bias 1), and so do the optimiser, the batches and the epochs.

# %%
from torch import nn
from torch.nn import functional as F

from gatedrnn.convlstm_torch import ConvLSTM2D


class TorchNextFrame(nn.Module):
    """The from-scratch ConvLSTM2D and a 3 x 3 convolution of each step's hidden state."""

    def __init__(self):
        super().__init__()
        self.rnn = ConvLSTM2D(1, FILTERS, KERNEL, padding="same", return_sequences=True)
        self.head = nn.Conv2d(FILTERS, 1, 3, padding=1)
        nn.init.xavier_uniform_(self.head.weight)  # Keras' default for Conv3D
        nn.init.zeros_(self.head.bias)

    def forward(self, videos):
        """Logits of the next frames, (batch, time, 1, rows, cols), for videos of the same shape."""
        hidden, _ = self.rnn(videos)
        return self.head(hidden.flatten(0, 1)).unflatten(0, hidden.shape[:2])


def to_torch(videos):
    """Videos (batch, time, rows, cols) as a (batch, time, 1, rows, cols) tensor on DEVICE."""
    return torch.from_numpy(np.ascontiguousarray(videos[:, :, None])).to(DEVICE)


torch.manual_seed(SEED)
torch_model = TorchNextFrame().to(DEVICE)
optimizer = torch.optim.Adam(torch_model.parameters(), lr=LEARNING_RATE)
inputs, targets = to_torch(train_videos[:, :-1]), to_torch(train_videos[:, 1:])
torch_losses = []
start = time.perf_counter()
for _ in range(EPOCHS):
    # One pass over the shuffled videos; the loss of the epoch is the mean over its batches.
    total = torch.zeros((), device=DEVICE)
    batches = torch.randperm(len(inputs), device=DEVICE).split(BATCH_SIZE)
    for batch in batches:
        optimizer.zero_grad()
        loss = F.binary_cross_entropy_with_logits(torch_model(inputs[batch]), targets[batch])
        loss.backward()
        optimizer.step()
        total += loss.detach()
    torch_losses.append(float(total) / len(batches))
torch_seconds = time.perf_counter() - start
torch_parameters = sum(p.numel() for p in torch_model.parameters())
print(
    f"PyTorch: {torch_parameters:,} parameters, {torch_seconds:.1f} s, "
    f"training loss {torch_losses[0]:.4f} -> {torch_losses[-1]:.4f}"
)


@torch.no_grad()
def torch_predict(videos):
    """Next-frame probabilities, (batch, time, rows, cols, 1) as in Keras, for NumPy videos."""
    logits = torch_model(to_torch(videos[..., 0]))
    return torch.sigmoid(logits).permute(0, 1, 3, 4, 2).cpu().numpy()


influence["PyTorch"] = future_influence(torch_predict, probe, OBSERVED)
print(
    f"PyTorch model: changing frames after t={OBSERVED} moves the predictions up to t "
    f"by {influence['PyTorch']:.2e}"
)
glue("influence_torch", influence["PyTorch"], display=False)
assert influence["PyTorch"] < 1e-6

# %% [markdown]
# ## Ten frames ahead
#
# Each model sees the first {glue:text}`convlstm_next_frame.py::observed:d` frames of a test video and predicts the rest, one frame at a time: its prediction of frame 11 becomes its input for predicting frame 12, and so on up to frame 20.
# Because the models are causal, a prediction does not depend on the frames that follow it in the input, so the loop can pass the whole sequence of 19 frames at every step, with the predicted frames written into it as they come; the array keeps one shape, and Keras traces its prediction function once.
# The first pass, on the true frames only, also gives the one-step error: the error of predicting each frame from the true frames before it.
# The baseline copies the last frame it has seen: frame 10 for every step of the rollout, and the previous true frame for the one-step error.


# %%
def rollout(predict, videos):
    """Predict frames OBSERVED+1..FRAMES from the first OBSERVED; also the one-step predictions."""
    inputs = videos[:, :-1, :, :, None].copy()
    predicted = predict(inputs)
    one_step = predicted[..., 0]  # From true frames only.
    for t in range(OBSERVED, FRAMES - 1):
        inputs[:, t] = predicted[:, t - 1]  # The prediction of frame t+1 is the next input.
        predicted = predict(inputs)
    return predicted[:, OBSERVED - 1 :, :, :, 0], one_step


def mse_per_step(predicted, truth):
    """The mean squared error of each predicted step, over videos and pixels."""
    return ((predicted - truth) ** 2).mean(axis=(0, 2, 3))


truth = test_videos[:, OBSERVED:]
predictions, one_step_mse = {}, {}
for name, predict in [("Keras", keras_model.predict_on_batch), ("PyTorch", torch_predict)]:
    predictions[name], one_step = rollout(predict, test_videos)
    one_step_mse[name] = float(((one_step - test_videos[:, 1:]) ** 2).mean())
predictions["baseline"] = np.repeat(test_videos[:, OBSERVED - 1 : OBSERVED], FRAMES - OBSERVED, 1)
one_step_mse["baseline"] = float(((test_videos[:, :-1] - test_videos[:, 1:]) ** 2).mean())
step_mse = pd.DataFrame(
    {name: mse_per_step(predicted, truth) for name, predicted in predictions.items()},
    index=pd.RangeIndex(1, FRAMES - OBSERVED + 1, name="step"),
).T
step_mse.index.name = "model"
report("Test MSE per predicted frame", step_mse.to_string(float_format="{:.3f}".format))
step_mse.style.format("{:.3f}")

# %% [markdown]
# The table gives the mean squared error of each predicted frame, over the {glue:text}`convlstm_next_frame.py::n_test:d` test videos and all pixels; step 1 is frame 11 and step 10 is frame 20.

# %% tags=["hide-input"]
# Drawing the frames: plotting code, hidden on the page.
steps_to_show = [0, 1, 2, 4, 6, 9]
rows = ["truth", "Keras", "PyTorch"]
fig, axes = plt.subplots(len(rows), len(steps_to_show) + 1, figsize=(8, 4.2))
video = 0
for row, name in enumerate(rows):
    frames = truth[video] if name == "truth" else predictions[name][video]
    axes[row, 0].imshow(test_videos[video, OBSERVED - 1], cmap="gray_r", vmin=0, vmax=1)
    for column, step in enumerate(steps_to_show, start=1):
        axes[row, column].imshow(frames[step], cmap="gray_r", vmin=0, vmax=1)
    axes[row, 0].set_ylabel(name)
for column, step in enumerate([-1, *steps_to_show]):
    axes[0, column].set_title(f"$t={OBSERVED + step + 1}$", fontsize=10)
for ax in axes.flat:
    ax.set_xticks([])
    ax.set_yticks([])
fig.tight_layout()
glue("fig_rollout", fig, display=False)
show(fig)

fig, ax = plt.subplots(figsize=(6, 3.4))
for name, style in [("Keras", "o-"), ("PyTorch", "s-"), ("baseline", "k--")]:
    ax.plot(step_mse.columns, step_mse.loc[name], style, label=name)
ax.set_xlabel("step")
ax.set_ylabel("MSE")
ax.set_xticks(step_mse.columns)
ax.legend()
fig.tight_layout()
glue("fig_step_mse", fig, display=False)
show(fig)

# %% [markdown]
# ```{glue:figure} fig_rollout
# :name: fig-next-frame-rollout
#
# One test video. The first column is frame 10, the last frame both models see; the other columns are frames of the rollout. Top row: the true frames; below, the predictions of the Keras and the PyTorch model, each made from the model's own earlier predictions. Darker pixels are more probably on.
# ```
#
# ```{glue:figure} fig_step_mse
# :name: fig-next-frame-step-mse
#
# The mean squared error at each step of the rollout, for both models and for the baseline that copies frame 10.
# ```

# %% [markdown]
# ## Results
#
# The summary gives, for each model, its parameters, its fit time, its training loss at the end, the one-step error, and the error of the first and the last frame of the rollout and its mean over the ten frames.
# The fit times vary from one build to the next; every other number on this page is the same in every build on the same machine.

# %%
# One column per model, one row per measure, each formatted as it is read.
models = ["Keras", "PyTorch", "baseline"]
summary = pd.DataFrame(
    {
        "parameters": [f"{keras_model.count_params():,}", f"{torch_parameters:,}", "0"],
        "fit time (s)": [f"{keras_seconds:.1f}", f"{torch_seconds:.1f}", "—"],
        "final training loss": [f"{keras_losses[-1]:.4f}", f"{torch_losses[-1]:.4f}", "—"],
        "one-step MSE": [f"{one_step_mse[name]:.4f}" for name in models],
        "MSE, step 1": [f"{step_mse.loc[name, 1]:.4f}" for name in models],
        f"MSE, step {FRAMES - OBSERVED}": [
            f"{step_mse.loc[name, FRAMES - OBSERVED]:.4f}" for name in models
        ],
        "MSE, mean of the rollout": [f"{step_mse.loc[name].mean():.4f}" for name in models],
    },
    index=["Keras ConvLSTM2D", "PyTorch, from scratch", "copy last frame"],
).T
for key, name in [("keras", "Keras"), ("torch", "PyTorch"), ("baseline", "baseline")]:
    glue(f"{key}_one_step", one_step_mse[name], display=False)
    glue(f"{key}_step1", float(step_mse.loc[name, 1]), display=False)
    glue(f"{key}_step_last", float(step_mse.loc[name, FRAMES - OBSERVED]), display=False)
    glue(f"{key}_rollout", float(step_mse.loc[name].mean()), display=False)
glue("keras_parameters", keras_model.count_params(), display=False)
glue("torch_parameters", torch_parameters, display=False)
glue("timing_keras_seconds", keras_seconds, display=False)
glue("timing_torch_seconds", torch_seconds, display=False)
beats = (step_mse.loc[["Keras", "PyTorch"]] < step_mse.loc["baseline"]).all(axis=0)
glue("steps_beaten", int(beats.sum()), display=False)
glue("zero_mse", float((truth**2).mean()), display=False)
# The discussion below says that both models beat the copy one step ahead, and that their
# errors grow over the rollout.
if not QUICK:
    for name in ["Keras", "PyTorch"]:
        assert one_step_mse[name] < one_step_mse["baseline"], one_step_mse
        assert step_mse.loc[name, FRAMES - OBSERVED] > step_mse.loc[name, 1], step_mse
report("Models", summary)
summary

# %% [markdown]
# ## Discussion
#
# Both models have {glue:text}`convlstm_next_frame.py::keras_parameters:,d` parameters ({glue:text}`convlstm_next_frame.py::torch_parameters:,d` in PyTorch): the ConvLSTM layer holds four blocks of 3 × 3 kernels for the input and the state and one bias per block, as {ref}`convlstm-params` counts, and the head holds 3 × 3 × {glue:text}`convlstm_next_frame.py::filters:d` weights and a bias.
# The Keras model trained in {glue:text}`convlstm_next_frame.py::timing_keras_seconds:.0f` s and the PyTorch model in {glue:text}`convlstm_next_frame.py::timing_torch_seconds:.0f` s in this build.
#
# **One step ahead**, from true frames, the mean squared error is {glue:text}`convlstm_next_frame.py::keras_one_step:.4f` for Keras and {glue:text}`convlstm_next_frame.py::torch_one_step:.4f` for PyTorch, against {glue:text}`convlstm_next_frame.py::baseline_one_step:.4f` for copying the previous frame: both models have learned where the shapes go.
# **In the rollout**, the first predicted frame has an error of {glue:text}`convlstm_next_frame.py::keras_step1:.4f` (Keras) and {glue:text}`convlstm_next_frame.py::torch_step1:.4f` (PyTorch), against {glue:text}`convlstm_next_frame.py::baseline_step1:.4f` for the copy of frame 10.
# From there the errors grow, to {glue:text}`convlstm_next_frame.py::keras_step_last:.4f` and {glue:text}`convlstm_next_frame.py::torch_step_last:.4f` at frame 20, where the copy scores {glue:text}`convlstm_next_frame.py::baseline_step_last:.4f` and an empty frame {glue:text}`convlstm_next_frame.py::zero_mse:.4f`.
# Both models beat the copy at {glue:text}`convlstm_next_frame.py::steps_beaten:d` of the {glue:text}`convlstm_next_frame.py::predicted:d` steps.
#
# The figure shows why the error grows: a prediction is a map of probabilities, not a clean frame, and the next prediction starts from it.
# Where the model is unsure, after a bounce or where the shapes overlap, the shape spreads out, and each step spreads it further, until the shapes fade.
# Keeping clean shapes for many steps takes more capacity and more training than this page's budget of a few minutes on a CPU: the keras-io model has three ConvLSTM layers of 64 filters where ours has one of {glue:text}`convlstm_next_frame.py::filters:d`.
# A model with the leaky head of {ref}`next-frame-no-peeking` would reach a lower training loss than these, with most answers in its input, and would have nothing to copy in the rollout.
#
# The two frameworks follow the same recipe but share neither weights nor random numbers, and each is trained once; the page cannot tell which of the two is better, only that both learn the motion.

# %% [markdown]
# ## Exercises
#
# ```{exercise}
# :label: next-frame-exercise-copy
#
# **What copying costs.** The frames are black and white, so for a pixel $a$ of frame 10 and the pixel $b$ at the same place in a later frame, the squared error of the copy is $(a - b)^2 = a + b - 2ab$.
# Write the error of the copy at each step of the rollout as the share of pixels on in frame 10, plus the share on in the true frame, minus twice the share on in both, compute these three shares from `test_videos`, and check the result against the baseline's row of `step_mse`.
# Which of the three shares makes the error grow, and what is the largest error the copy can reach?
# ```
#
# ````{solution-start} next-frame-exercise-copy
# :class: dropdown
# ````
#
# Averaged over the videos and pixels, the error of the copy at step $k$ is $\bar a + \bar b_k - 2\, \overline{a b_k}$, where $a$ is frame 10 and $b_k$ frame $10 + k$.
# The share of pixels on hardly changes from frame to frame, since the shapes keep their sizes and it changes only where they overlap each other; what changes is the overlap of each shape with its old place, which shrinks as the shapes move away.
# The error therefore grows as the shapes move away, towards its largest possible value, $\bar a + \bar b_k$, about twice the error of an empty frame, which it would reach if no shape covered any of its old pixels; after a bounce a shape can come back over its old place, so the error levels off below that value.

# %%
# Frame 10, which the copy repeats, and the true frames of the rollout.
seen = test_videos[:, OBSERVED - 1 : OBSERVED]
shares = pd.DataFrame(
    {
        "on in frame 10": np.repeat(seen.mean(), FRAMES - OBSERVED),
        "on in the true frame": truth.mean(axis=(0, 2, 3)),
        "on in both": (seen * truth).mean(axis=(0, 2, 3)),
    },
    index=step_mse.columns,
)
shares["copy MSE"] = (
    shares["on in frame 10"] + shares["on in the true frame"] - 2 * shares["on in both"]
)
shares["baseline in step_mse"] = step_mse.loc["baseline"]
print(shares.round(4).to_string())
# The check: the three shares give the baseline's error at every step, and the overlap
# shrinks from the first step of the rollout to the last.
np.testing.assert_allclose(shares["copy MSE"], shares["baseline in step_mse"], rtol=1e-5)
assert shares["on in both"].iloc[-1] < shares["on in both"].iloc[0], shares["on in both"]

# %% [markdown]
# ````{solution-end}
# ````
#
# ```{exercise}
# :label: next-frame-exercise-head
#
# **A `Conv3D` that is a `Conv2d`.** The head of the Keras model is a `Conv3D` with a kernel of 1 along time; the head of the PyTorch model is an `nn.Conv2d` applied to the hidden state of each step.
# Copy the kernel and the bias of the trained Keras head into an `nn.Conv2d(FILTERS, 1, 3, padding=1)`, apply both heads to the hidden states of the Keras `ConvLSTM2D` on two test videos, and check that they give the same frames.
# Keras keeps the channels last and PyTorch first: where does each axis of the kernel go?
# ```
#
# ````{solution-start} next-frame-exercise-head
# :class: dropdown
# ````
#
# The Keras kernel has the shape (time, rows, columns, input channels, filters), here `(1, 3, 3, FILTERS, 1)`; the PyTorch weight has the shape (output channels, input channels, rows, columns), `(1, FILTERS, 3, 3)`.
# Dropping the time axis and moving the last two axes to the front, filters first, turns one into the other.
# With a kernel of 1 along time, the "same" padding adds nothing along time, and each output frame reads the hidden state of its own step only: this is why the head is causal.

# %%
# The hidden states of the trained Keras ConvLSTM on two test videos, channels last.
recurrent_layer, keras_head = keras_model.layers
hidden_states = keras.ops.convert_to_numpy(recurrent_layer(test_videos[:2, :-1, :, :, None]))
keras_frames = keras.ops.convert_to_numpy(keras_head(hidden_states))
# The same head in PyTorch: the kernel without its time axis, filters and channels first.
kernel, bias = keras_head.get_weights()
conv2d = nn.Conv2d(FILTERS, 1, 3, padding=1)
with torch.no_grad():
    conv2d.weight.copy_(torch.from_numpy(kernel[0].transpose(3, 2, 0, 1)))
    conv2d.bias.copy_(torch.from_numpy(bias))
    # Every step of every video through the 2D convolution, channels first, then back.
    every_step = torch.from_numpy(hidden_states).flatten(0, 1).permute(0, 3, 1, 2)
    torch_frames = torch.sigmoid(conv2d(every_step)).permute(0, 2, 3, 1)
torch_frames = torch_frames.unflatten(0, hidden_states.shape[:2]).numpy()
print(f"Keras kernel {kernel.shape} -> PyTorch weight {tuple(conv2d.weight.shape)}")
print(f"largest difference between the two heads: {np.abs(torch_frames - keras_frames).max():.1e}")
# The check: the two heads give the same frames, to float32 precision on a CPU; on a GPU,
# the frameworks may round their products to TensorFloat-32, good to about three decimals.
np.testing.assert_allclose(torch_frames, keras_frames, atol=1e-5 if DEVICE.type == "cpu" else 1e-3)

# %% [markdown]
# ````{solution-end}
# ````
