# Sourced by bench/run.sh, syscalls.sh and profile.sh: builds the fixed peer
# and the clock module into build/bench/ (never installed) when their source
# is newer, through a temporary file and a rename, so that a run already using
# them is never handed a half-written file.
build_helpers() {
  mkdir -p build/bench
  if [ ! -x build/bench/peer ] || [ bench/peer.c -nt build/bench/peer ]; then
    cc -O2 -Wall -o "build/bench/peer.$$" bench/peer.c && mv -f "build/bench/peer.$$" build/bench/peer || return 1
  fi
  if [ ! -f build/bench/benchclock.so ] || [ bench/clock.c -nt build/bench/benchclock.so ]; then
    cc -O2 -Wall -shared -fPIC -o "build/bench/benchclock.$$.so" bench/clock.c &&
      mv -f "build/bench/benchclock.$$.so" build/bench/benchclock.so || return 1
  fi
}
