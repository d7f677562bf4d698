"""Dataflow diagrams of the book's recurrent cells, drawn with matplotlib.

Each public function returns a :class:`matplotlib.figure.Figure` of one cell:

- :func:`gate`: one gate, eqs. ``eq-gate-context`` and ``eq-gated`` of the Gates chapter;
- :func:`simple_rnn`: the SimpleRNN cell, ``eq-rnn``;
- :func:`simplified_gru`: the GRU without a reset gate, ``eq-gru-simple`` (``eq-gru-brief``);
- :func:`gru`: the GRU with its reset gate ``"after"`` or ``"before"`` the recurrent
  product, ``eq-gru-after`` and ``eq-gru-before``;
- :func:`lstm`: the LSTM, ``eq-lstm``;
- :func:`convlstm`: Keras' ConvLSTM, ``eq-convlstm``.

Every symbol in a diagram is written as the chapter's equation writes it ($x_t$, $h_{t-1}$,
$z_t$, $\\tilde h_t$, ...), so a figure and its equation can be read side by side. The
biases are left out. The inputs enter on the left and the outputs leave on the right.
How to read a diagram:

- a coloured box is a small layer: it reads the lines that reach it, each through its own
  weights, adds them and its bias, and applies $\\sigma$ (a gate, blue) or $\\tanh$ (a
  candidate, orange). Lines that meet at a dot are joined, so a box fed by the joined line
  reads both $x_t$ and $h_{t-1}$;
- a grey box is a product with a weight matrix alone, drawn where the chapter's equation
  makes its place matter: the SimpleRNN's two products, and in the GRU the product
  $W_{hn} h_{t-1}$, which the reset gate follows (``"after"``) or precedes (``"before"``);
- a circle is an element-wise operation: $\\odot$, $+$, $1-$ or $\\tanh$;
- in the ConvLSTM, $*$ beside the lines into the boxes marks that they read their inputs
  by convolutions instead of matrix products.

A diagram is data (a :class:`Diagram` of nodes, edges and labels, in inches) drawn by one
function, :func:`draw`. The figures keep their text as text in SVG with the book's
``FIGURE_RC``; the few English words are whole short phrases, so that each translates as
one message.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib import patheffects
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from gatedrnn.book import PALETTE

#: Width of every diagram, in inches: the width of the book's text column.
WIDTH = 6.5
#: Font sizes, in points: symbols and words.
MATH_SIZE = 12
WORD_SIZE = 10

LINE = PALETTE["black"]
LINE_WIDTH = 1.2


def _tint(color: str, amount: float = 0.8) -> tuple[float, float, float]:
    """The colour mixed with white, ``amount`` of the way to white."""
    return tuple(c + (1 - c) * amount for c in to_rgb(color))


#: How each kind of node looks: its shape, its half width and half height in inches,
#: its fill and its edge colour. ``None`` draws no shape (an input or output label).
KINDS = {
    "io": (None, (0.22, 0.13), None, None),
    "gate": ("box", (0.25, 0.18), _tint(PALETTE["blue"]), PALETTE["blue"]),
    "candidate": ("box", (0.3, 0.18), _tint(PALETTE["orange"]), PALETTE["orange"]),
    "candidate_op": ("pill", (0.3, 0.15), _tint(PALETTE["orange"]), PALETTE["orange"]),
    "op": ("circle", (0.15, 0.15), "white", LINE),
    "wide_op": ("pill", (0.3, 0.15), "white", LINE),
    "weight": ("square", (0.3, 0.17), "#eeeeee", LINE),
    "dot": ("dot", (0.0, 0.0), LINE, LINE),
}


@dataclass(frozen=True)
class Node:
    """A node: an input or output label, a layer, an operation, or a joint of lines."""

    name: str
    kind: str
    xy: tuple[float, float]
    text: str = ""
    half: tuple[float, float] | None = None  # overrides the half size of its kind


@dataclass(frozen=True)
class Edge:
    """A line from one node to another through corner points; an arrow unless it ends at a dot.

    ``over`` draws the line with a white border, so that where it crosses another line
    it visibly passes over it instead of joining it.
    """

    start: str
    end: str
    via: tuple[tuple[float, float], ...] = ()
    over: bool = False


@dataclass(frozen=True)
class Label:
    """A free text: a symbol beside a line (mathtext) or a short phrase."""

    text: str
    xy: tuple[float, float]
    ha: str = "center"
    va: str = "center"
    size: float | None = None  # overrides the font size of a symbol or a word


@dataclass(frozen=True)
class Diagram:
    """The nodes, edges and labels of one diagram, on a canvas of ``height`` inches."""

    height: float
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    labels: tuple[Label, ...] = ()


def _half(node: Node) -> tuple[float, float]:
    return node.half or KINDS[node.kind][1]


def _boundary(node: Node, toward: tuple[float, float]) -> tuple[float, float]:
    """The point where a line from the node's centre toward ``toward`` leaves the node."""
    (x, y), (tx, ty) = node.xy, toward
    dx, dy = tx - x, ty - y
    length = (dx * dx + dy * dy) ** 0.5
    if node.kind == "dot" or length == 0:
        return node.xy
    dx, dy = dx / length, dy / length
    shape = KINDS[node.kind][0]
    hw, hh = _half(node)
    if shape == "circle":
        distance = hw
    else:
        distance = min(hw / abs(dx) if dx else float("inf"), hh / abs(dy) if dy else float("inf"))
    gap = 0.06 if shape is None else 0.0
    return (x + dx * (distance + gap), y + dy * (distance + gap))


