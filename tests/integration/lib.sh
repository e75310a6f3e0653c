# SPDX-License-Identifier: GPL-3.0-or-later
# Shared helpers for the integration tests: `check DESC CMD...` counts a pass
# or prints a failure; `finish` prints "N passed, N failed" and exits.
SIZEUP=$1
SRC=$2
WORK=$3
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"
passed=0
failed=0

check() {
  desc=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $desc" >&2
  fi
}

# expect_error DESC EXPECTED_TEXT CMD...: non-zero exit, exactly one stderr
# line "sizeup: error: ..." containing EXPECTED_TEXT.
expect_error() {
  desc=$1
  want=$2
  shift 2
  rc=0
  "$@" >out.txt 2>err.txt || rc=$?
  lines=$(grep -c . err.txt || true)
  if [ "$rc" -ne 0 ] && grep -q "^sizeup: error: .*$want" err.txt && [ "$lines" -le 2 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: $desc (rc=$rc)" >&2
    cat err.txt >&2
  fi
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
