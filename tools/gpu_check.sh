#!/usr/bin/env bash
# The book's GPU check, for a machine with CUDA PyTorch and no TensorFlow.
#
#     tools/gpu_check.sh                    # with the packages below already installed
#     tools/gpu_check.sh --wheels DIR       # first install what is missing from DIR, offline
#
# It runs, with Keras on its PyTorch backend (KERAS_BACKEND=torch):
#   1. the PyTorch tests and the Keras-on-torch tests (the from-scratch cells against
#      torch.nn and keras.layers with copied weights, the gates, the ConvLSTM), on the
#      device PyTorch picks: cuDNN's LSTM and GRU on a GPU;
#   2. every example with --quick;
#   3. the speed table of the Keras chapter at the book's sizes: its PyTorch and
#      Keras-on-torch rows.
# It prints the device, the versions, and a PASS or FAIL line per part; it exits 1 if a
# part failed.
#
# What it needs beyond CUDA PyTorch (torch==2.13.0), as wheels for an offline machine
# (`python -m pip download -d DIR "keras==3.15.*" pandas matplotlib pytest` on a machine
# with the same Python, then bring DIR along):
#   keras 3.15 and its dependencies (absl-py, h5py, ml-dtypes, namex, optree, rich),
#   numpy, pandas, matplotlib, pytest.
# The book's package itself comes from this checkout (PYTHONPATH=src). The Reuters
# example needs the Keras dataset cache of a build here: bring _build/keras along.
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--wheels" ]; then
  python -m pip install --quiet --no-index --find-links "$2" \
    "keras==3.15.*" numpy pandas matplotlib pytest || exit 1
fi

export KERAS_BACKEND=torch MPLBACKEND=agg PYTHONPATH="$PWD/src" TF_CPP_MIN_LOG_LEVEL=3
export KERAS_HOME="$PWD/_build/keras" PYTHONHASHSEED=0 CUBLAS_WORKSPACE_CONFIG=:4096:8
python - <<'EOF'
import importlib.util, platform, torch, keras
from gatedrnn.book import device_name, torch_device
print(f"device: {torch_device()} ({device_name()})")
print(f"Python {platform.python_version()}, PyTorch {torch.__version__} "
      f"(CUDA {torch.version.cuda}), Keras {keras.__version__} on {keras.backend.backend()}")
print("TensorFlow:", "installed" if importlib.util.find_spec("tensorflow") else "not installed")
EOF

failed=0
part() {  # part NAME COMMAND...: run one part, print its time and a PASS or FAIL line
  local name="$1" start=$SECONDS
  shift
  echo "== $name"
  if "$@"; then
    echo "PASS $name ($((SECONDS - start)) s)"
  else
    echo "FAIL $name ($((SECONDS - start)) s)"
    failed=1
  fi
}

part "PyTorch and Keras-on-torch tests" python -m pytest -q -p no:cacheprovider \
  tests/test_cells.py tests/test_gates.py tests/test_convlstm.py
examples() {
  local script status=0
  for script in docs/examples/*.py; do
    echo "-- $script --quick"
    python "$script" --quick >/tmp/gpu_check_example.log 2>&1 || {
      status=1
      tail -20 /tmp/gpu_check_example.log
    }
    head -1 /tmp/gpu_check_example.log
  done
  return $status
}
part "every example with --quick" examples
part "speed table (PyTorch and Keras-on-torch rows)" python -m gatedrnn.speed

exit $failed
