from cell import code, exercise, md, solution, sparklet, sparklet_engine

CELLS = [
    md(
        """
        # 6. Fault tolerance

        Machines fail, processes get killed, tasks hit a bad record. Spark's answer is the
        **lineage**: every RDD knows how it was derived, so any lost partition can be recomputed
        from the input instead of being restored from a replica. On top of that, a failed task is
        **retried**, on the same or another executor, a limited number of times before the job gives
        up. This notebook shows the lineage, retries with the `local[K,F]` master, and an executor
        killed in the middle of a job.
        """
    ),
    code(
        """
        from operator import add

        from pyspark import SparkConf, SparkContext, TaskContext

        conf = SparkConf().setMaster("local[2]").setAppName("06-fault-tolerance")
        sc = SparkContext.getOrCreate(conf)
        """
    ),
    md(
        """
        ## Lineage

        Here is a small pipeline. Nothing has run yet; what exists is its lineage, a chain of
        transformations from the input file to `per_status`. `toDebugString()` prints it (the
        format differs between Spark versions, hence `sparklet-only`), and the DAG view draws it,
        cut into stages at the shuffle.
        """
    ),
    code(
        """
        logs = sc.textFile("data/logs")
        requests = logs.map(lambda line: line.split())
        per_status = requests.map(lambda f: (f[4], int(f[5]))).reduceByKey(add)
        print(sorted(per_status.collect()))
        """
    ),
    sparklet(
        """
        print(per_status.toDebugString().decode())
        %spark dag per_status
        """
    ),
    md(
        """
        If the partition of `requests` that holds `part-00001` were lost, Spark would read
        `part-00001` again and apply the same `map`: the lineage is a recipe for every partition.
        Narrow dependencies make this cheap (one parent partition per lost partition); a lost
        shuffle output forces the map tasks that wrote it to run again.

        ## Task retries: `local[K,F]`

        With a `local[K]` master a failing task fails the job at once. `local[K,F]` allows each task
        up to `F` attempts. Let us start a context that tolerates 3 attempts per task.
        """
    ),
    code(
        """
        sc.stop()
        sc = SparkContext(conf=SparkConf().setMaster("local[2,3]").setAppName("06-fault-tolerance-retries"))
        print(sc.master)
        """
    ),
    md(
        """
        `TaskContext.get()` tells a task which partition it computes and which attempt it is. This
        function fails on its first two attempts at partition 1, half-way through the partition:
        """
    ),
    code(
        """
        processed = sc.accumulator(0)

        def flaky(x):
            ctx = TaskContext.get()
            if ctx.partitionId() == 1 and ctx.attemptNumber() < 2 and x == 4:
                raise RuntimeError("simulated failure")
            processed.add(1)
            return (x, ctx.partitionId(), ctx.attemptNumber())

        print(sc.parallelize(range(6), 2).map(flaky).collect())
        print("records counted by the accumulator:", processed.value)
        """
    ),
    md(
        """
        Partition 1 succeeded on attempt 2. Note the accumulator: the failed attempts had already
        counted element 3 before failing, yet the total is 6. Spark applies the accumulator updates
        of *successful* tasks only, so a retried task is not counted twice.

        When every attempt fails, the job fails with the task's error:
        """
    ),
    code(
        """
        def always_fails(x):
            if x == 4:
                raise RuntimeError("bad record 4")
            return x

        try:
            sc.parallelize(range(6), 2).map(always_fails).collect()
        except Exception as e:
            print("the job failed after 3 attempts; the error names the record:", "bad record 4" in str(e))
        print("the context is still usable:", sc.parallelize(range(6), 2).map(lambda x: x + 1).sum())
        """
    ),
    md(
        """
        ## Killing an executor in the middle of a job

        An executor is a process that runs tasks and keeps cached partitions and shuffle files. Here
        we kill one while a job runs. The tasks it was running fail, Spark starts a new executor, the
        tasks run again, and the job still returns the right answer. Watch the job display: the
        lost executor and the retried tasks show up in the stage bars.

        (This cell and the next kill a Sparklet executor process, so they only run on Sparklet's own
        engine and are tagged `sparklet-engine`. On real Spark in local mode, from a plain Python
        kernel or from the Sparklet kernel's pyspark backend, the one executor lives inside the
        driver's JVM, cached partitions included: killing it would end the application. On a
        cluster, the same lesson is a worker machine that goes away.)
        """
    ),
    sparklet_engine(
        """
        import threading
        import time

        import psutil

        def kill_an_executor(after):
            \"\"\"Kill one executor process of this driver `after` seconds from now, from a thread.\"\"\"
            def kill():
                time.sleep(after)
                executors = [p for p in psutil.Process().children() if "sparklet.executor" in " ".join(p.cmdline())]
                executors[0].kill()
            threading.Thread(target=kill).start()

        def slow_square(x):
            time.sleep(0.2)
            return x * x

        kill_an_executor(after=0.5)
        print(sc.parallelize(range(16), 4).map(slow_square).sum())
        """
    ),
    md(
        """
        The same happens to cached partitions: those that lived on a lost executor are simply
        recomputed from the lineage by the next action that needs them. The accumulator counts the
        records computed again.
        """
    ),
    sparklet_engine(
        """
        recomputed = sc.accumulator(0)

        def tracked(x):
            recomputed.add(1)
            return x

        cached = sc.parallelize(range(100), 4).map(tracked).cache()
        print(cached.count(), "records computed:", recomputed.value)
        kill_an_executor(after=0)
        time.sleep(1)
        print(cached.count(), "records computed:", recomputed.value, "(the lost executor's partitions again)")
        """
    ),
    md(
        """
        ## Exercises

        1. Write a function that fails on the first attempt of *every* task. With `local[2,3]`, how
           many attempts does each partition need? Print `(partition, attempt)` for each result.
        2. Retries are for transient failures. What happens with a deterministic bug (for example
           `1 / 0` on every record) with `local[2,3]`? Catch the error and print a message.
        """
    ),
    exercise(),
    solution(
        """
        def fails_once(x):
            ctx = TaskContext.get()
            if ctx.attemptNumber() == 0:
                raise RuntimeError("first attempts always fail")
            return (ctx.partitionId(), ctx.attemptNumber())

        print(sorted(set(sc.parallelize(range(8), 4).map(fails_once).collect())))
        """
    ),
    exercise(),
    solution(
        """
        try:
            sc.parallelize(range(4), 2).map(lambda x: 1 / 0).collect()
        except Exception:
            print("every attempt failed the same way: retries cannot fix a bug in the code")
        """
    ),
    code("sc.stop()"),
]
