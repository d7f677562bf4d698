"""Reference code of gated-rnn-book.

The modules that the chapters show in full import only public libraries:

- :mod:`gatedrnn.gates_torch`: a gate as a ``torch.nn.Module``;
- :mod:`gatedrnn.gates_keras`: its twin as a ``keras.layers.Layer``;
- :mod:`gatedrnn.book`: seeding, figure style and provenance, shared by the pages.
"""

__version__ = "0.1.0"
