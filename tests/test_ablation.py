"""The cells of the ablation study against torch.nn and keras.layers, with copied weights.

Each variant of Greff et al.'s LSTM is checked for the one thing that defines it: against a
library cell where one computes it (NP is ``torch.nn.LSTMCell``; NIG, NFG and NOG are it
with one gate held at 1; CIFG is it with the input gate tied to minus the forget gate; the
vanilla LSTM with its peepholes is the book's Keras peephole cell), and against the
equations written out in NumPy here for the rest. Then the parameter counts, the batching
over models (training the batch trains each model as it would train alone), the forget-gate
starts, and the errors that bad arguments raise.
"""

import keras
import numpy as np
import pytest
import torch

from gatedrnn import ablation
from gatedrnn.ablation import (
    LSTM_VARIANTS,
    VARIANTS,
    GRUCell,
    LSTMVariantCell,
    RNNCell,
    SimplifiedGRUCell,
    clip_grad_norm_per_model_,
    make_cell,
    parameter_count,
    unroll,
)
from gatedrnn.peephole_keras import PeepholeLSTMCell

ATOL = 1e-5
#: A bias that holds a gate at 1: sigmoid(1e4) is 1.0 in float32.
OPEN = 1e4
# (input size, hidden size, batch, time)
SIZES = [(1, 1, 1, 1), (3, 5, 4, 7), (8, 16, 2, 12)]


