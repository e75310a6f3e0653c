#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs every Debian/Ubuntu package sizeup needs to build, test and report.
# Idempotent: safe to run again; runs `apt-get update` first.
#
#   scripts/install-deps.sh            build + tests + reports
#   scripts/install-deps.sh --bench    also the peers bench/peers.sh compares
#                                      with (likwid, clpeak) and the browser of
#                                      bench/report-screenshot.sh (chromium)
#   scripts/install-deps.sh --fuzz     also clang, for the libFuzzer targets of
#                                      bench/fuzz.sh
#   scripts/install-deps.sh --minimal  only what `sizeup run` needs on a bare
#                                      compute node (compiler, CMake, OpenMP,
#                                      hwloc, inih)
set -eu

minimal="build-essential cmake pkg-config libhwloc-dev hwloc libinih-dev"
full="$minimal ocl-icd-opencl-dev opencl-c-headers pocl-opencl-icd clinfo libclblast-dev
      libgsl-dev libsqlite3-dev libjansson-dev libopenblas-dev gnuplot-nox
      libopenmpi-dev openmpi-bin"
bench="likwid clpeak chromium"
fuzz="clang libomp-dev"

pkgs=$full
for arg in "$@"; do
  case $arg in
  --minimal) pkgs=$minimal ;;
  --bench) pkgs="$pkgs $bench" ;;
  --fuzz) pkgs="$pkgs $fuzz" ;;
  -h | --help) sed -n '4,16p' "$0"; exit 0 ;;
  *) echo "install-deps.sh: error: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=sudo
  else
    echo "install-deps.sh: error: run as root or install sudo" >&2
    exit 1
  fi
else
  SUDO=
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
echo "install-deps.sh: installed:" $pkgs
