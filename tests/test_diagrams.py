"""The cell diagrams show exactly the symbols of the chapters' equations, legibly.

The expected symbols are written out here from the equations of the chapters
(docs/gates.md, rnn.md, gru.md, lstm.md, convlstm.md), not read from the module, so a
diagram that drops, adds or misspells a symbol fails.
"""

import io
import re
import xml.etree.ElementTree as ET

import matplotlib
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from gatedrnn import diagrams
from gatedrnn.book import FIGURE_RC

# The element-wise operations the cells use, as the equations write them.
PRODUCT, SUM, TANH, SIGMA = r"\odot", "+", r"\tanh", r"\sigma"

# eq-gate-context and eq-gated (gates.md), with the signal s_t of the chapter's figure:
# g_t = sigma(W_x x_t + b_x + W_h h_{t-1} + b_h), and the gated signal g_t ⊙ s_t.
GATE = {"x_t", "h_{t-1}", SIGMA, "g_t", "s_t", PRODUCT, r"g_t \odot s_t"}
# eq-rnn (rnn.md): h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), biases not drawn.
SIMPLE_RNN = {"x_t", "h_{t-1}", "W_{ih}", "W_{hh}", SUM, TANH, "h_t"}
# eq-gru-simple (gru.md) and eq-gru-brief (gates.md):
# z_t = sigma(...), tilde h_t = tanh(...), h_t = (1 - z_t) ⊙ tilde h_t + z_t ⊙ h_{t-1}.
SIMPLIFIED_GRU = {
    *("x_t", "h_{t-1}", SIGMA, "z_t", TANH, r"\tilde h_t"),
    *("1-", PRODUCT, SUM, "h_t"),
}
# eq-gru-after and eq-gru-before (gru.md): the reset gate r_t multiplies the output or the
# input of W_hn, and W_in x_t is added; the same symbols in both forms.
GRU = SIMPLIFIED_GRU | {"r_t", "W_{in}", "W_{hn}"}
# eq-lstm (lstm.md).
LSTM = {
    *("x_t", "h_{t-1}", "c_{t-1}", SIGMA, TANH),
    *("i_t", "f_t", "o_t", r"\tilde c_t", PRODUCT, SUM, "c_t", "h_t"),
}
# eq-convlstm (convlstm.md): the LSTM's symbols, and * for the convolutions.
CONVLSTM = LSTM | {"*"}

CASES = {
    "gate": (diagrams.gate, GATE),
    "simple_rnn": (diagrams.simple_rnn, SIMPLE_RNN),
    "simplified_gru": (diagrams.simplified_gru, SIMPLIFIED_GRU),
    "gru_after": (lambda: diagrams.gru(reset="after"), GRU),
    "gru_before": (lambda: diagrams.gru(reset="before"), GRU),
    "lstm": (diagrams.lstm, LSTM),
    "convlstm": (diagrams.convlstm, CONVLSTM),
}

#: The words a diagram may show: short whole phrases, each translated as one message.
ALLOWED_WORDS = {
    *("signal", "gate", "input", "output", "candidate", "cell state", "hidden state"),
    *("update gate", "reset gate", "forget gate", "input gate", "output gate"),
}

MATH = re.compile(r"\$(.+?)\$")


def texts_of(fig) -> list[Text]:
    """Every text the figure shows."""
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def symbols_and_words(fig) -> tuple[set[str], set[str]]:
    """The mathtext parts (whitespace normalised) and the words outside them."""
    symbols, words = set(), set()
    for text in texts_of(fig):
        string = text.get_text()
        symbols.update(" ".join(part.split()) for part in MATH.findall(string))
        rest = " ".join(MATH.sub(" ", string).split())
        if rest:
            words.add(rest)
    return symbols, words


def drawn(make):
    fig = make()
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    return fig


@pytest.mark.parametrize("name", CASES)
def test_diagram_shows_exactly_the_symbols_of_its_equation(name):
    make, expected = CASES[name]
    symbols, _ = symbols_and_words(make())
    assert symbols - expected == set(), f"{name} shows symbols its equation lacks"
    assert expected - symbols == set(), f"{name} lacks symbols of its equation"


@pytest.mark.parametrize("name", CASES)
def test_diagram_words_are_few_allowed_phrases(name):
    _, words = symbols_and_words(CASES[name][0]())
    assert words <= ALLOWED_WORDS, f"{name}: unexpected words {words - ALLOWED_WORDS}"
    assert len(words) <= 5


@pytest.mark.parametrize("name", CASES)
def test_diagram_texts_do_not_overlap_and_lie_inside_the_figure(name):
    fig = drawn(CASES[name][0])
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts_of(fig)]
    width, height = fig.bbox.width, fig.bbox.height
    for text, box in boxes:
        assert box.x0 >= 0 and box.y0 >= 0, f"{text!r} leaves the figure"
        assert box.x1 <= width and box.y1 <= height, f"{text!r} leaves the figure"
    for i, (text_a, a) in enumerate(boxes):
        for text_b, b in boxes[i + 1 :]:
            overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0)
            overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0)
            assert overlap_x <= 0 or overlap_y <= 0, f"{text_a!r} overlaps {text_b!r}"


@pytest.mark.parametrize("name", CASES)
def test_diagram_fits_the_page_and_its_text_is_large_enough(name):
    fig = CASES[name][0]()
    width, height = fig.get_size_inches()
    assert width == pytest.approx(6.5)
    assert 2.0 <= height <= 4.0
    assert all(t.get_fontsize() >= 10 for t in texts_of(fig))
    assert all(not ax.axison for ax in fig.axes)


@pytest.mark.parametrize("name", CASES)
def test_diagram_svg_keeps_its_words_as_text(name):
    make, _ = CASES[name]
    fig = make()
    _, words = symbols_and_words(fig)
    with matplotlib.rc_context(FIGURE_RC):
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    root = ET.fromstring(svg)
    elements = [e for e in root.iter() if e.tag.rpartition("}")[2] == "text"]
    shown = {" ".join("".join(e.itertext()).split()) for e in elements}
    assert words <= shown
    assert "DejaVuSans-" not in svg, "some text was written as glyph paths"


@pytest.mark.parametrize("reset", ["after", "before"])
def test_gru_diagram_puts_the_reset_gate_on_the_right_side_of_w_hn(reset):
    # eq-gru-after: r_t ⊙ (W_hn h_{t-1}); eq-gru-before: W_hn (r_t ⊙ h_{t-1}). Data flows
    # left to right, so the reset gate's label lies right of W_hn after, left of it before.
    fig = drawn(lambda: diagrams.gru(reset=reset))
    x = {t.get_text(): t.get_window_extent().x0 for t in texts_of(fig)}
    assert (x["$r_t$"] > x["$W_{hn}$"]) == (reset == "after")


def test_gru_diagram_refuses_an_unknown_reset_form():
    with pytest.raises(ValueError, match="after"):
        diagrams.gru(reset="middle")