def randomise(module: torch.nn.Module, seed: int, scale: float = 0.5) -> None:
    """Every parameter from N(0, scale^2), so that no gate sits at its usual start."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in module.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator) * scale)


def close(actual, expected, atol=ATOL):
    actual = actual.detach().numpy() if hasattr(actual, "detach") else np.asarray(actual)
    expected = expected.detach().numpy() if hasattr(expected, "detach") else np.asarray(expected)
    np.testing.assert_allclose(actual, expected, rtol=0, atol=atol)


def random_state(models, batch, hidden, seed=1):
    generator = torch.Generator().manual_seed(seed)
    return tuple(torch.randn(models, batch, hidden, generator=generator) for _ in range(2))


# ------------------------------------------------------- NP is torch.nn's LSTM


@pytest.mark.parametrize("input_size,hidden,batch,_", SIZES)
def test_np_cell_matches_torch_lstm_cell_for_each_model_with_copied_weights(
    input_size, hidden, batch, _
):
    ours = LSTMVariantCell(input_size, hidden, "NP", models=3)
    libraries = [torch.nn.LSTMCell(input_size, hidden) for _ in range(3)]
    for model, library in enumerate(libraries):
        randomise(library, seed=10 * model + hidden)
        # The names and shapes are torch.nn's, so the state dict copies one-to-one.
        ours.load_model_state_dict(model, library.state_dict())
    x = torch.randn(batch, input_size)
    h, c = random_state(3, batch, hidden)
    new_h, new_c = ours(x, (h, c))
    for model, library in enumerate(libraries):
        expected_h, expected_c = library(x, (h[model], c[model]))
        close(new_h[model], expected_h)
        close(new_c[model], expected_c)
    # And back: a torch.nn.LSTMCell loads one model of ours and computes the same.
    back = torch.nn.LSTMCell(input_size, hidden)
    back.load_state_dict(ours.model_state_dict(2))
    close(back(x, (h[2], c[2]))[0], new_h[2])


@pytest.mark.parametrize("input_size,hidden,batch,time", SIZES)
def test_np_sequence_matches_torch_lstm_outputs_states_and_gradients(
    input_size, hidden, batch, time
):
    library = torch.nn.LSTM(input_size, hidden, batch_first=True)
    randomise(library, seed=hidden + time)
    ours = LSTMVariantCell(input_size, hidden, "NP")
    ours.load_model_state_dict(
        0, {name.removesuffix("_l0"): p for name, p in library.state_dict().items()}
    )
    x = torch.randn(batch, time, input_size)
    outputs, (h, c) = unroll(ours, x)
    expected, (expected_h, expected_c) = library(x)
    close(outputs[0], expected)
    close(h[0], expected_h[0])
    close(c[0], expected_c[0])
    # The same loss gives the same gradients, parameter by parameter.
    weights = torch.randn(time, hidden)
    (outputs[0] * weights).sum().backward()
    (expected * weights).sum().backward()
    for name, parameter in ours.named_parameters():
        close(parameter.grad[0], getattr(library, f"{name}_l0").grad, atol=1e-4)


def test_vanilla_with_zero_peepholes_is_the_np_lstm():
    vanilla = LSTMVariantCell(4, 6, "vanilla", models=2)
    plain = LSTMVariantCell(4, 6, "NP", models=2)
    randomise(vanilla, seed=3)
    with torch.no_grad():
        for gate in "ifo":
            getattr(vanilla, f"peephole_{gate}").zero_()
        for name, parameter in plain.named_parameters():
            parameter.copy_(getattr(vanilla, name))
    x = torch.randn(5, 9, 4)
    close(unroll(vanilla, x)[0], unroll(plain, x)[0])
    # Peepholes that are on change the outputs well beyond the tolerance.
    randomise(vanilla, seed=3)
    assert (unroll(vanilla, x)[0] - unroll(plain, x)[0]).abs().max() > 100 * ATOL


# ------------------------------------------ the vanilla LSTM is the Keras peephole cell


def test_vanilla_matches_keras_peephole_cell_in_keras_rnn_with_copied_weights():
    units, inputs, batch, time = 6, 4, 3, 9
    ours = LSTMVariantCell(inputs, units, "vanilla")
    randomise(ours, seed=5)
    layer = keras.layers.RNN(PeepholeLSTMCell(units), return_sequences=True, return_state=True)
    layer.build((None, time, inputs))
    weights = ours.model_state_dict(0)
    # Keras keeps the blocks i, f, c, o (PyTorch's i, f, g, o) side by side in columns:
    # kernel = weight_ih transposed; one bias, the sum of PyTorch's two.
    layer.set_weights(
        [
            weights["weight_ih"].T.numpy(),
            weights["weight_hh"].T.numpy(),
            (weights["bias_ih"] + weights["bias_hh"]).numpy(),
            weights["peephole_i"].numpy(),
            weights["peephole_f"].numpy(),
            weights["peephole_o"].numpy(),
        ]
    )
    x = np.random.default_rng(5).standard_normal((batch, time, inputs)).astype("float32")
    h0, c0 = (
        np.random.default_rng(s).standard_normal((batch, units)).astype("float32") for s in (6, 7)
    )
    keras_outputs, keras_h, keras_c = (
        keras.ops.convert_to_numpy(v) for v in layer(x, initial_state=[h0, c0])
    )
    state = (torch.from_numpy(h0)[None], torch.from_numpy(c0)[None])
    outputs, (h, c) = unroll(ours, torch.from_numpy(x), state)
    close(outputs[0], keras_outputs)
    close(h[0], keras_h)
    close(c[0], keras_c)


# --------------------------------------------------- each variant's defining property


def library_lstm_with(variant: str, ours: LSTMVariantCell) -> torch.nn.LSTMCell:
    """A torch.nn.LSTMCell that computes a variant without peepholes: the variant's blocks
    copied in, and the missing gate held at 1 (NIG, NFG, NOG) or tied to the forget gate
    (CIFG: 1 - sigmoid(a) = sigmoid(-a))."""
    hidden = ours.hidden_size
    library = torch.nn.LSTMCell(ours.input_size, hidden)
    mine = ours.model_state_dict(0)
    with torch.no_grad():
        for name in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]:
            full = getattr(library, name)
            full.zero_()
            for k, block in enumerate(VARIANTS[variant].blocks):
                index = "ifgo".index(block)
                full[index * hidden : (index + 1) * hidden] = mine[name][
                    k * hidden : (k + 1) * hidden
                ]
            missing = {"NIG": "i", "NFG": "f", "NOG": "o"}.get(variant)
            if missing and name == "bias_ih":
                index = "ifgo".index(missing)
                full[index * hidden : (index + 1) * hidden] = OPEN
            if variant == "CIFG":
                full[:hidden] = -full[hidden : 2 * hidden]
    return library


@pytest.mark.parametrize("variant", ["NIG", "NFG", "NOG", "CIFG"])
def test_a_variant_without_peepholes_is_torch_lstm_with_a_gate_held_open_or_tied(variant):
    ours = LSTMVariantCell(5, 7, variant)
    randomise(ours, seed=len(variant))
    with torch.no_grad():
        for gate in VARIANTS[variant].peephole_gates:
            getattr(ours, f"peephole_{gate}").zero_()
    library = library_lstm_with(variant, ours)
    x = torch.randn(4, 5)
    h, c = random_state(1, 4, 7)
    new_h, new_c = ours(x, (h, c))
    expected_h, expected_c = library(x, (h[0], c[0]))
    close(new_h[0], expected_h)
    close(new_c[0], expected_c)


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def reference_step(variant, weights, x, h, c, gates):
    """One step of a variant, from Greff et al.'s equations, in float64 NumPy.

    ``weights`` are one model's, in PyTorch's names; the blocks absent from a variant are
    read as their fixed values (i, f, o = 1), never from the cell under test.
    """
    spec = VARIANTS[variant]
    n = h.shape[-1]
    w = {k: v.double().numpy() for k, v in weights.items()}
    pre = x @ w["weight_ih"].T + w["bias_ih"] + h @ w["weight_hh"].T + w["bias_hh"]
    block = {b: pre[:, k * n : (k + 1) * n] for k, b in enumerate(spec.blocks)}
    if spec.gate_recurrence:
        fed = gates @ w["weight_gg"].T
        for k, gate in enumerate("ifo"):
            block[gate] = block[gate] + fed[:, k * n : (k + 1) * n]

    def peep(gate, state):
        return w[f"peephole_{gate}"] * state if f"peephole_{gate}" in w else 0.0

    f = sigmoid(block["f"] + peep("f", c)) if "f" in block else np.ones_like(c)
    if spec.coupled:
        i = 1.0 - f
    else:
        i = sigmoid(block["i"] + peep("i", c)) if "i" in block else np.ones_like(c)
    g = np.tanh(block["g"]) if spec.input_activation else block["g"]
    new_c = f * c + i * g
    o = sigmoid(block["o"] + peep("o", new_c)) if "o" in block else np.ones_like(c)
    new_h = o * (np.tanh(new_c) if spec.output_activation else new_c)
    return new_h, new_c, np.concatenate([i, f, o], axis=-1)


@pytest.mark.parametrize("variant", LSTM_VARIANTS)
def test_every_variant_steps_as_its_equations_say(variant):
    ours = LSTMVariantCell(3, 5, variant, models=2)
    randomise(ours, seed=11)
    x = torch.randn(4, 3)
    h, c = random_state(2, 4, 5, seed=12)
    state = (h, c)
    if VARIANTS[variant].gate_recurrence:
        state += (torch.rand(2, 4, 15),)
    new = ours(x, state)
    for model in range(2):
        previous_gates = state[2][model].double().numpy() if len(state) == 3 else None
        expected = reference_step(
            variant,
            ours.model_state_dict(model),
            x.double().numpy(),
            h[model].double().numpy(),
            c[model].double().numpy(),
            previous_gates,
        )
        for mine, theirs in zip(new, expected, strict=False):
            close(mine[model], theirs)
        if VARIANTS[variant].gate_recurrence:
            close(new[2][model], expected[2])


def test_defining_properties_one_by_one():
    x = torch.randn(4, 3)
    h, c = random_state(1, 4, 5, seed=2)
    cells = {name: LSTMVariantCell(3, 5, name) for name in LSTM_VARIANTS}
    for cell in cells.values():
        randomise(cell, seed=4)
    # NIG: the cell state adds the whole candidate, c' = f c + g.
    w = cells["NIG"].model_state_dict(0)
    pre = x @ w["weight_ih"].T + w["bias_ih"] + h[0] @ w["weight_hh"].T + w["bias_hh"]
    f = torch.sigmoid(pre[:, :5] + w["peephole_f"] * c[0])
    close(cells["NIG"](x, (h, c))[1][0], f * c[0] + torch.tanh(pre[:, 5:10]))
    # NFG: nothing is forgotten, c' - c = i g with i, g in (-1, 1): |c' - c| < 1.
    assert (cells["NFG"](x, (h, c))[1] - c).abs().max() < 1
    # NOG: h = tanh(c') exactly.
    new_h, new_c = cells["NOG"](x, (h, c))
    close(new_h, torch.tanh(new_c))
    # NOAF: h = o c', so h / c' is the output gate, in (0, 1).
    new_h, new_c = cells["NOAF"](x, (h, c))
    ratio = new_h / new_c
    assert ((ratio > 0) & (ratio < 1)).all()
    # FGR: the previous gates change the step; the other variants keep no gates.
    fgr = cells["FGR"]
    zero, one = torch.zeros(1, 4, 15), torch.ones(1, 4, 15)
    assert (fgr(x, (h, c, zero))[0] - fgr(x, (h, c, one))[0]).abs().max() > 100 * ATOL
    assert len(cells["vanilla"](x, (h, c))) == 2


def test_cifg_input_gate_is_one_minus_its_forget_gate():
    cifg = LSTMVariantCell(2, 3, "CIFG")
    randomise(cifg, seed=9)
    with torch.no_grad():
        # The candidate held at g = tanh(1e4) = 1, and a forget gate that does not read c.
        for name in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]:
            getattr(cifg, name)[0, 3:6] = 0.0
        cifg.bias_ih[0, 3:6] = OPEN
        cifg.peephole_f.zero_()
    x = torch.randn(5, 2)
    h, c = random_state(1, 5, 3, seed=3)
    c = 1 + c.abs()
    # c' = f c + i g: from c = 0 it is i; from c, the difference is f c.
    written = cifg(x, (h, torch.zeros_like(c)))[1]
    kept = cifg(x, (h, c))[1] - written
    assert (written > 0.01).all() and (kept > 0.01).all()
    close(written + kept / c, torch.ones_like(c))


# -------------------------------------------------------------- the other cells


def test_gru_and_simple_rnn_cells_match_torch_nn_for_each_model():
    x = torch.randn(4, 3)
    h = torch.randn(2, 4, 5)
    for ours, library_class in [(GRUCell(3, 5, models=2), torch.nn.GRUCell),
                                (RNNCell(3, 5, models=2), torch.nn.RNNCell)]:  # fmt: skip
        for model in range(2):
            library = library_class(3, 5)
            randomise(library, seed=model)
            ours.load_model_state_dict(model, library.state_dict())
            close(ours(x, h)[model], library(x, h[model]))


def test_simplified_gru_is_torch_gru_with_its_reset_gate_held_open():
    ours = SimplifiedGRUCell(3, 5)
    randomise(ours, seed=2)
    library = torch.nn.GRUCell(3, 5)
    mine = ours.model_state_dict(0)
    with torch.no_grad():
        for name in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]:
            full = getattr(library, name)
            full.zero_()
            full[5:] = mine[name]  # blocks z, n after the reset block r
        library.bias_ih[:5] = OPEN
    x, h = torch.randn(4, 3), torch.randn(1, 4, 5)
    close(ours(x, h)[0], library(x, h[0]))


def test_orthogonal_start_of_simple_rnn():
    cell = RNNCell(2, 6, seeds=[0, 1], orthogonal=True)
    for model in range(2):
        w = cell.weight_hh[model].detach()
        close(w @ w.T, torch.eye(6))


# --------------------------------------------------------------- parameter counts


@pytest.mark.parametrize("kind", LSTM_VARIANTS + ablation.OTHER_CELLS)
def test_parameter_counts_match_the_formulas(kind):
    m, n = 7, 11
    cell = make_cell(kind, m, n, models=3)
    per_model = sum(p.numel() for p in cell.parameters()) // 3
    block = n * m + n * n + 2 * n
    expected = {
        "vanilla": 4 * block + 3 * n,
        "NIG": 3 * block + 2 * n,
        "NFG": 3 * block + 2 * n,
        "NOG": 3 * block + 2 * n,
        "NIAF": 4 * block + 3 * n,
        "NOAF": 4 * block + 3 * n,
        "NP": 4 * block,
        "CIFG": 3 * block + 2 * n,
        "FGR": 4 * block + 3 * n + 9 * n * n,
        "GRU": 3 * block,
        "SGRU": 2 * block,
        "SimpleRNN": block,
    }[kind]
    assert per_model == parameter_count(kind, m, n) == expected


def test_np_gru_and_simple_rnn_counts_are_torch_nn_counts():
    m, n = 7, 11

    def numel(module):
        return sum(p.numel() for p in module.parameters())

    assert parameter_count("NP", m, n) == numel(torch.nn.LSTM(m, n))
    assert parameter_count("GRU", m, n) == numel(torch.nn.GRU(m, n))
    assert parameter_count("SimpleRNN", m, n) == numel(torch.nn.RNN(m, n))


def test_cifg_has_the_three_blocks_of_the_gru_plus_two_peepholes():
    # The CIFG keeps the blocks f, g, o, three like the GRU's r, z, n, each with n(m + n)
    # weights and two biases of n in PyTorch's layout; its peepholes on f and o add 2n.
    for m, n in [(1, 1), (7, 11), (32, 64)]:
        gru = sum(p.numel() for p in torch.nn.GRU(m, n).parameters())
        assert parameter_count("CIFG", m, n) == gru + 2 * n
        assert parameter_count("CIFG", m, n) - 2 * n == 3 * (n * m + n * n + 2 * n)


# ------------------------------------------------------------ batching over models


def test_model_k_of_a_seeded_cell_is_the_cell_of_seed_k_alone():
    batched = LSTMVariantCell(3, 4, "vanilla", seeds=[5, 6, 7], forget_bias=1.0)
    for k, seed in enumerate([5, 6, 7]):
        alone = LSTMVariantCell(3, 4, "vanilla", seeds=[seed], forget_bias=1.0)
        for name, value in alone.model_state_dict(0).items():
            close(batched.model_state_dict(k)[name], value, atol=0)
    # Different seeds draw different models.
    assert not torch.equal(batched.weight_hh[0], batched.weight_hh[1])


def train(cell, head, x, y, steps, clip):
    """A few Adam steps on the sum of the models' losses, clipped model by model."""
    parameters = [*cell.parameters(), *head.parameters()]
    optimizer = torch.optim.Adam(parameters, lr=0.05)
    for step in range(steps):
        outputs, _ = unroll(cell, x[step])
        loss = ((head(outputs[:, :, -1]) - y[step]) ** 2).mean(dim=(1, 2)).sum()
        optimizer.zero_grad()
        loss.backward()
        if cell.models == 1:
            torch.nn.utils.clip_grad_norm_(parameters, clip)
        else:
            clip_grad_norm_per_model_(parameters, clip)
        optimizer.step()


