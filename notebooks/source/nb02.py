from cell import code, exercise, md, solution, sparklet

CELLS = [
    md(
        """
        # 2. Transformations and actions

        The RDD API has two kinds of operations. **Transformations** build a new RDD from an
        existing one and run nothing; **actions** compute a result for the driver (or write it to
        storage) and therefore run a job. This notebook walks through every row of the two tables
        in the Spark programming guide, one small example each.
        """,
        ko="""
        # 2. 트랜스포메이션과 액션

        RDD API의 연산은 두 종류입니다. **트랜스포메이션**은 기존 RDD로부터 새 RDD를 만들 뿐 아무것도
        실행하지 않고, **액션**은 드라이버에 돌려줄 결과를 계산하거나(또는 저장소에 쓰거나) 하므로 잡을
        실행합니다. 이 노트북에서는 Spark 프로그래밍 가이드의 두 표에 나오는 연산을 한 줄씩, 작은 예제와
        함께 모두 살펴봅니다.
        """,
    ),
    code(
        """
        from pyspark import SparkConf, SparkContext

        conf = SparkConf().setMaster("local[2]").setAppName("02-transformations-and-actions")
        sc = SparkContext.getOrCreate(conf)

        nums = sc.parallelize(range(1, 11), 2)
        words = sc.parallelize(["spark", "rdd", "shuffle", "stage", "task", "spark", "rdd"], 2)
        pairs = sc.parallelize([("a", 1), ("b", 2), ("a", 3), ("c", 4), ("b", 5)], 2)
        """
    ),
    md(
        """
        ## Transformations

        `map(func)`: a new RDD with `func` applied to every element.
        """,
        ko="""
        ## 트랜스포메이션

        `map(func)`: 모든 원소에 `func`를 적용한 새 RDD.
        """,
    ),
    code("print(nums.map(lambda x: x * x).collect())"),
    md(
        "`filter(func)`: the elements for which `func` returns true.",
        ko="`filter(func)`: `func`가 참을 돌려주는 원소만 남긴 RDD.",
    ),
    code("print(nums.filter(lambda x: x % 3 == 0).collect())"),
    md(
        "`flatMap(func)`: like `map`, but `func` returns a sequence and its items become elements.",
        ko="`flatMap(func)`: `map`과 비슷하지만 `func`가 시퀀스를 돌려주고, 그 항목 하나하나가 원소가 됩니다.",
    ),
    code('print(sc.parallelize(["to be", "or not to be"]).flatMap(lambda s: s.split()).collect())'),
    md(
        """
        `mapPartitions(func)`: `func` receives an iterator over a whole partition and returns an
        iterator; it runs once per partition instead of once per element.
        """,
        ko="""
        `mapPartitions(func)`: `func`가 파티션 전체를 도는 이터레이터를 받아 이터레이터를 돌려줍니다. 원소마다가
        아니라 파티션마다 한 번 실행됩니다.
        """,
    ),
    code("print(nums.mapPartitions(lambda it: [sum(it)]).collect())"),
    md(
        "`mapPartitionsWithIndex(func)`: the same, and `func` also receives the partition's index.",
        ko="`mapPartitionsWithIndex(func)`: 위와 같고, `func`가 파티션 번호도 함께 받습니다.",
    ),
    code("print(nums.mapPartitionsWithIndex(lambda i, it: [(i, list(it))]).collect())"),
    md(
        """
        `sample(withReplacement, fraction, seed)`: a random sample of about `fraction` of the data.
        With the same seed the sample is the same every time.
        """,
        ko="""
        `sample(withReplacement, fraction, seed)`: 데이터의 약 `fraction` 비율만큼 무작위로 뽑은 표본. 같은
        시드를 주면 언제나 같은 표본이 나옵니다.
        """,
    ),
    code(
        """
        print(sc.parallelize(range(100), 4).sample(False, 0.1, seed=42).collect())
        """
    ),
    md(
        "`union(other)`: the elements of both RDDs (duplicates are kept).",
        ko="`union(other)`: 두 RDD의 원소를 모두 담은 RDD(중복은 그대로 남습니다).",
    ),
    code("print(nums.union(sc.parallelize([100, 1])).collect())"),
    md(
        "`intersection(other)`: the elements present in both, without duplicates (needs a shuffle, so the order is not defined: we sort).",
        ko="`intersection(other)`: 두 RDD에 모두 있는 원소, 중복 없이(셔플이 필요해 순서가 정해져 있지 않으므로 정렬해서 봅니다).",
    ),
    code("print(sorted(nums.intersection(sc.parallelize([2, 4, 4, 42])).collect()))"),
    md(
        "`distinct()`: each element once.",
        ko="`distinct()`: 원소마다 하나씩만.",
    ),
    code("print(sorted(words.distinct().collect()))"),
    md(
        "`groupByKey()`: on `(K, V)` pairs, one `(K, iterable of V)` per key.",
        ko="`groupByKey()`: `(K, V)` 쌍에서 키마다 `(K, V들의 이터러블)` 하나.",
    ),
    code("print(sorted((k, sorted(vs)) for k, vs in pairs.groupByKey().collect()))"),
    md(
        "`reduceByKey(func)`: the values of each key combined with `func`.",
        ko="`reduceByKey(func)`: 키마다 값들을 `func`로 합친 결과.",
    ),
    code("print(sorted(pairs.reduceByKey(lambda a, b: a + b).collect()))"),
    md(
        """
        `aggregateByKey(zeroValue, seqOp, combOp)`: per key, fold the values into an accumulator of
        another type (`seqOp`) and merge the accumulators of different partitions (`combOp`). Here,
        a (sum, count) pair per key gives the average.
        """,
        ko="""
        `aggregateByKey(zeroValue, seqOp, combOp)`: 키마다 값들을 다른 타입의 누적값으로 접고(`seqOp`), 파티션별
        누적값을 합칩니다(`combOp`). 여기서는 키마다 (합, 개수) 쌍을 만들어 평균을 구합니다.
        """,
    ),
    code(
        """
        sums = pairs.aggregateByKey((0, 0), lambda acc, v: (acc[0] + v, acc[1] + 1),
                                    lambda a, b: (a[0] + b[0], a[1] + b[1]))
        print(sorted((k, s / n) for k, (s, n) in sums.collect()))
        """
    ),
    md(
        "`sortByKey(ascending=True)`: the pairs sorted by key (this order *is* defined).",
        ko="`sortByKey(ascending=True)`: 키로 정렬한 쌍(이 순서는 정해져 있습니다).",
    ),
    code("print(pairs.sortByKey(ascending=False).collect())"),
    md(
        "`join(other)`: for `(K, V)` and `(K, W)`, all `(K, (V, W))` for keys present in both.",
        ko="`join(other)`: `(K, V)`와 `(K, W)`에서 양쪽에 모두 있는 키에 대해 `(K, (V, W))`를 모두 만듭니다.",
    ),
    code('print(sorted(pairs.join(sc.parallelize([("a", "x"), ("c", "y"), ("d", "z")])).collect()))'),
    md(
        "`cogroup(other)`: per key, the iterables of values from both RDDs.",
        ko="`cogroup(other)`: 키마다 두 RDD의 값 이터러블을 묶은 것.",
    ),
    code(
        """
        grouped = pairs.cogroup(sc.parallelize([("a", "x"), ("d", "z")]))
        print(sorted((k, (sorted(v), sorted(w))) for k, (v, w) in grouped.collect()))
        """
    ),
    md(
        "`cartesian(other)`: every pair `(t, u)` with `t` from this RDD and `u` from the other.",
        ko="`cartesian(other)`: 이 RDD의 `t`와 다른 RDD의 `u`로 만들 수 있는 모든 쌍 `(t, u)`.",
    ),
    code('print(sc.parallelize([1, 2]).cartesian(sc.parallelize(["x", "y"])).collect())'),
    md(
        "`pipe(command)`: each partition is written, one element per line, to a shell command; its output lines are the new elements.",
        ko="`pipe(command)`: 파티션마다 원소를 한 줄씩 셸 명령에 넘기고, 명령이 출력한 줄들이 새 원소가 됩니다.",
    ),
    code('print(words.pipe("tr a-z A-Z").collect())'),
    md(
        "`coalesce(n)`: fewer partitions, without a shuffle (neighbouring partitions are merged).",
        ko="`coalesce(n)`: 셔플 없이 파티션 수를 줄입니다(이웃한 파티션을 합칩니다).",
    ),
    code("print(sc.parallelize(range(8), 4).coalesce(2).glom().collect())"),
    md(
        "`repartition(n)`: exactly `n` partitions, with a full shuffle. Where each element lands is not specified, so we look at sizes only.",
        ko="`repartition(n)`: 전체 셔플로 파티션을 정확히 `n`개로 만듭니다. 원소가 어디로 갈지는 정해져 있지 않으므로 개수만 봅니다.",
    ),
    code(
        """
        spread = nums.repartition(5)
        print(spread.getNumPartitions(), sum(len(p) for p in spread.glom().collect()))
        """
    ),
    md(
        """
        `repartitionAndSortWithinPartitions(n, partitionFunc)`: repartition by key and sort each
        partition by key within the same shuffle.
        """,
        ko="""
        `repartitionAndSortWithinPartitions(n, partitionFunc)`: 키로 다시 파티셔닝하면서 같은 셔플 안에서 각
        파티션을 키 순으로 정렬합니다.
        """,
    ),
    code(
        """
        scores = sc.parallelize([(5, "e"), (2, "b"), (8, "h"), (1, "a"), (4, "d"), (7, "g")], 2)
        print(scores.repartitionAndSortWithinPartitions(2, lambda k: k % 2).glom().collect())
        """
    ),
    md(
        """
        ## Actions

        `reduce(func)`: combine all elements with an associative and commutative `func`.
        """,
        ko="""
        ## 액션

        `reduce(func)`: 결합 법칙과 교환 법칙을 만족하는 `func`로 모든 원소를 하나로 합칩니다.
        """,
    ),
    code("nums.reduce(lambda a, b: a + b)"),
    md(
        "`collect()`: all elements as a list in the driver (only for results that fit in the driver's memory).",
        ko="`collect()`: 모든 원소를 드라이버의 리스트로 가져옵니다(드라이버 메모리에 들어갈 만큼 작은 결과에만 쓰세요).",
    ),
    code("nums.collect()"),
    md("`count()`: the number of elements.", ko="`count()`: 원소의 개수."),
    code("words.count()"),
    md("`first()`: the first element.", ko="`first()`: 첫 번째 원소."),
    code("words.first()"),
    md(
        "`take(n)`: the first `n` elements (Spark reads as few partitions as it can).",
        ko="`take(n)`: 앞에서부터 `n`개의 원소(Spark는 되도록 적은 파티션만 읽습니다).",
    ),
    code("nums.take(3)"),
    md(
        "`takeSample(withReplacement, num, seed)`: `num` random elements; the same seed gives the same sample.",
        ko="`takeSample(withReplacement, num, seed)`: 무작위 원소 `num`개. 같은 시드는 같은 표본을 줍니다.",
    ),
    code("nums.takeSample(False, 4, seed=7)"),
    md(
        "`takeOrdered(n, key)`: the `n` smallest elements (by `key` if given).",
        ko="`takeOrdered(n, key)`: 가장 작은 원소 `n`개(`key`를 주면 그 기준으로).",
    ),
    code("nums.takeOrdered(3, key=lambda x: -x)"),
    md(
        """
        `saveAsTextFile(path)`: write the elements as text lines, one `part-NNNNN` file per
        partition, into a new directory. `sc.textFile` reads it back.
        """,
        ko="""
        `saveAsTextFile(path)`: 원소를 텍스트 줄로 새 디렉터리에 씁니다. 파티션마다 `part-NNNNN` 파일이
        하나씩 생깁니다. `sc.textFile`로 다시 읽을 수 있습니다.
        """,
    ),
    code(
        """
        import os
        import tempfile

        out = os.path.join(tempfile.mkdtemp(), "squares")
        nums.map(lambda x: x * x).saveAsTextFile(out)
        print(sorted(name for name in os.listdir(out) if name.startswith("part-")))
        print(sc.textFile(out).collect())
        """
    ),
    md(
        """
        `saveAsSequenceFile(path)`: write `(K, V)` pairs as a Hadoop SequenceFile, read back with
        `sc.sequenceFile`.
        """,
        ko="""
        `saveAsSequenceFile(path)`: `(K, V)` 쌍을 Hadoop 시퀀스 파일로 씁니다. `sc.sequenceFile`로 다시 읽습니다.
        """,
    ),
    code(
        """
        seq_out = os.path.join(tempfile.mkdtemp(), "pairs-seq")
        pairs.saveAsSequenceFile(seq_out)
        print(sorted(sc.sequenceFile(seq_out).collect()))
        """
    ),
    md(
        """
        `saveAsPickleFile(path)` (the Python counterpart of `saveAsObjectFile`): write any
        picklable elements; `sc.pickleFile` reads them back.
        """,
        ko="""
        `saveAsPickleFile(path)`(`saveAsObjectFile`에 해당하는 파이썬 메서드): 피클할 수 있는 원소라면 무엇이든
        씁니다. `sc.pickleFile`로 다시 읽습니다.
        """,
    ),
    code(
        """
        pickle_out = os.path.join(tempfile.mkdtemp(), "records")
        sc.parallelize([{"id": 1, "tags": ["a"]}, {"id": 2, "tags": []}], 2).saveAsPickleFile(pickle_out)
        print(sorted(sc.pickleFile(pickle_out).collect(), key=lambda r: r["id"]))
        """
    ),
    md(
        "`countByKey()`: for `(K, V)` pairs, a dict of key to number of pairs.",
        ko="`countByKey()`: `(K, V)` 쌍에서 키별 쌍의 개수를 담은 딕셔너리.",
    ),
    code("print(sorted(pairs.countByKey().items()))"),
    md(
        """
        `foreach(func)`: run `func` on every element, on the executors, for its side effects
        (writing to a database, updating an accumulator). Its return value is `None`; what `func`
        prints goes to the executors' output, not to the driver (notebook 3 explains why).
        """,
        ko="""
        `foreach(func)`: 익스큐터에서 모든 원소에 `func`를 부작용(데이터베이스에 쓰기, 어큐뮬레이터 갱신 등)을
        위해 실행합니다. 반환값은 `None`이고, `func`가 출력하는 내용은 드라이버가 아니라 익스큐터의 출력으로
        갑니다(이유는 3장에서 설명합니다).
        """,
    ),
    code(
        """
        total = sc.accumulator(0)
        nums.foreach(lambda x: total.add(x))
        print(total.value)
        """
    ),
    md(
        "Sparklet shows what tasks print under the cell, tagged with the stage and partition that printed it:",
        ko="Sparklet은 태스크가 출력한 내용을, 출력한 스테이지와 파티션을 붙여 셀 아래에 보여 줍니다.",
    ),
    sparklet("words.foreach(print)"),
    md(
        """
        ## A few more actions worth knowing

        `fold`, `aggregate`, `countByValue`, `top`, `max`, `min`, `mean` and `stats`.
        """,
        ko="""
        ## 알아 두면 좋은 액션 몇 가지

        `fold`, `aggregate`, `countByValue`, `top`, `max`, `min`, `mean`, `stats`.
        """,
    ),
    code(
        """
        print(nums.fold(0, lambda a, b: a + b))
        print(nums.aggregate((0, 0), lambda acc, x: (acc[0] + x, acc[1] + 1),
                             lambda a, b: (a[0] + b[0], a[1] + b[1])))
        print(sorted(words.countByValue().items()))
        print(nums.top(2), nums.max(), nums.min(), nums.mean())
        print(nums.stats())
        """
    ),
    md(
        """
        ## Exercises

        1. From `words`, build the list of distinct words longer than 4 letters, sorted.
        2. With `pairs`, compute the largest value of each key, sorted by key, in two different ways
           (`reduceByKey` and `groupByKey`).
        """,
        ko="""
        ## 연습 문제

        1. `words`에서 네 글자보다 긴 단어를 중복 없이 골라 정렬된 리스트로 만드세요.
        2. `pairs`에서 키마다 가장 큰 값을 키 순으로 구하세요. `reduceByKey`와 `groupByKey` 두 가지 방법으로
           해 보세요.
        """,
    ),
    exercise(),
    solution('print(sorted(words.filter(lambda w: len(w) > 4).distinct().collect()))'),
    exercise(),
    solution(
        """
        print(pairs.reduceByKey(max).sortByKey().collect())
        print(pairs.groupByKey().mapValues(max).sortByKey().collect())
        """
    ),
    code("sc.stop()"),
]
