#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Results that survive (docs/architecture.md, Data safety): kill -9 at
# several moments of a three-round run, then --resume; a full disk; two runs
# into one folder and a stale lock; records --resume cannot read; an
# unreadable samples.csv and truncated rows for every reader; symbolic links
# and foreign files in --out; hostile run ids.  Each case ends with every
# measured configuration kept, or a one-line `sizeup: error:` and the
# folder as it was.
set -u
. "$(dirname "$0")/lib.sh"

RUN=(run -k stream_triad,stream_copy -t 1 -P compact -S 64K,128K --precision fp64
     --variants omp -b 0.05 --min-reps 3 -q)
quiet() { "$@" >/dev/null 2>&1; }
colof() { head -n 1 "$1" | tr , '\n' | grep -nx "$2" | cut -d: -f1; }
# The state of a folder: every file's name and checksum.
# A folder's state: its files' contents, names, modes and links (ls -lA: not
# the folder's own mtime, which a lock taken and released moves).
state() { (cd "$1" && find . -type f -o -type l | sort | xargs -r md5sum 2>/dev/null; ls -lA) }

# A folder is complete and readable: 4 points, each once, with `rounds`
# rounds, and as many samples as its reps; every reader takes it.
complete() {
  local d=$1 rounds=$2 rc=$3 what=$4
  check "$what: exit 0 (rc=$rc)" test "$rc" -eq 0
  check "$what: 4 points" test "$(($(wc -l <"$d/summary.csv") - 1))" -eq 4
  check "$what: each point once" \
    test "$(tail -n +2 "$d/summary.csv" | cut -d, -f27 | sort | uniq -d | wc -l)" -eq 0
  check "$what: $rounds rounds each" \
    test "$(awk -F, -v c="$(colof "$d/summary.csv" rounds)" -v r="$rounds" \
            'NR > 1 && $c != r' "$d/summary.csv" | wc -l)" -eq 0
  check "$what: every sample of every round kept" \
    test "$(tail -n +2 "$d/samples.csv" | wc -l)" -eq \
         "$(awk -F, -v c="$(colof "$d/summary.csv" reps)" 'NR > 1 { n += $c } END { print n }' \
            "$d/summary.csv")"
  check "$what: no .part files left" test -z "$(ls "$d" | grep '\.part$')"
  check "$what: no lock left" test ! -e "$d/sizeup.lock"
  check "$what: report reads it" quiet "$SIZEUP" report "$d" --out "rep-$d"
  check "$what: compare reads it" quiet "$SIZEUP" compare "$d" "$d"
}

# 1. kill -9 at several moments of a three-round run, then --resume.
n=0
for delay in 0 0.3 0.7 1.2; do
  n=$((n + 1))
  d=k$n
  "$SIZEUP" "${RUN[@]}" --rounds 3 --out $d >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do [ -e $d/run.args ] && break; sleep 0.02; done
  sleep $delay
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  lock=0
  [ -e $d/sizeup.lock ] && lock=1
  if [ -e $d/summary.csv.part ]; then
    check "kill -9 after ${delay}s: summary.csv.part has its header" \
      grep -q '^schema_version,' $d/summary.csv.part
    check "kill -9 after ${delay}s: samples.csv.part has its header" \
      grep -q '^schema_version,' $d/samples.csv.part
  fi
  rc=0
  "$SIZEUP" run --resume $d >$d.log 2>&1 || rc=$?
  complete $d 3 $rc "resume after kill -9 at ${delay}s"
  if [ $lock -eq 1 ]; then
    check "kill -9 after ${delay}s: the stale lock was taken over and said" \
      grep -q "^sizeup: note: took over the lock" $d.log
  fi
done

# 2. A record --resume cannot read stops it with the line, and nothing changes.
"$SIZEUP" "${RUN[@]}" --rounds 1 --out nul >/dev/null 2>&1
mv nul/samples.csv nul/samples.csv.part
python3 - <<'PY'
p = "nul/samples.csv.part"
s = open(p, "rb").read().split(b"\n")
s[5] = s[5][:10] + b"\0" + s[5][11:]
open(p, "wb").write(b"\n".join(s))
PY
before=$(state nul)
expect_error "resume refuses a NUL byte, naming the line" "samples.csv.part' line 6: NUL byte" \
  "$SIZEUP" run --resume nul