@pytest.mark.parametrize(
    "variants", [["vanilla"] * 3, ["vanilla", "NIAF", "NOAF"], ["NIG", "CIFG", "NIG"]]
)
def test_training_the_batch_trains_each_model_as_it_would_train_alone(variants):
    seeds = [0, 1, 2]
    x, y = torch.randn(4, 8, 6, 2), torch.randn(4, 8, 1)
    # A clipping threshold below the gradients' norms, so that the clipping acts.
    cell = LSTMVariantCell(2, 5, variants, seeds=seeds, forget_bias=1.0)
    head = ablation.Linear(5, 1, seeds=seeds)
    train(cell, head, x, y, steps=4, clip=0.05)
    for k, seed in enumerate(seeds):
        alone = LSTMVariantCell(2, 5, variants[k], seeds=[seed], forget_bias=1.0)
        alone_head = ablation.Linear(5, 1, seeds=[seed])
        train(alone, alone_head, x, y, steps=4, clip=0.05)
        for name, value in alone.model_state_dict(0).items():
            close(cell.model_state_dict(k)[name], value)
        close(head.weight[k], alone_head.weight[0])


def test_per_model_clipping_is_torch_clipping_of_each_model():
    grads = [torch.randn(3, 4, 5), torch.randn(3, 7)]
    grads[0][1] *= 100  # one model with a large gradient leaves the others' alone
    parameters = [torch.zeros_like(g, requires_grad=True) for g in grads]
    for p, g in zip(parameters, grads, strict=True):
        p.grad = g.clone()
    norms = clip_grad_norm_per_model_(parameters, 1.0)
    for model in range(3):
        alone = [torch.zeros_like(g[model], requires_grad=True) for g in grads]
        for p, g in zip(alone, grads, strict=True):
            p.grad = g[model].clone()
        norm = torch.nn.utils.clip_grad_norm_(alone, 1.0)
        close(norms[model], norm)
        for p, q in zip(parameters, alone, strict=True):
            close(p.grad[model], q.grad)


