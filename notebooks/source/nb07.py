from cell import code, exercise, md, solution, sparklet

CELLS = [
    md(
        """
        # 7. Performance

        A Spark job is as fast as its slowest stage, and a stage as fast as its slowest task. This
        notebook covers the levers you control from the RDD API: how many partitions there are,
        how evenly the data is spread across them (**skew**), how much work is done per element
        versus per partition, and which shuffles a job needs. Timings on a laptop are noisy, so
        we measure what determines them (records, partitions, stages) and leave the seconds to the
        task timeline.
        """
    ),
    code(
        """
        import time
        from operator import add

        from pyspark import SparkConf, SparkContext

        conf = SparkConf().setMaster("local[2]").setAppName("07-performance")
        sc = SparkContext.getOrCreate(conf)

        def stages_of_last_job(group):
            \"\"\"The task count of each stage of the one job run in a job group.\"\"\"
            tracker = sc.statusTracker()
            # The tracker learns about jobs from events delivered in the background: wait for the end.
            info = None
            while info is None or info.status != "SUCCEEDED":
                time.sleep(0.05)
                job_ids = tracker.getJobIdsForGroup(group)
                info = tracker.getJobInfo(max(job_ids)) if job_ids else None
            return [tracker.getStageInfo(s).numTasks for s in sorted(info.stageIds)]
        """
    ),
    md(
        """
        ## How many partitions?

        One partition is one task, and one task uses one core. Too few partitions leave cores idle
        (and make each task's memory footprint large); too many make scheduling overhead dominate.
        A common rule is 2-4 partitions per core for the whole cluster, with partitions of roughly
        100 MB. Check with `getNumPartitions()`, and change with:

        - `repartition(n)`: a full shuffle into `n` balanced partitions (up or down);
        - `coalesce(n)`: merge down to `n` partitions *without* a shuffle (cheap, possibly unbalanced);
        - the `numPartitions` argument of every shuffle operation (`reduceByKey(f, n)`, `join(o, n)`...);
        - `minPartitions` of `textFile`.
        """
    ),
    code(
        """
        data = sc.parallelize(range(1000), 8)
        print(data.getNumPartitions(), [len(p) for p in data.glom().collect()])
        print(data.coalesce(3).getNumPartitions(), [len(p) for p in data.coalesce(3).glom().collect()])
        print(sc.textFile("data/README.md", minPartitions=4).getNumPartitions())
        print(data.map(lambda x: (x % 10, x)).reduceByKey(add, 5).getNumPartitions())
        """
    ),
    code(
        """
        sc.setJobGroup("repartition", "repartition is a shuffle")
        data.repartition(4).count()
        print("repartition:", stages_of_last_job("repartition"))
        sc.setJobGroup("coalesce", "coalesce is not")
        data.coalesce(4).count()
        print("coalesce:", stages_of_last_job("coalesce"))
        """
    ),
    md(
        """
        ## Skew

        Hash partitioning spreads *keys* evenly, not *records*. When one key has most of the
        records, the partition that receives it does most of the work, and its task is a
        **straggler** that the whole stage waits for.
        """
    ),
    code(
        """
        clicks = sc.parallelize([("home", i) for i in range(900)] + [(f"page{i}", i) for i in range(100)], 4)
        by_page = clicks.partitionBy(4)
        print("records per partition:", [len(p) for p in by_page.glom().collect()])
        """
    ),
    md(
        """
        A classic remedy is **salting**: add a random-looking suffix to the hot key so that its
        records spread over several partitions, aggregate once per salted key, then strip the salt
        and aggregate the (few) partial results again.
        """
    ),
    code(
        """
        salted = clicks.map(lambda kv: ((kv[0], kv[1] % 4), 1)).partitionBy(4)
        print("records per partition:", [len(p) for p in salted.glom().collect()])
        partial = salted.reduceByKey(add)
        totals = partial.map(lambda kv: (kv[0][0], kv[1])).reduceByKey(add)
        print(sorted(totals.collect())[:3])
        """
    ),
    md(
        """
        With `reduceByKey` the map-side combine already shrinks a hot key to one record per map
        partition, so skew hurts most with `groupByKey` and joins, where every record travels.

        ## Work per partition: `mapPartitions`

        If a function needs an expensive setup (opening a connection, loading a model, compiling a
        regular expression), doing it inside `map` repeats it for every element. `mapPartitions`
        does it once per partition. An accumulator counts the setups:
        """
    ),
    code(
        """
        import re

        setups = sc.accumulator(0)

        def make_parser():
            setups.add(1)
            return re.compile(r"(\\S+) (\\S+) GET (\\S+) (\\d+) (\\d+)")

        logs = sc.textFile("data/logs")
        per_element = logs.map(lambda line: make_parser().match(line).group(3))
        per_element.count()
        print("map: setups =", setups.value)

        def parse_partition(lines):
            parser = make_parser()
            for line in lines:
                yield parser.match(line).group(3)

        before = setups.value
        per_partition = logs.mapPartitions(parse_partition)
        print(per_partition.count(), "pages; mapPartitions: setups =", setups.value - before)
        """
    ),
    md(
        """
        ## Choosing shuffles

        Every shuffle writes its data to disk and sends it across the network, so the cheapest
        shuffle is the one you avoid:

        - combine before shuffling: `reduceByKey`/`aggregateByKey` rather than `groupByKey` (notebook 4);
        - join a large RDD with a *small* one by **broadcasting** the small one and looking keys up
          in a `map`: no shuffle at all;
        - for "top N", `takeOrdered`/`top` keep N elements per partition instead of sorting everything;
        - reuse partitioning: `partitionBy` once and `persist` an RDD you join many times.
        """
    ),
    code(
        """
        people = sc.textFile("data/people.csv").filter(lambda l: not l.startswith("name,")).map(lambda l: l.split(","))
        purchases = sc.textFile("data/purchases.csv").filter(lambda l: not l.startswith("name,")).map(lambda l: l.split(","))
        city_of = people.map(lambda r: (r[0], r[2]))
        amounts = purchases.map(lambda r: (r[0], int(r[2])))

        sc.setJobGroup("shuffle-join", "join")
        joined = sorted(amounts.join(city_of).collect())
        print("join:", stages_of_last_job("shuffle-join"))

        small = sc.broadcast(dict(city_of.collect()))
        sc.setJobGroup("broadcast-join", "broadcast join")
        looked_up = sorted(amounts.filter(lambda kv: kv[0] in small.value)
                           .map(lambda kv: (kv[0], (kv[1], small.value[kv[0]]))).collect())
        print("broadcast join:", stages_of_last_job("broadcast-join"))
        print("same result:", joined == looked_up)
        """
    ),
    code(
        """
        words = sc.textFile("data/README.md").flatMap(str.split)
        sc.setJobGroup("top", "top with takeOrdered")
        print(words.takeOrdered(5, key=lambda w: (-len(w), w)))
        print("takeOrdered:", stages_of_last_job("top"))
        """
    ),
    md(
        """
        ## Reading the timeline

        The task timeline draws one bar per task and one lane per executor, or per task slot of an
        executor that runs several tasks at once (real Spark's local-mode executor, `driver`, has
        one slot per core); a straggler stands out as a bar much longer than its stage's others.
        Here each record takes a millisecond, and the skewed partitioning from above makes one task
        do most of the work:
        """
    ),
    code(
        """
        def slow_identity(kv):
            time.sleep(0.001)
            return kv

        print(sorted(clicks.partitionBy(4).map(slow_identity).mapValues(lambda v: 1).reduceByKey(add).collect())[:2])
        """
    ),
    sparklet("%spark timeline"),
    md(
        """
        ## Exercises

        1. `clicks.groupByKey().mapValues(len)` moves every record of `"home"` to one task. Rewrite
           it with salting and `reduceByKey`, and check the result is the same.
        2. Find the 3 pages with the most bytes served in `data/logs` without sorting the whole RDD.
        """
    ),
    exercise(),
    solution(
        """
        expected = sorted(clicks.groupByKey().mapValues(len).collect())
        salted_counts = (clicks.map(lambda kv: ((kv[0], kv[1] % 8), 1)).reduceByKey(add)
                         .map(lambda kv: (kv[0][0], kv[1])).reduceByKey(add))
        print(sorted(salted_counts.collect()) == expected)
        """
    ),
    exercise(),
    solution(
        """
        bytes_per_page = logs.map(lambda line: line.split()).map(lambda f: (f[3], int(f[5]))).reduceByKey(add)
        print(bytes_per_page.takeOrdered(3, key=lambda kv: -kv[1]))
        """
    ),
    code("sc.stop()"),
]
