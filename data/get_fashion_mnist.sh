#!/usr/bin/env bash
# Fetches Fashion-MNIST into data/fashion-mnist/ and converts it into
# data/fashion_mnist_train_lmdb and data/fashion_mnist_test_lmdb. Run from the repository root.
# Sources, first found wins: files already in data/fashion-mnist/, the Debian package
# dataset-fashion-mnist (installed with apt-get when missing and running as root), the public mirror.
set -euo pipefail

dir=data/fashion-mnist
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
mirror="${FASHION_MNIST_MIRROR:-http://fashion-mnist.s3-website.eu-central-1.amazonaws.com}"

if [[ ! -x tools/kaffee ]]; then
  echo "get_fashion_mnist.sh: run me from the Kaffee repository root (tools/kaffee not found)" >&2
  exit 1
fi
mkdir -p "$dir"

have() { [[ -s "$dir/$1" || -s "$dir/$1.gz" ]]; }

missing() {
  local f
  for f in "${files[@]}"; do
    have "$f" || return 0
  done
  return 1
}

package_dir() {
  dpkg -L dataset-fashion-mnist 2>/dev/null | grep -m1 '/train-images-idx3-ubyte\(\.gz\)\?$' | xargs -r dirname
}

if missing; then
  pkg="$(package_dir || true)"
  if [[ -z "$pkg" && "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing the Debian package dataset-fashion-mnist..." >&2
    if apt-get install -y -q dataset-fashion-mnist >&2 || { apt-get update -q >&2 && apt-get install -y -q dataset-fashion-mnist >&2; }; then
      pkg="$(package_dir || true)"
    fi
  fi
  for f in "${files[@]}"; do
    have "$f" && continue
    if [[ -n "$pkg" && -s "$pkg/$f.gz" ]]; then
      echo "Copying $f.gz from $pkg" >&2
      cp "$pkg/$f.gz" "$dir/$f.gz"
    elif [[ -n "$pkg" && -s "$pkg/$f" ]]; then
      echo "Copying $f from $pkg" >&2
      cp "$pkg/$f" "$dir/$f"
    else
      echo "Downloading $f.gz from $mirror" >&2
      if command -v curl >/dev/null; then
        curl -fsSL --retry 3 -o "$dir/$f.gz.part" "$mirror/$f.gz"
      else
        wget -q -O "$dir/$f.gz.part" "$mirror/$f.gz"
      fi
      mv "$dir/$f.gz.part" "$dir/$f.gz"
    fi
  done
fi

path_of() {
  if [[ -s "$dir/$1" ]]; then echo "$dir/$1"; else echo "$dir/$1.gz"; fi
}

convert() {
  local images="$1" labels="$2" db="$3"
  if [[ -d "$db" ]]; then
    echo "$db exists; skipping (delete it to convert again)" >&2
    return
  fi
  echo "Creating $db..." >&2
  rm -rf "$db.tmp"
  tools/kaffee convert_mnist_data "$(path_of "$images")" "$(path_of "$labels")" "$db.tmp" --backend=lmdb
  mv "$db.tmp" "$db"
}

convert train-images-idx3-ubyte train-labels-idx1-ubyte data/fashion_mnist_train_lmdb
convert t10k-images-idx3-ubyte t10k-labels-idx1-ubyte data/fashion_mnist_test_lmdb
echo "Done." >&2
