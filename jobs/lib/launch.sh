# Shared by the scripts in jobs/: builds the project on first use, then runs a main class
# through spark-submit. Source it and call: leaky_submit MAIN_CLASS [options...]
#
# With SPARK_HOME set, $SPARK_HOME/bin/spark-submit runs the job, on whatever --master is given.
# Without it, the real SparkSubmit class runs from the Spark jars Maven resolved, in local mode.
set -euo pipefail

LEAKY_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LEAKY_CONF="${LEAKY_CONF_DIR:-$LEAKY_ROOT/conf}"

# The Spark line to build for and run on: with SPARK_HOME, the one its jars are
# (jars/spark-core_2.13-4.2.0.jar is 4.2; 4.3 runs the 4.2 jar); without it, LEAKY_SPARK (3.5, the default, 4.0, 4.1, 4.2).
leaky_line() {
  local line core
  if [ -n "${SPARK_HOME:-}" ]; then
    core="$(find -L "$SPARK_HOME/jars" -maxdepth 1 -name 'spark-core_2.1[23]-*.jar' 2>/dev/null | head -1)"
    if [ -z "$core" ]; then
      echo "leaky-spark: SPARK_HOME=$SPARK_HOME has no jars/spark-core_2.12-*.jar or _2.13-*.jar" >&2
      return 2
    fi
    core="${core##*/spark-core_2.1?-}"  # 4.2.0.jar
    line="$(echo "$core" | cut -d. -f1-2)"
  else
    line="${LEAKY_SPARK:-3.5}"
  fi
  case "$line" in
    3.5|4.0|4.1|4.2) echo "$line" ;;
    # Maven serves no Spark 4.3 jars to build against; a SPARK_HOME of 4.3 runs the 4.2 jar
    4.3) if [ -n "${SPARK_HOME:-}" ]; then echo 4.2; else echo "leaky-spark: Spark 4.3 runs the 4.2 jar through a SPARK_HOME of 4.3; set SPARK_HOME, or LEAKY_SPARK=4.2" >&2; return 2; fi ;;
    *) echo "leaky-spark: Spark $line is not a supported line (3.5, 4.0, 4.1, 4.2, and 4.3 through SPARK_HOME)" >&2; return 2 ;;
  esac
}
LEAKY_LINE="$(leaky_line)"
# Each line builds in its own folder (pom.xml): target/ for 3.5, target/spark-4.x/ for 4.x.
if [ "$LEAKY_LINE" = 3.5 ]; then LEAKY_TARGET="$LEAKY_ROOT/target"; else LEAKY_TARGET="$LEAKY_ROOT/target/spark-$LEAKY_LINE"; fi

# leaky_jar prints the library jar; leaky_jar jobs the jobs jar beside it, which holds the mains.
leaky_jar() {
  local jar kind
  for jar in "$LEAKY_TARGET"/leaky-spark_2.1?-*.jar; do
    case "$jar" in *-tests.jar) kind=tests ;; *-jobs.jar) kind=jobs ;; *-sources.jar) kind=sources ;; *) kind=library ;; esac
    if [ -e "$jar" ] && [ "$kind" = "${1:-library}" ]; then echo "$jar"; return; fi
  done
}

# Builds the jars when one of them or the class path files that package writes are missing or
# older than the sources: spark-classpath.txt (Spark and our dependencies, for local runs) and
# dependencies.txt (what the jobs need beyond Spark and the library, shipped with --jars), in $LEAKY_TARGET.
leaky_build() {
  local jar
  jar="$(leaky_jar)"
  if [ -z "$jar" ] || [ -z "$(leaky_jar jobs)" ] || [ ! -s "$LEAKY_TARGET/spark-classpath.txt" ] || [ ! -e "$LEAKY_TARGET/dependencies.txt" ] \
    || [ -n "$(find "$LEAKY_ROOT/src/main" "$LEAKY_ROOT/pom.xml" -newer "$jar" -print -quit)" ]; then
    echo "leaky-spark: building the project for Spark $LEAKY_LINE with Maven..." >&2
    (cd "$LEAKY_ROOT" && mvn -B -q -Dstyle.color=never -DskipTests -Pspark-"$LEAKY_LINE" package >&2)
  fi
}