check "a refused resume leaves the folder as it was" test "$before" = "$(state nul)"
for bad in "1,x" "1,a,b,c,d,e,f,1,1,1,p,0,99999999999999999999999"; do
  rm -rf bad && "$SIZEUP" "${RUN[@]}" --rounds 1 --out bad >/dev/null 2>&1
  echo "$bad" >>bad/summary.csv
  before=$(state bad)
  expect_error "resume refuses a bad summary row '$bad'" "summary.csv' line 6" \
    "$SIZEUP" run --resume bad
  check "refused resume of '$bad' changed nothing" test "$before" = "$(state bad)"
done

# 3. Two runs into one folder: the second fails at once, naming the first.
"$SIZEUP" "${RUN[@]}" --rounds 100 --out two >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 200); do [ -e two/run.args ] && break; sleep 0.02; done
expect_error "a second run into the folder is refused" \
  "another sizeup run (pid $pid on .*) is writing here" "$SIZEUP" "${RUN[@]}" --out two
expect_error "a resume of the running folder is refused" \
  "another sizeup run (pid $pid on .*) is writing here" "$SIZEUP" run --resume two
check "the first run still writes its header" grep -q '^schema_version,' two/summary.csv.part
kill -INT $pid
wait $pid
check "the interrupted first run released its lock" test ! -e two/sizeup.lock

# 4. An unreadable samples.csv is exit 2 for every reader, never "no data".
"$SIZEUP" "${RUN[@]}" --rounds 1 --out good >/dev/null 2>&1
cp -r good unread
rm unread/samples.csv && mkdir unread/samples.csv
expect_error "compare: unreadable samples.csv" "unread/samples.csv': cannot read" \
  "$SIZEUP" compare good unread
check "compare: unreadable samples.csv is exit 2" test "$rc" -eq 2
if "$SIZEUP" history --help 2>&1 | grep -q sqlite; then :; fi
rc=0; "$SIZEUP" history add unread --db h.db >/dev/null 2>err.txt || rc=$?
if ! grep -q "built without" err.txt; then
  check "history add: unreadable samples.csv is exit 2 (rc=$rc)" test "$rc" -eq 2
fi

# 5. Truncated rows are errors, not results.
cp -r good trunc
row=$(sed -n 2p trunc/summary.csv)
printf '%s\n' "$(head -n 1 trunc/summary.csv)" "${row%%,ok,*},ok,,3" >trunc/summary.csv
for cmd in "report trunc --out rt" "fit trunc" "compare good trunc"; do
  # shellcheck disable=SC2086
  expect_error "$cmd: a truncated row" "summary.csv' line 2: .* fields where the header has" \
    "$SIZEUP" $cmd
  check "$cmd: a truncated row is exit 2" test "$rc" -eq 2
done

# 6. Foreign files and links in --out; hostile run ids.
mkdir foreign && echo mine >foreign/system.json
expect_error "a folder with foreign files is refused" "'foreign' is not empty" \
  "$SIZEUP" "${RUN[@]}" --out foreign
check "the foreign file is untouched" test "$(cat foreign/system.json)" = mine
mkdir dang && ln -s "$PWD/outside" dang/summary.csv.part
expect_error "a dangling link in --out is refused" "not empty" "$SIZEUP" "${RUN[@]}" --out dang
check "nothing was created outside" test ! -e outside
cp -r good linked && mv linked/summary.csv linked/real.csv && ln -s real.csv linked/summary.csv
expect_error "resume refuses a linked summary.csv" "not a regular file" \
  "$SIZEUP" run --resume linked
expect_error "--out / is refused" "refusing to write results into '/'" \
  "$SIZEUP" "${RUN[@]}" --out /
for id in "a/b/../../../x" "" ".." "$(printf 'x%.0s' $(seq 1 80))"; do
  expect_error "run id '${id:0:20}' refused" "run id\|the run id" "$SIZEUP" "${RUN[@]}" --run-id "$id"
done
check "nothing escaped results/" test ! -e x -a ! -e ../x
mkdir rep && ln -s "$PWD/victim" rep/report.md && echo keep >victim
"$SIZEUP" report good --out rep >/dev/null 2>&1
check "report does not write through a link" test "$(cat victim)" = keep

# 8. A crafted history database (a recursive view named like a table) is
# refused at once, not run.
if "$SIZEUP" history list --db none.db 2>&1 | grep -q "built without"; then
  echo "history: built without SQLite, skipped"
else
  python3 - <<'PY'