def test_embedding_and_linear_are_torch_nn_for_each_model():
    embedding, linear = ablation.Embedding(10, 4, models=2), ablation.Linear(4, 3, models=2)
    indices = torch.randint(0, 10, (5, 6))
    out = linear(embedding(indices))
    for model in range(2):
        library_embedding, library_linear = torch.nn.Embedding(10, 4), torch.nn.Linear(4, 3)
        library_embedding.load_state_dict(embedding.model_state_dict(model))
        library_linear.load_state_dict(linear.model_state_dict(model))
        close(out[model], library_linear(library_embedding(indices)))


# ------------------------------------------------------------------ forget starts


def test_forget_starts_zero_one_and_chrono():
    t_max = 50
    cell = LSTMVariantCell(3, 64, "NP", seeds=[0, 1, 2], forget_bias=[0.0, 1.0, "chrono"],
                           chrono_t_max=t_max)  # fmt: skip
    b = (cell.bias_ih + cell.bias_hh).detach()
    i, f = b[:, :64], b[:, 64:128]
    assert torch.equal(f[0], torch.zeros(64)) and torch.equal(f[1], torch.ones(64))
    # Chrono: b_f = log(u), u in [1, t_max - 1], and b_i = -b_f.
    assert f[2].min() >= 0 and f[2].max() <= np.log(t_max - 1) + 1e-6
    assert f[2].std() > 0.5
    close(i[2], -f[2])
    # The other biases keep torch.nn's uniform start, in (-1/sqrt(n), 1/sqrt(n)) each.
    assert cell.bias_ih[:, 128:].abs().max() <= 1 / 8


