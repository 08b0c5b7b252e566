#!/usr/bin/env bash
# The GPU check in one command, on a machine with a GPU and none of ferc's tools:
#   bash .gpu-check/run.sh
# (built by `npm run gpu:check`, which also runs it here). Unpacks the Vulkan loader when the
# machine lacks one, points Vulkan at the NVIDIA driver when it is mounted, unpacks Node and the
# bundled ferc into a temporary folder, and runs src/tools/gpuCheck.ts there. The log also goes to
# $OUT/gpu-check.log when OUT is set (the GPU machine's file drop).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

unxz_to() { # file.xz -> dest, with xz or Python's lzma
  if command -v xz >/dev/null 2>&1; then xz -dc "$1" >"$2"
  else python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; fi
}

# (grep without -q: with pipefail, grep -q closing the pipe early would fail ldconfig.)
if ! ldconfig -p 2>/dev/null | grep 'libvulkan.so.1' >/dev/null; then
  if [ "$(id -u)" = 0 ] && ls "$here"/debs/*.deb >/dev/null 2>&1; then
    for f in "$here"/debs/*.deb; do dpkg -x "$f" /; done
    ldconfig
    echo "gpu-check: Vulkan loader unpacked from $(ls "$here"/debs | wc -l) packages"
  else
    echo "gpu-check: no Vulkan loader (libvulkan.so.1) and none to unpack: webgpu will find no adapter"
  fi
fi
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] && [ -f "$nvidia_icd" ]; then
  export VK_DRIVER_FILES="$nvidia_icd"
  echo "gpu-check: Vulkan driver $nvidia_icd"
fi
command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | sed 's/^/gpu-check: nvidia-smi: /'

if command -v node >/dev/null 2>&1 && [ "$(node --version)" = "$(cat "$here/node.version")" ]; then
  node=node
else
  unxz_to "$here/node.xz" "$work/node" && chmod +x "$work/node"
  node="$work/node"
fi
unxz_to "$here/ferc.tar.xz" "$work/ferc.tar" && tar -xf "$work/ferc.tar" -C "$work" || { echo "gpu-check: cannot unpack ferc.tar.xz"; exit 1; }
cd "$work/ferc"
log="${OUT:-$work}/gpu-check.log"
"$node" dist/tools/gpuCheck.js 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
echo "gpu-check: exit $status; log $log"
exit "$status"