import sqlite3
c = sqlite3.connect("view.db")
c.executescript("""
PRAGMA application_id = 1936292469; PRAGMA user_version = 2;
CREATE TABLE configs(id INTEGER PRIMARY KEY, run INTEGER);
CREATE TABLE samples(config INTEGER, value REAL, round INTEGER, c2c REAL);
CREATE VIEW runs(id, run_id, fingerprint, hostname, cpu_model, added_unix, source_dir) AS
  WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)
  SELECT n, 'x' || n, 'f', 'h', 'c', 0, 'd' FROM r;
""")
c.commit()
PY
  for sub in list "plot --out vplot"; do
    # shellcheck disable=SC2086
    expect_error "history $sub: a recursive view is refused" "not a sizeup history database" \
      timeout 60 "$SIZEUP" history $sub --db view.db
    check "history $sub: refused with exit 2 (rc=$rc)" test "$rc" -eq 2
  done
fi

# 9. Other edges: INI files with a key or a section given twice, a fractional
# --rounds, escape sequences in a catalog name, a huge number in system.json.
printf '[run]\nbudget = 0.01\nbudget = 0.02\n[g]\nkernels = stream_triad\n' >dupkey.ini
expect_error "a suite key given twice" "dupkey.ini:3: key 'budget' given twice in \\[run\\]" \
  "$SIZEUP" run --suite dupkey.ini -n
printf '[g]\nkernels = stream_triad\n[h]\nkernels = stream_copy\n[g]\nthreads = 1\n' >dupsec.ini
expect_error "a suite section given twice" "section \\[g\\] given twice" \
  "$SIZEUP" run --suite dupsec.ini -n
expect_error "--rounds 1.5 is refused" "invalid value '1.5' for --rounds" \
  "$SIZEUP" "${RUN[@]}" --rounds 1.5 -n
D=$SRC/tests/data/sizing
cp -r "$D" sz
sed -i "2s/^alpha,/alpha$(printf '\033')[2J,/" sz/catalog.csv
expect_error "a catalog name with an escape sequence is refused" "control character" \
  "$SIZEUP" recommend --catalog sz/catalog.csv --workload sz/throughput.ini --out rec --no-render
check "no escape sequence reached the terminal" sh -c "! grep -q \"$(printf '\033')\" err.txt out.txt"
cp -r good huge
sed -i 's/"pus": [0-9]*/"pus": 1e300/; s/"memory_bytes": [0-9]*/"memory_bytes": -1e300/' \
  huge/system.json
check "system.json with 1e300 still reads" quiet "$SIZEUP" report huge --out rhuge

# 7. A full disk: a small tmpfs where the machine allows mounting (root),
# else a file-size limit; the run fails, keeps what it wrote as .part, and a
# resume with room completes it.
mkdir -p full
if mount -t tmpfs -o size=64k tmpfs full 2>/dev/null; then
  rc=0
  "$SIZEUP" "${RUN[@]}" --rounds 1 --min-reps 100 -S 64K,128K,256K,512K,1M,2M --out full/r \
    >full.log 2>&1 || rc=$?
  check "full disk: the run fails (rc=$rc)" test "$rc" -ne 0
  check "full disk: one error line" grep -q "^sizeup: error: .*No space left on device" full.log
  check "full disk: nothing renamed into place" test ! -e full/r/summary.csv
  mount -o remount,size=8m full
  rc=0
  "$SIZEUP" run --resume full/r >full2.log 2>&1 || rc=$?
  check "full disk: resume with room exits 0 (rc=$rc)" test "$rc" -eq 0
  check "full disk: 12 points after resume" \
    test "$(($(wc -l <full/r/summary.csv) - 1))" -eq 12
  check "full disk: compare reads it" quiet "$SIZEUP" compare full/r full/r
  umount full
else
  rc=0
  (trap '' XFSZ; ulimit -f 64; exec "$SIZEUP" "${RUN[@]}" --rounds 1 --min-reps 100 \
     -S 64K,128K,256K,512K,1M,2M --out lim >full.log 2>&1) || rc=$?
  check "write failure: the run fails (rc=$rc)" test "$rc" -ne 0
  check "write failure: nothing renamed into place" test ! -e lim/summary.csv
  rc=0
  "$SIZEUP" run --resume lim >full2.log 2>&1 || rc=$?
  check "write failure: resume exits 0 (rc=$rc)" test "$rc" -eq 0
fi

finish