def _draw_node(ax, node: Node) -> None:
    shape, _, face, edge = KINDS[node.kind]
    (x, y), (hw, hh) = node.xy, _half(node)
    style = {"facecolor": face, "edgecolor": edge, "linewidth": LINE_WIDTH, "zorder": 3}
    if shape == "circle":
        ax.add_patch(Circle((x, y), hw, **style))
    elif shape == "dot":
        ax.add_patch(Circle((x, y), 0.035, **style))
    elif shape is not None:
        rounding = {"box": 0.06, "pill": hh, "square": 0.0}[shape]
        ax.add_patch(
            FancyBboxPatch(
                (x - hw, y - hh),
                2 * hw,
                2 * hh,
                boxstyle=f"round,pad=0,rounding_size={rounding}",
                **style,
            )
        )
    if node.text:
        ax.text(x, y, node.text, ha="center", va="center", fontsize=MATH_SIZE, zorder=4)


def _draw_edge(ax, edge: Edge, nodes: dict[str, Node]) -> None:
    start, end = nodes[edge.start], nodes[edge.end]
    points = [start.xy, *edge.via, end.xy]
    points[0] = _boundary(start, points[1])
    points[-1] = _boundary(end, points[-2])
    arrow = end.kind != "dot"
    effects = [patheffects.withStroke(linewidth=7, foreground="white")] if edge.over else []
    ax.add_patch(
        FancyArrowPatch(
            path=Path(points),
            arrowstyle="-|>" if arrow else "-",
            mutation_scale=11,
            linewidth=LINE_WIDTH,
            color=LINE,
            joinstyle="miter",
            capstyle="butt",
            path_effects=effects,
            zorder=2 if edge.over else 1,
        )
    )


