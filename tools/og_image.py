"""Draw the site's preview image for links shared on the web (Open Graph, 1200 x 630).

    python tools/og_image.py        # writes docs/_static/og-image.png

The image shows the book's title in both languages over a sketch of a gate: a signal, a
sigmoid mask and their product, drawn from the same functions as the chapter on gates.
Run it again after changing the title; the build only copies the PNG.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "docs" / "_static" / "og-image.png"
BLUE, ORANGE, GREEN = "#0072B2", "#E69F00", "#009E73"


def main() -> None:
    plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK JP"]
    fig = plt.figure(figsize=(12, 6.3), dpi=100)
    fig.patch.set_facecolor("white")
    fig.text(0.06, 0.80, "gated-rnn-book", fontsize=54, weight="bold", color="#222222")
    fig.text(0.06, 0.69, "Gates, GRU, LSTM and ConvLSTM, executed", fontsize=26, color="#444444")
    fig.text(
        0.06,
        0.60,
        "ゲート付き再帰型ニューラルネットワークの実行できる本",
        fontsize=24,
        color="#444444",
        family="Noto Sans CJK JP",
    )
    ax = fig.add_axes([0.06, 0.15, 0.88, 0.38])
    t = np.linspace(0, 4 * np.pi, 400)
    signal = np.sin(t) + 0.3 * np.sin(3.1 * t)
    gate = 1 / (1 + np.exp(-3 * np.cos(0.5 * t)))
    ax.plot(t, signal, color=BLUE, lw=3, label="signal")
    ax.plot(t, gate, color=ORANGE, lw=3, label="σ gate")
    ax.plot(t, gate * signal, color=GREEN, lw=4, label="gate ⊙ signal")
    ax.axis("off")
    # The legend sits below the curves, where it covers none of them.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), fontsize=18, frameon=False, ncols=3)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT, dpi=100, metadata={"Software": None})
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