# ------------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    "make,message",
    [
        (lambda: LSTMVariantCell(3, 4, "LSTM"), "expected a variant in"),
        (lambda: make_cell("MGU", 3, 4), "expected a cell in"),
        (lambda: parameter_count("MGU", 3, 4), "expected a cell in"),
        (lambda: LSTMVariantCell(3, 0, "NP"), "expected hidden_size > 0"),
        (lambda: LSTMVariantCell(3, 4, ["NP", "NIG"]), "the same parameter shapes"),
        (lambda: LSTMVariantCell(3, 4, ["NP"] * 2, models=3), "one variant or one per model"),
        (lambda: LSTMVariantCell(3, 4, "NFG", forget_bias=1.0), "no forget gate"),
        (lambda: LSTMVariantCell(3, 4, "NP", forget_bias="chrono"), "chrono_t_max > 2"),
        (lambda: LSTMVariantCell(3, 4, "NP", forget_bias="ones"), "a number or 'chrono'"),
        (lambda: LSTMVariantCell(3, 4, "NP", models=2, forget_bias=[1.0]), "one forget_bias"),
        (lambda: GRUCell(3, 4, models=2, seeds=[0]), r"models == len\(seeds\)"),
    ],
)
def test_bad_arguments_raise_a_clear_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_shapes_raise_a_clear_error():
    cell = LSTMVariantCell(3, 4, "NP", models=2)
    with pytest.raises(ValueError, match=r"expected x of shape \(batch, 3\)"):
        cell(torch.randn(5, 2))
    with pytest.raises(ValueError, match=r"expected h of shape \(2, 5, 4\)"):
        cell(torch.randn(5, 3), (torch.randn(5, 4), torch.randn(2, 5, 4)))
    with pytest.raises(ValueError, match="expected a state of 2 tensors"):
        cell(torch.randn(5, 3), torch.randn(2, 5, 4))
    with pytest.raises(ValueError, match="expected 2 models in x"):
        unroll(cell, torch.randn(3, 5, 7, 3))
    with pytest.raises(ValueError, match="with time > 0"):
        unroll(cell, torch.randn(5, 0, 3))
    with pytest.raises(ValueError, match=r"expected parameters \['bias_hh'"):
        cell.load_model_state_dict(0, torch.nn.GRUCell(3, 4).state_dict() | {"x": 1})
    with pytest.raises(ValueError, match=r"expected weight_ih of shape \(16, 3\)"):
        cell.load_model_state_dict(0, torch.nn.LSTMCell(2, 4).state_dict())
