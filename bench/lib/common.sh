# Shell helpers shared by the benchmark scripts (sourced, not run). Plain functions, no state;
# bash 4+. They print to stdout and never exit the caller.

# 4g -> 4294967296 (k, m, g are powers of 1024; a plain number is bytes)
to_bytes() {
  local v=${1,,}
  case $v in *k) echo $(( ${v%k} << 10 ));; *m) echo $(( ${v%m} << 20 ));; *g) echo $(( ${v%g} << 30 ));; *) echo "$v";; esac
}

# A TCP port on 127.0.0.1 that was free a moment ago.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# utime+stime in clock ticks of processes (all their threads), summed; a pid gone counts 0.
cpu_ticks() { # pid...
  local p sum=0 t
  for p in "$@"; do
    t=$(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null || echo 0)
    sum=$((sum + t))
  done
  echo "$sum"
}

# utime+stime in clock ticks of a JVM's JIT compiler threads (C1/C2 CompilerThread), summed over
# the threads alive now: a compiler thread the JVM has retired since takes its ticks with it, so a
# difference of two readings is a lower bound of the compilers' CPU in between.
jit_ticks() { # pid
  local f sum=0 t c
  for f in /proc/"$1"/task/*; do
    c=""; { read -r c <"$f/comm"; } 2>/dev/null || true   # braces: a thread gone meanwhile says nothing
    case "$c" in
      C1\ CompilerThre*|C2\ CompilerThre*)
        t=$(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "$f/stat" 2>/dev/null || echo 0)
        sum=$((sum + t)) ;;
    esac
  done
  echo "$sum"
}

# Clock ticks of CPU over bytes -> CPU seconds per 10^9 bytes ("-" for no bytes).
per_gb() { # ticks, bytes
  awk -v d="$1" -v tk="$(getconf CLK_TCK)" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", d / tk / (b / 1e9); else print "-" }'
}

# Median of the numbers on stdin, one a line ("-" when there are none).
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else print a[int((NR + 1) / 2)] }'; }

# a / b with two decimals and an "x" ("-" when either is missing or b is 0).
ratio() { # a, b
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2fx", a / b }'
}
