# Sourced by the benchmark scripts (run from the project root): installs the pinned emulators when
# missing, compiles the main and test classes (the benchmark programs in src/bench/java compile with the
# tests, whose support classes they use), and sets BENCH_CP to a classpath over a private copy of them,
# so that a build during a long benchmark cannot change the classes under it.
if [ ! -x node_modules/.bin/dynalite ] || [ ! -x node_modules/.bin/cognito-local ]; then
  command -v npm >/dev/null || { echo "npm not found: install Node.js 20 or later" >&2; exit 1; }
  npm ci --no-audit --no-fund --loglevel=error
fi
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
bench_copy="target/bench-$$"
mkdir -p "$bench_copy" && cp -r target/classes "$bench_copy/classes" && cp -r target/test-classes "$bench_copy/test-classes"
BENCH_CP="$bench_copy/test-classes:$bench_copy/classes:$(cat target/test-classpath.txt)"