# Installs Debian's dataset-fashion-mnist when it is missing and this runs as root with apt-get.
leaky_install_fashion_mnist() {
  if [ ! -d /usr/share/datasets/fashion-mnist ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "leaky-spark: installing dataset-fashion-mnist..." >&2
    (apt-get update -q && apt-get install -y -q dataset-fashion-mnist) >/dev/null 2>&1 \
      || echo "leaky-spark: could not install dataset-fashion-mnist; using generated data" >&2
  fi
  return 0
}

# Installs Debian's OpenBLAS when no native BLAS is on the machine and this runs as root with
# apt-get: netlib's JNIBLAS then loads it, which trains about twice as fast as the JVM's VectorBLAS.
leaky_install_openblas() {
  if ! ldconfig -p 2>/dev/null | grep -q 'libblas\.so\.3 ' && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "leaky-spark: installing libopenblas0-pthread (native BLAS)..." >&2
    (apt-get update -q && apt-get install -y -q libopenblas0-pthread) >/dev/null 2>&1 \
      || echo "leaky-spark: could not install OpenBLAS; training uses the JVM's BLAS" >&2
  fi
  return 0
}

# leaky_submit MAIN_CLASS [--master M] [--deploy-mode D] [--conf k=v]... [--driver-memory X] [app options]
# (an app's --conf FILE, without '=', stays with the app options)
leaky_submit() {
  local main="$1"
  shift
  local submit=() app=() master="" jars="" driver_memory="${LEAKY_DRIVER_MEMORY:-4g}"
  while [ $# -gt 0 ]; do
    case "$1" in
      --master) master="$2"; shift 2 ;;
      # --conf k=v is Spark's; --conf FILE is the job's own properties file.
      --conf) if [[ "$2" == *=* ]]; then submit+=("$1" "$2"); else app+=("$1" "$2"); fi; shift 2 ;;
      --deploy-mode|--executor-memory|--executor-cores|--num-executors|--total-executor-cores|--packages)
        submit+=("$1" "$2"); shift 2 ;;
      --jars) jars="${jars:+$jars,}$2"; shift 2 ;;
      --driver-memory) driver_memory="$2"; shift 2 ;;
      *) app+=("$1"); shift ;;
    esac
  done
  leaky_build
  local jar
  # the application is the jobs jar; the library and the jobs' own dependencies go with --jars
  jar="$(leaky_jar jobs)"
  local deps
  deps="$(tr ':' ',' < "$LEAKY_TARGET/dependencies.txt")"
  submit+=(--jars "$(leaky_jar)${deps:+,$deps}${jars:+,$jars}")
  if [ -n "${SPARK_HOME:-}" ]; then
    exec "$SPARK_HOME/bin/spark-submit" ${master:+--master "$master"} \
      --driver-memory "$driver_memory" \
      --properties-file "$LEAKY_CONF/spark-defaults.conf" \
      --driver-java-options "-Dlog4j2.configurationFile=file:$LEAKY_CONF/log4j2.properties" \
      --class "$main" ${submit[@]+"${submit[@]}"} "$jar" ${app[@]+"${app[@]}"}
  fi
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  # Native BLAS threads would compete with Spark's task threads.
  export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
  exec java -Xmx"$driver_memory" @"$LEAKY_CONF/java17.args" \
    -Dlog4j2.configurationFile="file:$LEAKY_CONF/log4j2.properties" \
    -cp "$jar:$(leaky_jar):$(cat "$LEAKY_TARGET/spark-classpath.txt")" \
    org.apache.spark.deploy.SparkSubmit --master "${master:-local[*]}" \
    --properties-file "$LEAKY_CONF/spark-defaults.conf" \
    --class "$main" ${submit[@]+"${submit[@]}"} "$jar" ${app[@]+"${app[@]}"}
}