def draw(diagram: Diagram) -> Figure:
    """Draw a diagram on a figure of the book's width, one inch per unit, without axes."""
    fig = Figure(figsize=(WIDTH, diagram.height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(0, diagram.height)
    ax.set_aspect("equal")
    ax.set_axis_off()
    nodes = {node.name: node for node in diagram.nodes}
    for node in diagram.nodes:
        _draw_node(ax, node)
    for edge in diagram.edges:
        _draw_edge(ax, edge, nodes)
    for label in diagram.labels:
        is_math = label.text.startswith("$")
        ax.text(
            *label.xy,
            label.text,
            ha=label.ha,
            va=label.va,
            fontsize=label.size or (MATH_SIZE if is_math else WORD_SIZE),
            color=LINE if is_math else "#333333",
            zorder=4,
        )
    return fig


def _chain(*names: str) -> list[Edge]:
    """Straight edges from each node to the next."""
    return [Edge(a, b) for a, b in zip(names, names[1:], strict=False)]


# --- The diagrams -------------------------------------------------------------------------


def gate() -> Figure:
    """One gate: $g_t = \\sigma(\\cdot)$ of $x_t$ and $h_{t-1}$, multiplied into a signal $s_t$."""
    nodes = (
        Node("s", "io", (2.0, 2.0), "$s_t$"),
        Node("h", "io", (2.0, 1.1), "$h_{t-1}$"),
        Node("x", "io", (2.0, 0.4), "$x_t$"),
        Node("join", "dot", (2.8, 0.75)),
        Node("g", "gate", (3.5, 0.75), "$\\sigma$"),
        Node("mul", "op", (3.5, 2.0), "$\\odot$"),
        Node("out", "io", (5.0, 2.0), "$g_t \\odot s_t$", half=(0.38, 0.13)),
    )
    edges = (
        Edge("s", "mul"),
        Edge("h", "join", via=((2.8, 1.1),)),
        Edge("x", "join", via=((2.8, 0.4),)),
        Edge("join", "g"),
        Edge("g", "mul"),
        Edge("mul", "out"),
    )
    labels = (
        Label("$g_t$", (3.58, 1.4), ha="left"),
        Label("signal", (1.7, 2.0), ha="right"),
        Label("gate", (3.83, 0.75), ha="left"),
    )
    return draw(Diagram(2.4, nodes, edges, labels))


def simple_rnn() -> Figure:
    """The SimpleRNN cell: $h_t = \\tanh(W_{ih} x_t + W_{hh} h_{t-1})$, biases left out."""
    nodes = (
        Node("h", "io", (1.1, 1.65), "$h_{t-1}$"),
        Node("x", "io", (1.1, 0.65), "$x_t$"),
        Node("wh", "weight", (2.4, 1.65), "$W_{hh}$"),
        Node("wx", "weight", (2.4, 0.65), "$W_{ih}$"),
        Node("add", "op", (3.5, 1.15), "$+$"),
        Node("tanh", "wide_op", (4.4, 1.15), "$\\tanh$"),
        Node("out", "io", (5.4, 1.15), "$h_t$"),
    )
    edges = (
        Edge("h", "wh"),
        Edge("x", "wx"),
        Edge("wh", "add", via=((3.5, 1.65),)),
        Edge("wx", "add", via=((3.5, 0.65),)),
        *_chain("add", "tanh", "out"),
    )
    return draw(Diagram(2.3, nodes, edges))


def simplified_gru() -> Figure:
    """The GRU without a reset gate: $h_t = (1 - z_t) \\odot \\tilde h_t + z_t \\odot h_{t-1}$."""
    top, update, bus, bottom = 3.05, 2.5, 0.55, 0.2
    zx, cx, ox = 1.9, 3.9, 5.3
    nodes = (
        Node("h", "io", (0.32, top), "$h_{t-1}$"),
        Node("x", "io", (0.32, bottom), "$x_t$"),
        Node("h_drop", "dot", (0.75, top)),
        Node("join", "dot", (1.05, bus)),
        Node("z_tap", "dot", (zx, bus)),
        Node("z", "gate", (zx, 1.85), "$\\sigma$"),
        Node("cand", "candidate", (cx, 1.2), "$\\tanh$"),
        Node("z_split", "dot", (zx, update)),
        Node("keep", "op", (zx, top), "$\\odot$"),
        Node("one_minus", "wide_op", (cx, update), "$1-$"),
        Node("write", "op", (ox, update), "$\\odot$"),
        Node("add", "op", (ox, top), "$+$"),
        Node("out", "io", (6.05, top), "$h_t$"),
    )
    edges = (
        Edge("h", "h_drop"),
        Edge("h_drop", "keep"),
        Edge("h_drop", "join", via=((0.75, bus),)),
        Edge("x", "join", via=((1.05, bottom),)),
        Edge("join", "z_tap"),
        Edge("z_tap", "z"),
        Edge("z_tap", "cand", via=((cx, bus),)),
        Edge("z", "z_split"),
        Edge("z_split", "keep"),
        Edge("z_split", "one_minus"),
        Edge("one_minus", "write"),
        Edge("cand", "write", via=((ox, 1.2),)),
        *_chain("keep", "add", "out"),
        Edge("write", "add"),
    )
    labels = (
        Label("$z_t$", (zx + 0.1, 2.68), ha="left"),
        Label("update gate", (zx + 0.33, 1.85), ha="left"),
        Label("candidate", (cx - 0.33, 1.2), ha="right"),
        Label("$\\tilde h_t$", (ox + 0.1, 1.85), ha="left"),
    )
    return draw(Diagram(3.3, nodes, edges, labels))


def gru(reset: str = "after") -> Figure:
    """The GRU, with the reset gate ``"after"`` (eq-gru-after) or ``"before"`` (eq-gru-before).

    After: $\\tilde h_t = \\tanh(W_{in} x_t + r_t \\odot (W_{hn} h_{t-1}))$, as PyTorch and
    Keras' default compute it. Before: $\\tilde h_t = \\tanh(W_{in} x_t + W_{hn} (r_t \\odot
    h_{t-1}))$, as Keras computes it with ``reset_after=False``.
    """
    if reset not in ("after", "before"):
        raise ValueError(f'gru expected reset="after" or "before", got {reset!r}')
    top, update, row, gates, bus, bottom = 3.45, 2.9, 1.8, 1.1, 0.55, 0.2
    zx, first, second, sx, tx, ox = 1.45, 2.35, 3.15, 3.95, 4.8, 5.75
    # The reset gate multiplies the output of the product W_hn (after) or its input (before).
    w_x, r_x = (first, second) if reset == "after" else (second, first)
    nodes = (
        Node("h", "io", (0.32, top), "$h_{t-1}$"),
        Node("x", "io", (0.32, bottom), "$x_t$"),
        Node("h_drop", "dot", (0.75, top)),
        Node("h_row", "dot", (0.75, row)),
        Node("x_split", "dot", (1.05, bottom)),
        Node("join", "dot", (1.05, bus)),
        Node("z_tap", "dot", (zx, bus)),
        Node("z", "gate", (zx, 2.3), "$\\sigma$"),
        Node("r", "gate", (r_x, gates), "$\\sigma$"),
        Node("w_hn", "weight", (w_x, row), "$W_{hn}$"),
        Node("reset", "op", (r_x, row), "$\\odot$"),
        Node("w_in", "weight", (sx, gates), "$W_{in}$"),
        Node("sum", "op", (sx, row), "$+$"),
        Node("tanh", "candidate_op", (tx, row), "$\\tanh$"),
        Node("z_split", "dot", (zx, update)),
        Node("keep", "op", (zx, top), "$\\odot$"),
        Node("one_minus", "wide_op", (tx, update), "$1-$"),
        Node("write", "op", (ox, update), "$\\odot$"),
        Node("add", "op", (ox, top), "$+$"),
        Node("out", "io", (6.3, top), "$h_t$", half=(0.14, 0.13)),
    )
    row_chain = ("h_row", "w_hn", "reset") if reset == "after" else ("h_row", "reset", "w_hn")
    edges = (
        Edge("h", "h_drop"),
        Edge("h_drop", "keep"),
        Edge("h_drop", "h_row"),
        Edge("h_row", "join", via=((0.75, bus),)),
        Edge("x", "x_split"),
        Edge("x_split", "join"),
        Edge("x_split", "w_in", via=((sx, bottom),)),
        Edge("join", "z_tap"),
        Edge("z_tap", "z", over=True),  # crosses the line of h_{t-1} to W_hn
        Edge("z_tap", "r", via=((r_x, bus),)),
        *_chain(*row_chain),
        Edge(row_chain[-1], "sum"),
        Edge("r", "reset"),
        Edge("w_in", "sum"),
        Edge("sum", "tanh"),
        Edge("tanh", "write", via=((ox, row),)),
        Edge("z", "z_split"),
        Edge("z_split", "keep"),
        Edge("z_split", "one_minus"),
        Edge("one_minus", "write"),
        *_chain("keep", "add", "out"),
        Edge("write", "add"),
    )
    reset_word = (
        Label("reset gate", (r_x - 0.33, gates), ha="right")
        if reset == "after"
        else Label("reset gate", (r_x + 0.33, gates), ha="left")
    )
    labels = (
        Label("$z_t$", (zx + 0.1, 3.12), ha="left"),
        Label("update gate", (zx + 0.33, 2.3), ha="left"),
        Label("$r_t$", (r_x + 0.08, 1.46), ha="left"),
        reset_word,
        Label("candidate", (tx, 1.45)),
        Label("$\\tilde h_t$", (ox + 0.1, 2.3), ha="left"),
    )
    return draw(Diagram(3.75, nodes, edges, labels))


def _lstm(conv: bool) -> Figure:
    """The LSTM, or with ``conv`` the ConvLSTM: the same diagram with $*$ on the gates' inputs."""
    cell, mid, gates, bus, bottom = 3.0, 2.25, 1.55, 0.85, 0.3
    fx, ix, cx, ox, tx = 1.5, 2.55, 3.6, 4.65, 5.45
    mx = (ix + cx) / 2  # the product of the input gate and the candidate
    nodes = (
        Node("c", "io", (0.35, cell), "$c_{t-1}$"),
        Node("h", "io", (0.35, bus), "$h_{t-1}$"),
        Node("x", "io", (0.35, bottom), "$x_t$"),
        Node("join", "dot", (0.95, bus)),
        Node("f_tap", "dot", (fx, bus)),
        Node("i_tap", "dot", (ix, bus)),
        Node("c_tap", "dot", (cx, bus)),
        Node("f", "gate", (fx, gates), "$\\sigma$"),
        Node("i", "gate", (ix, gates), "$\\sigma$"),
        Node("cand", "candidate", (cx, gates), "$\\tanh$"),
        Node("o", "gate", (ox, gates), "$\\sigma$"),
        Node("forget", "op", (fx, cell), "$\\odot$"),
        Node("write", "op", (mx, mid), "$\\odot$"),
        Node("add", "op", (mx, cell), "$+$"),
        Node("c_split", "dot", (tx, cell)),
        Node("tanh", "wide_op", (tx, mid), "$\\tanh$"),
        Node("show", "op", (tx, gates), "$\\odot$"),
        Node("c_out", "io", (6.15, cell), "$c_t$"),
        Node("h_out", "io", (6.15, gates), "$h_t$"),
    )
    edges = (
        Edge("h", "join"),
        Edge("x", "join", via=((0.95, bottom),)),
        *_chain("join", "f_tap", "i_tap", "c_tap"),
        Edge("f_tap", "f"),
        Edge("i_tap", "i"),
        Edge("c_tap", "cand"),
        Edge("c_tap", "o", via=((ox, bus),)),
        *_chain("c", "forget", "add", "c_split", "c_out"),
        Edge("f", "forget"),
        Edge("i", "write", via=((ix, mid),)),
        Edge("cand", "write", via=((cx, mid),)),
        Edge("write", "add"),
        *_chain("c_split", "tanh", "show", "h_out"),
        Edge("o", "show"),
    )
    words = ("forget gate", "input gate", "candidate", "output gate")
    labels = [
        Label("$f_t$", (fx + 0.08, (gates + cell) / 2), ha="left"),
        Label("$i_t$", (ix - 0.08, (gates + mid) / 2), ha="right"),
        Label("$\\tilde c_t$", (cx + 0.08, (gates + mid) / 2), ha="left"),
        Label("$o_t$", ((ox + tx) / 2 + 0.02, gates + 0.07), va="bottom"),
        Label("cell state", ((fx + mx) / 2, cell - 0.12), va="top"),
    ]
    for x, word in zip((fx, ix, cx, ox), words, strict=True):
        labels.append(Label(word, (x + 0.07, gates - 0.45), ha="left"))
        if conv:
            labels.append(Label("$*$", (x - 0.06, gates - 0.36), ha="right", size=16))
    return draw(Diagram(3.3, nodes, edges, tuple(labels)))


def lstm() -> Figure:
    """The LSTM cell of eq-lstm: three gates, a candidate $\\tilde c_t$, and the cell state."""
    return _lstm(conv=False)


def convlstm() -> Figure:
    """Keras' ConvLSTM cell of eq-convlstm: the LSTM with convolutions ($*$)."""
    return _lstm(conv=True)


#: Every diagram by name, for rendering them all.
DIAGRAMS = {
    "gate": gate,
    "simple_rnn": simple_rnn,
    "simplified_gru": simplified_gru,
    "gru_after": lambda: gru(reset="after"),
    "gru_before": lambda: gru(reset="before"),
    "lstm": lstm,
    "convlstm": convlstm,
}
